// Package untied runs with -ctxdone.untied: loops whose ways out do not
// depend on the context are reported too, and the ways out that do
// depend on it (or on a stop signal) keep a loop silent.
package untied

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

func handle(int)                            {}
func step(context.Context) error            { return nil }
func work(ctx context.Context, v int) error { return ctx.Err() }

// ---- reported ----

func untiedExit(ctx context.Context, in <-chan int, errc <-chan error) {
	go func() {
		for { // want `goroutine loops on select \(<-in, <-errc\) and no way out of the loop depends on ctx, which is never consulted: add a case <-ctx.Done\(\) that returns`
			select {
			case v := <-in:
				handle(v)
			case <-errc:
				return
			}
		}
	}()
}

func dataExit(ctx context.Context, in <-chan int) {
	go func() {
		for { // want `goroutine loops on <-in and no way out of the loop depends on ctx, which is never consulted`
			if v := <-in; v < 0 {
				return
			}
		}
	}()
}

// ctx is consulted in the loop, but the way out comes in a later
// iteration's check of data, not after the call.
func consultedElsewhere(ctx context.Context, in <-chan int) {
	go func() {
		for { // want `goroutine loops on <-in and no way out of the loop depends on ctx: select on ctx.Done\(\) and return`
			v := <-in
			if v < 0 {
				return
			}
			if err := step(ctx); err != nil {
				handle(v)
			}
		}
	}()
}

// ---- silent: a way out tied to the context or a stop signal ----

func doneCase(ctx context.Context, in <-chan int, errc <-chan error) {
	go func() {
		for { // ok: returns on ctx.Done()
			select {
			case <-ctx.Done():
				return
			case v := <-in:
				handle(v)
			case <-errc:
				return
			}
		}
	}()
}

func doneCaseBreak(ctx context.Context, in <-chan int) {
	go func() {
	loop:
		for { // ok: breaks out on ctx.Done()
			select {
			case v := <-in:
				handle(v)
			case <-ctx.Done():
				break loop
			}
		}
		handle(0)
	}()
}

func quitChannel(ctx context.Context, in <-chan int, quit <-chan struct{}) {
	go func() {
		for { // ok: returns on a quit channel
			select {
			case <-quit:
				return
			case v := <-in:
				handle(v)
			}
		}
	}()
}

func commaOk(ctx context.Context, in <-chan int) {
	go func() {
		for { // ok: ends when in is closed, like a range
			v, ok := <-in
			if !ok {
				return
			}
			handle(v)
		}
	}()
}

func commaOkCase(ctx context.Context, in <-chan int, t *time.Ticker) {
	go func() {
		for { // ok: ends when in is closed
			select {
			case v, ok := <-in:
				if !ok {
					return
				}
				handle(v)
			case <-t.C:
			}
		}
	}()
}

func errCheck(ctx context.Context) {
	go func() {
		for { // ok: ctx.Err() ends it
			time.Sleep(time.Second)
			if ctx.Err() != nil {
				return
			}
		}
	}()
}

func ctxCall(ctx context.Context, in <-chan int) {
	go func() {
		for { // ok: work(ctx, ...) fails once ctx is done, and that returns
			if err := work(ctx, <-in); err != nil {
				return
			}
		}
	}()
}

func errorsIs(ctx context.Context, in <-chan int) {
	go func() {
		for { // ok: the error of a ctx-taking call ends it
			err := work(ctx, <-in)
			if errors.Is(err, context.Canceled) {
				break
			}
		}
	}()
}

type flagged struct {
	closed atomic.Bool
	in     chan int
}

func (f *flagged) run(ctx context.Context) {
	go func() {
		for { // ok: a flag named for stopping ends it
			handle(<-f.in)
			if f.closed.Load() {
				return
			}
		}
	}()
}

type holder struct {
	ctx context.Context
	in  chan int
}

func (h *holder) step() error { return h.ctx.Err() }

func (h *holder) run() {
	go func() {
		for { // ok: h.step() is given the receiver, which holds a context, and its error ends the loop
			handle(<-h.in)
			if err := h.step(); err != nil {
				return
			}
		}
	}()
}

// WithoutCancel's Done channel is never ready: that case is no way out,
// and the loop has none.
func withoutCancel(parent context.Context, in <-chan int) {
	detached := context.WithoutCancel(parent)
	go func() {
		for { // want `goroutine loops on select \(<-detached.Done\(\), <-in\) forever; parent is never consulted`
			select {
			case <-detached.Done():
				return
			case v := <-in:
				handle(v)
			}
		}
	}()
}

// telegraf's plugins/inputs/stackdriver/stackdriver.go: the loop ends
// when the iterator, made with ctx, fails, which it does once ctx is
// done.
type iterator struct{}

func (*iterator) Next() (int, error) { return 0, nil }

func list(context.Context) *iterator { return &iterator{} }

func stackdriverList(ctx context.Context) <-chan int {
	out := make(chan int, 1000)
	go func() {
		defer close(out)
		it := list(ctx)
		for { // ok: it.Next() fails once ctx is done, and that breaks
			v, err := it.Next()
			if err != nil {
				break
			}
			out <- v
		}
	}()
	return out
}
