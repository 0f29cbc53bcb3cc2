// Package embedmissing embeds a file that is not there: go build fails,
// go/types does not mind. leaklint names the package and its error, and
// still analyses it.
package embedmissing

import (
	_ "embed"
	"time"
)

//go:embed missing.json
var table []byte

// Idle is reported: the missing file does not stop the analysis.
func Idle(in <-chan int) int {
	n := 0
	for {
		select {
		case v := <-in:
			n += v
		case <-time.After(time.Minute):
			return n + len(table)
		}
	}
}
