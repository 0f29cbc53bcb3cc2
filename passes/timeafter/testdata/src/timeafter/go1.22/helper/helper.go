// want package:"hasAbandoners"

// Package helper declares functions that abandon a time.After timer when
// another case of their select wins. Each gets an abandonsTimer fact.
package helper

import (
	"errors"
	"time"
)

var ErrTimeout = errors.New("timeout")

func Recv(ch <-chan int, d time.Duration) (int, error) { // want Recv:"abandonsTimer"
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(d):
		return 0, ErrTimeout
	}
}

// Wait abandons a timer through Recv: the fact travels up calls made
// outside loops.
func Wait(ch <-chan int) error { // want Wait:"abandonsTimer"
	_, err := Recv(ch, time.Second)
	return err
}

type Conn struct{ acks chan int }

func (c *Conn) WaitAck() bool { // want WaitAck:"abandonsTimer"
	select {
	case <-c.acks:
		return true
	case <-time.After(time.Second):
		return false
	}
}

// NoAbandon's timer always fires: no fact.
func NoAbandon() {
	<-time.After(time.Second)
}

// Generic helpers get facts too.
func RecvAny[T any](ch <-chan T) (T, bool) { // want RecvAny:"abandonsTimer"
	select {
	case v := <-ch:
		return v, true
	case <-time.After(time.Second):
		var zero T
		return zero, false
	}
}

// Loop abandons timers in its own loop: it is reported here, and gets no
// fact, so callers are not blamed for it too.
func Loop(ch <-chan int) {
	for {
		select {
		case <-ch:
		case <-time.After(time.Second): // want `in a select inside a loop`
			return
		}
	}
}

// Sleep is the usual context-aware sleep: it abandons its timer only when
// the context is cancelled, so it gets no fact and retry loops calling it
// are not reported.
func Sleep(ctx interface{ Done() <-chan struct{} }, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// Queue selects on a timer only for one kind of request: the fact would
// not know the argument, so Queue gets none.
func Queue(op int, ch chan<- int) {
	switch op {
	case 0:
		select {
		case ch <- op:
		case <-time.After(time.Second):
		}
	default:
		ch <- op
	}
}
