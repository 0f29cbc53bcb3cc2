// Package generics checks goroutines in generic code.
package generics

import "context"

type Queue[T any] struct {
	ctx context.Context
	in  chan T
}

func (q *Queue[T]) run(f func(T)) { // want run:`loopsForever\(q.ctx\)`
	for { // want `goroutine loops on <-q.in forever; q.ctx is never consulted`
		f(<-q.in)
	}
}

func (q *Queue[T]) Start(f func(T)) {
	go q.run(f)
}

func Fan[T any](ctx context.Context, in <-chan T, out chan<- T) {
	go func() {
		for { // want `goroutine loops on select \(<-in\) forever`
			select {
			case v := <-in:
				out <- v
			}
		}
	}()
	go func() {
		for { // ok: returns on ctx.Done()
			select {
			case <-ctx.Done():
				return
			case v := <-in:
				out <- v
			}
		}
	}()
}
