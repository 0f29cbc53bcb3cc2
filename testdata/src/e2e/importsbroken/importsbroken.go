// Package importsbroken imports a broken package; it must still be
// analysed.
package importsbroken

import (
	"time"

	"example.com/e2e/broken"
)

func Idle(in <-chan int) {
	broken.Broken(in)
	for {
		select {
		case <-in:
		case <-time.After(time.Minute):
			return
		}
	}
}
