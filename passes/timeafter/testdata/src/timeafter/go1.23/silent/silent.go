// Package silent has every reported shape, in a module whose go line is
// 1.23: timers and tickers are collected, so nothing is reported.
package silent

import (
	"context"
	"time"

	"example.com/timeafter123/helper"
)

func loopIdle(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Minute): // ok: go1.23
			return
		}
	}
}

func tick(ctx context.Context) {
	for range time.Tick(time.Second) { // ok: go1.23
		if ctx.Err() != nil {
			return
		}
	}
}

func ticker(ctx context.Context) {
	t := time.NewTicker(time.Second) // ok: go1.23
	<-t.C
}

func helperInLoop(ch <-chan int) {
	for {
		if !helper.Recv(ch) { // ok: go1.23
			return
		}
	}
}
