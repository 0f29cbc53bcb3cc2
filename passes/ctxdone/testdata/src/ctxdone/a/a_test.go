package a

import (
	"context"
	"testing"
)

func TestWorker(t *testing.T) {
	ctx := context.Background()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := make(chan int)
	go func() {
		for { // ok: a test's goroutines end with the test binary
			handle(<-in)
		}
	}()
	_ = ctx
}
