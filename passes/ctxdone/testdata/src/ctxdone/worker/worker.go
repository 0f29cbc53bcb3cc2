// Package worker declares functions that loop forever without letting
// their context end the loop. Each gets a loopsForever fact, and is
// reported at its loop only where this package starts it.
package worker

import (
	"context"
	"time"
)

func Handle(int) {}

func Worker(ctx context.Context, in <-chan int) { // want Worker:`loopsForever\(ctx\)`
	for {
		Handle(<-in)
	}
}

// Poll's context is its second parameter.
func Poll(id int, ctx context.Context, d time.Duration) { // want Poll:`loopsForever\(ctx\)`
	t := time.NewTicker(d)
	for range t.C {
		Handle(id)
	}
}

type Pump struct {
	ctx context.Context
	in  chan int
}

// Run's context is a field of its receiver.
func (p *Pump) Run() { // want Run:`loopsForever\(p.ctx\)`
	for {
		select {
		case v := <-p.in:
			Handle(v)
		}
	}
}

// Serve leaves on ctx.Done(): no fact.
func Serve(ctx context.Context, in <-chan int) {
	for {
		select {
		case <-ctx.Done():
			return
		case v := <-in:
			Handle(v)
		}
	}
}

// Loop holds no context: no fact (nothing to consult).
func Loop(in <-chan int) {
	for {
		Handle(<-in)
	}
}

// Generic functions get facts too.
func Each[T any](ctx context.Context, in <-chan T, f func(T)) { // want Each:`loopsForever\(ctx\)`
	for {
		f(<-in)
	}
}
