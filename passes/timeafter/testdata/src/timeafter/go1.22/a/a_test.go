package a

import (
	"testing"
	"time"
)

func TestTick(t *testing.T) {
	_ = time.Tick(time.Millisecond)        // ok: tests end with the test binary
	tk := time.NewTicker(time.Millisecond) // ok: likewise
	<-tk.C
}

func TestAfterInLoop(t *testing.T) {
	in := make(chan int)
	for i := 0; ; i++ {
		select {
		case <-in:
		case <-time.After(time.Millisecond): // ok: likewise
		}
		if i > 3 {
			return
		}
	}
}
