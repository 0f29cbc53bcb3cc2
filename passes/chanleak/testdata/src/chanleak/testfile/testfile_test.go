package testfile

import (
	"testing"
	"time"
)

func TestTimeout(t *testing.T) {
	ch := make(chan int)
	go func() { ch <- 1 }() // want `sending on ch: TestTimeout can return without receiving from it`
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Error("timed out")
	}
}
