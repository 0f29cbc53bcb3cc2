package silent

import "testing"

// ok: test files are exempt (a failed test ends with its binary).
func TestLeak(t *testing.T) {
	ch := make(chan int)
	go func() { ch <- 1 }()
	if testing.Short() {
		return
	}
	<-ch
}
