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
