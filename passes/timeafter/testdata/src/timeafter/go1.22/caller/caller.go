// want package:"hasAbandoners"

// Package caller calls timer-abandoning helpers of another package in
// loops.
package caller

import (
	"time"

	"example.com/timeafter/helper"
)

func sum(ch <-chan int) int {
	total := 0
	for {
		v, err := helper.Recv(ch, time.Minute) // want `Recv abandons a time.After timer \(helper.go:18\) when another select case wins, and this loop calls it again and again \(a leak before Go 1.23; this file is go1.22\): make Recv use time.NewTimer and Stop it`
		if err != nil {
			return total
		}
		total += v
	}
}

func acks(c *helper.Conn, n int) {
	for i := 0; i < n; i++ {
		if !c.WaitAck() { // want `WaitAck abandons a time.After timer \(helper.go:\d+\) when another select case wins.*make Conn.WaitAck use`
			return
		}
	}
}

func transitive(ch <-chan int) {
	for {
		if helper.Wait(ch) != nil { // want `Wait abandons a time.After timer \(through Recv, helper.go:18\) when another select case wins, and this loop calls it again and again \(a leak before Go 1.23; this file is go1.22\): make Recv use time.NewTimer and Stop it`
			return
		}
	}
}

func generic(ch <-chan string) {
	for {
		if _, ok := helper.RecvAny(ch); !ok { // want `RecvAny abandons a time.After timer`
			return
		}
	}
}

// ---- silent ----

func retryUntilSuccess(ch <-chan int) int {
	for {
		v, err := helper.Recv(ch, time.Second) // ok: loops only when the timer fired
		if err == nil {
			return v
		}
	}
}

func once(ch <-chan int) { // want once:"abandonsTimer"
	_, _ = helper.Recv(ch, time.Second) // ok: one timer per call
}

func bounded(ch <-chan int) { // no fact: the loop may not run, so the call is not on every path
	for i := 0; i < 3; i++ {
		_, _ = helper.Recv(ch, time.Second) // ok: at most three per call
	}
}

func goroutines(ch <-chan int) {
	for i := 0; ; i++ {
		go helper.Recv(ch, time.Second) // ok: not repeated by this loop's iterations in one goroutine
		if i > 10 {
			return
		}
	}
}

func loopHelper(ch <-chan int) {
	for {
		helper.Loop(ch) // ok: reported in helper.Loop itself
		helper.NoAbandon()
	}
}

type ctx interface{ Done() <-chan struct{} }

func retryWithSleep(c ctx, try func() error) {
	for try() != nil {
		helper.Sleep(c, time.Second) // ok: abandons a timer only on cancellation
	}
}

func queueAll(ch chan<- int) {
	for i := 0; ; i++ {
		helper.Queue(i, ch) // ok: Queue abandons a timer only for some arguments
	}
}
