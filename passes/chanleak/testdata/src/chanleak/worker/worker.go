// Package worker checks goroutines that run named functions, methods,
// method values and helpers, and workers of another package.
package worker

import (
	"context"

	"example.com/chanleak/caller"
)

func do(int) error { return nil }

// A named worker: the report is in the worker and names F's channel.
func worker(x int, out chan<- error) {
	out <- do(x) // want `sending on out \(errc of named\): named can return without receiving from it`
}

func named(ctx context.Context, x int) error {
	errc := make(chan error)
	go worker(x, errc)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

type S struct{ n int }

func (s *S) send(ch chan int) {
	ch <- s.n // want `sending on ch \(results of method\): method can return` `sending on ch \(results of methodValue\): methodValue can return`
}

// A method started as a goroutine.
func method(ctx context.Context, s *S) int {
	results := make(chan int)
	go s.send(results)
	select {
	case v := <-results:
		return v
	case <-ctx.Done():
		return 0
	}
}

// A method value started as a goroutine.
func methodValue(ctx context.Context, s *S) int {
	results := make(chan int)
	f := s.send
	go f(results)
	select {
	case v := <-results:
		return v
	case <-ctx.Done():
		return 0
	}
}

// A helper the goroutine calls with the channel.
func reply(ch chan<- int, v int) {
	ch <- v // want `sending on ch \(answers of viaHelper\): viaHelper can return`
}

func viaHelper(ctx context.Context, v int) int {
	answers := make(chan int)
	go func() {
		reply(answers, v+1)
	}()
	select {
	case a := <-answers:
		return a
	case <-ctx.Done():
		return 0
	}
}

// ok: a worker of another package; what it does with the channel is
// not known here.
func otherPackage(ctx context.Context) error {
	errc := make(chan error)
	go caller.Worker(1, errc)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ok: an interface method as the goroutine.
type runner interface{ Run(chan<- error) }

func viaInterface(ctx context.Context, r runner) error {
	errc := make(chan error)
	go r.Run(errc)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ok: a function value as the goroutine.
func viaFuncValue(ctx context.Context, f func(chan<- error)) error {
	errc := make(chan error)
	go f(errc)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ok: recursion through the helper is not followed.
func relay(ch chan int, n int) {
	if n > 0 {
		relay(ch, n-1)
		return
	}
	ch <- n
}

func recursive(ctx context.Context) int {
	ch := make(chan int)
	go relay(ch, 3)
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// ok: the early exit calls a function of another package that never
// returns (known through the SSA analyzer's facts).
func dies(x int) error {
	errc := make(chan error)
	go func() { errc <- do(x) }()
	if x < 0 {
		caller.Die("negative")
		return nil
	}
	return <-errc
}
