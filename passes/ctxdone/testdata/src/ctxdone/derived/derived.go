// Package derived checks contexts derived from the available one: they
// count as the same context, except WithoutCancel, whose Done channel is
// never ready.
package derived

import (
	"context"
	"time"
)

func handle(int) {}

func withCancel(parent context.Context, in <-chan int) {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		defer cancel()
		for { // ok: returns when the derived context is done
			select {
			case <-ctx.Done():
				return
			case v := <-in:
				handle(v)
			}
		}
	}()
}

func withTimeoutOfParent(parent context.Context, in <-chan int) {
	go func() {
		ctx, cancel := context.WithTimeout(parent, time.Minute)
		defer cancel()
		for { // ok: consulting a derived context is consulting parent
			select {
			case <-ctx.Done():
				return
			case v := <-in:
				handle(v)
			}
		}
	}()
}

type key struct{}

func withValue(parent context.Context, in <-chan int) {
	ctx := context.WithValue(parent, key{}, 1)
	go func() {
		for { // ok: WithValue keeps the parent's cancellation
			select {
			case <-ctx.Done():
				return
			case v := <-in:
				handle(v)
			}
		}
	}()
}

func withDeadlineErr(parent context.Context) {
	ctx, cancel := context.WithDeadline(parent, time.Now().Add(time.Hour))
	go func() {
		defer cancel()
		for { // ok: ctx.Err() of the derived context ends it
			time.Sleep(time.Second)
			if ctx.Err() != nil {
				return
			}
		}
	}()
}

// A derived context unused: still reported, named after the derived one
// or the parent.
func derivedUnused(parent context.Context, in <-chan int) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	go func() {
		for { // want `goroutine loops on <-in forever; ctx is never consulted`
			handle(<-in)
		}
	}()
	use(ctx)
}

func use(context.Context) {}

// WithoutCancel's Done channel is nil: a case on it never fires, so the
// loop cannot end, and parent is never consulted.
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

// Only a detached context is available: nothing can be cancelled.
func onlyDetached(in <-chan int) {
	ctx := context.WithoutCancel(context.Background())
	go func() {
		for { // ok: nothing to consult
			handle(<-in)
			_ = ctx
		}
	}()
}

func withValueOfBackground(in <-chan int) {
	ctx := context.WithValue(context.Background(), key{}, 2)
	go func() {
		for { // ok: a value on a background context is never cancelled
			handle(<-in)
			_ = ctx
		}
	}()
}

// WithCancel of a background context can be cancelled: its cancel
// function is the stop signal.
func cancelOfBackground(in <-chan int) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for { // want `goroutine loops on <-in forever; ctx is never consulted`
			handle(<-in)
		}
	}()
	use(ctx)
	return cancel
}

// The goroutine's literal takes the context as a parameter.
func param(parent context.Context, in <-chan int) {
	go func(ctx context.Context) {
		for { // want `goroutine loops on <-in forever; ctx is never consulted`
			handle(<-in)
		}
	}(parent)
	go func(ctx context.Context) {
		for { // ok: the argument is never cancelled (parent is in scope, though)
			handle(<-in)
		}
	}(context.Background())
}

// miniflux's daemon: a root context made for the metrics collector, and
// cancelled here on shutdown, is not the watchdog goroutine's to consult.
func daemon(stop <-chan struct{}, in <-chan int) {
	metricsCtx, cancelMetrics := context.WithCancel(context.Background())
	go use(metricsCtx)
	go func() {
		for { // ok: metricsCtx is the collector's
			handle(<-in)
		}
	}()
	<-stop
	cancelMetrics()
}

// The same, but the function hands the cancel function on: its caller's
// stop signal, which the goroutine ignores.
func daemonStoppable(in <-chan int) (stop func()) {
	metricsCtx, cancel := context.WithCancel(context.Background())
	go use(metricsCtx)
	go func() {
		for { // want `goroutine loops on <-in forever; metricsCtx is never consulted`
			handle(<-in)
		}
	}()
	return cancel
}
