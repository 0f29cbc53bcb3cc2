// Package all is checked with -timeafter.all: the shapes are reported
// although the module's go line is 1.23.
package all

import (
	"context"
	"time"

	"example.com/timeafter123/helper"
)

func loopIdle(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Minute): // want `time.After\(time.Minute\) in a select inside a loop leaves a live timer behind each time another case is taken \(a leak when the main module's go line is below 1.23\)`
			return
		}
	}
}

func tick(ctx context.Context) {
	for range time.Tick(time.Second) { // want `time.Tick in tick, which returns, starts a ticker that can never be stopped \(a leak when the main module's go line is below 1.23\)`
		if ctx.Err() != nil {
			return
		}
	}
}

func ticker(ctx context.Context) {
	t := time.NewTicker(time.Second) // want `ticker t is never stopped, so it outlives ticker \(a leak when the main module's go line is below 1.23\)`
	<-t.C
}

func helperInLoop(ch <-chan int) {
	for {
		if !helper.Recv(ch) { // want `Recv abandons a time.After timer`
			return
		}
	}
}
