package fix

import (
	"context"
	"time"
)

func handle(int) {}

func literal(ctx context.Context, in <-chan int, t *time.Ticker) {
	go func() {
		for { // want `goroutine loops on select \(<-in, <-t.C\) forever; ctx is never consulted: add a case <-ctx.Done\(\) that returns`
			select {
			case v := <-in:
				handle(v)
			case <-t.C:
				handle(0)
			}
		}
	}()
}

func named(ctx context.Context, in <-chan int, out chan<- int) { // want named:`loopsForever\(ctx\)`
	for { // want `goroutine loops on select \(<-in, out <- 1\) forever`
		select {
		case v := <-in:
			handle(v)
		case out <- 1:
		}
	}
}

func startNamed(ctx context.Context, in <-chan int, out chan<- int) {
	go named(ctx, in, out)
}

type server struct {
	ctx    context.Context
	events chan int
}

func (s *server) loop() { // want loop:`loopsForever\(s.ctx\)`
	for { // want `goroutine loops on select \(<-s.events\) forever; s.ctx is never consulted`
		select {
		case v := <-s.events:
			handle(v)
		}
	}
}

func (s *server) start() {
	go s.loop()
}

// No fix: the function has results, and which values to return is the
// author's call.
func results(ctx context.Context, in <-chan int) error { // want results:`loopsForever\(ctx\)`
	for { // want `goroutine loops on select \(<-in\) forever`
		select {
		case v := <-in:
			handle(v)
		}
	}
}

func startResults(ctx context.Context, in <-chan int) {
	go results(ctx, in)
}

// No fix: ctx is shadowed at the select.
func shadowed(ctx context.Context, in <-chan int) {
	go func() {
		ctx := 0
		for { // want `goroutine loops on select \(<-in\) forever`
			select {
			case v := <-in:
				handle(v + ctx)
			}
		}
	}()
}

// No fix: not a select loop.
func ticker(ctx context.Context, t *time.Ticker) {
	go func() {
		for range t.C { // want `goroutine loops on t.C forever`
			handle(0)
		}
	}()
}
