// Package a holds the shapes the pass reports: goroutines left blocked
// on a channel whose function returned without its part.
package a

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

type Result struct{}

func get(string) *Result        { return nil }
func do(int) error              { return nil }
func validate(int) error        { return nil }
func process(int)               {}
func compute() (*Result, error) { return nil, nil }

// The ctx.Done() case of a select returns without receiving.
func fetch(ctx context.Context, url string) (*Result, error) {
	ch := make(chan *Result)
	go func() {
		ch <- get(url) // want `goroutine can block forever sending on ch: fetch can return without receiving from it \(goroutine leak\); give ch a buffer of 1`
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// A timeout, the same way.
func withTimeout(d time.Duration) error {
	done := make(chan error)
	go func() { done <- do(1) }() // want `sending on done: withTimeout can return without receiving from it`
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return errors.New("timeout")
	}
}

// An early error return before the receive.
func early(x int) (*Result, error) {
	ch := make(chan *Result)
	go func() { ch <- get("x") }() // want `sending on ch: early can return without receiving from it`
	if err := validate(x); err != nil {
		return nil, err
	}
	return <-ch, nil
}

// A loop over the results that returns on the first error while other
// goroutines still have to send.
func all(xs []int) error {
	errc := make(chan error)
	for _, x := range xs {
		go func() { errc <- do(x) }() // want `sending on errc: all can return before receiving every value \(goroutine leak\); give errc a buffer of len\(xs\)`
	}
	for range xs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// The same with a counted loop and a select on ctx.Done() in it.
func allCtx(ctx context.Context, n int) error {
	errc := make(chan error)
	for i := 0; i < n; i++ {
		go func() { errc <- do(i) }() // want `sending on errc: allCtx can return without receiving from it`
	}
	for i := 0; i < n; i++ {
		select {
		case err := <-errc:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// The first answer wins; the others are never received.
func first(servers []string) *Result {
	ch := make(chan *Result)
	for _, s := range servers {
		go func() { ch <- get(s) }() // want `sending on ch: first can return before receiving every value`
	}
	return <-ch
}

// A producer sends in a loop; the consumer stops early.
func findFirst(xs []int) int {
	ch := make(chan int)
	go func() {
		for _, x := range xs {
			ch <- x // want `sending on ch: findFirst can return before receiving every value \(goroutine leak\); receive on every path, or select on a done channel in the sender`
		}
		close(ch)
	}()
	for v := range ch {
		if v > 10 {
			return v
		}
	}
	return -1
}

// A buffer too small for the sends that can be pending.
func underBuffered(x int) error {
	errc := make(chan error, 1)
	go func() { errc <- do(1) }() // want `sending on errc: underBuffered can return without receiving from it \(goroutine leak\); the buffer of 1 is smaller than the 2 sends that can be pending`
	go func() { errc <- do(2) }() // want `sending on errc: underBuffered can return without receiving from it`
	if x > 0 {
		return nil
	}
	if err := <-errc; err != nil {
		return err
	}
	return <-errc
}

// Two goroutines, one receive, then an early return: one of them stays.
func two(x int) error {
	errc := make(chan error)
	go func() { errc <- do(1) }() // want `sending on errc: two can return before receiving every value`
	go func() { errc <- do(2) }() // want `sending on errc: two can return before receiving every value`
	if err := <-errc; err != nil {
		return err
	}
	return <-errc
}

// A goroutine started only on one path leaks only there.
func conditional(x int) error {
	ch := make(chan error)
	if x > 0 {
		go func() { ch <- do(x) }() // want `sending on ch: conditional can return without receiving from it`
		if x > 10 {
			return nil
		}
		return <-ch
	}
	return nil
}

// errgroup's Go starts a goroutine too; returning before Wait leaves it.
func group(ctx context.Context, x int) error {
	results := make(chan int)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		results <- x // want `sending on results: group can return without receiving from it`
		return nil
	})
	select {
	case v := <-results:
		process(v)
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.Wait()
}

// sync.WaitGroup.Go (Go 1.25) as well.
func wgGo(ctx context.Context) error {
	var wg sync.WaitGroup
	ch := make(chan error)
	wg.Go(func() {
		ch <- do(1) // want `sending on ch: wgGo can return without receiving from it`
	})
	select {
	case err := <-ch:
		wg.Wait()
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A worker ranging over jobs is left blocked when the function returns
// without closing it.
func pool(xs []int) error {
	jobs := make(chan int)
	for i := 0; i < 4; i++ {
		go func() {
			for j := range jobs { // want `goroutine can block forever receiving from jobs: pool can return without closing it \(goroutine leak\); close jobs on every path \(defer close\(jobs\)\)`
				process(j)
			}
		}()
	}
	for _, x := range xs {
		if err := validate(x); err != nil {
			return err
		}
		jobs <- x
	}
	close(jobs)
	return nil
}

// A goroutine waiting for a start signal that never comes.
func signal(x int) error {
	start := make(chan struct{})
	go func() {
		<-start // want `receiving from start: signal can return without sending on or closing it`
		process(x)
	}()
	if err := validate(x); err != nil {
		return err
	}
	close(start)
	return nil
}

// A loop that makes a new channel while the old one's sender is still
// blocked (the moby#33781 shape).
func monitor(stop chan bool) {
	for {
		results := make(chan bool)
		go func() {
			results <- true // want `sending on results: monitor can return without receiving from it`
		}()
		select {
		case <-stop:
			return
		case <-results:
		}
	}
}

// A suppressed finding.
func suppressed(ctx context.Context) {
	ch := make(chan int)
	go func() {
		ch <- 1 //leaklint:ignore chanleak the receiver drains ch in its caller's deferred cleanup
	}()
	select {
	case <-ch:
	case <-ctx.Done():
	}
}

// A count in the loop does not excuse a return on the first error.
func countdownEarly(xs []int) error {
	errc := make(chan error)
	for _, x := range xs {
		go func() { errc <- do(x) }() // want `sending on errc: countdownEarly can return before receiving every value`
	}
	for active := len(xs); active > 0; active-- {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// A signal sent before the last send says nothing about it.
func readyFirst(ctx context.Context) int {
	ch := make(chan int)
	ready := make(chan struct{})
	go func() {
		ready <- struct{}{}
		ch <- 1 // want `sending on ch: readyFirst can return without receiving from it`
	}()
	<-ready
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

const batch = 6

// A producer counting to a constant overflows a buffer sized for fewer
// (the cockroach#18101 shape).
func overflow(ctx context.Context) bool {
	ch := make(chan bool, batch)
	go func() {
		defer close(ch)
		for i := 0; i < batch+2; i++ {
			ch <- i != 0 // want `sending on ch: overflow can return before receiving every value \(goroutine leak\); the buffer of 6 is smaller than the 7 sends that can be pending`
		}
	}()
	for v := range ch {
		if ctx.Err() != nil {
			return v
		}
	}
	return true
}

// Three sends from a range over an array of three, into a buffer of two.
func arrayOverflow(x int) error {
	errc := make(chan error, 2)
	go func() {
		for _, v := range [3]int{1, 2, 3} {
			errc <- do(v + x) // want `sending on errc: arrayOverflow can return without receiving from it \(goroutine leak\); the buffer of 2 is smaller than the 3 sends that can be pending`
		}
	}()
	if x > 0 {
		return nil
	}
	return <-errc
}

// The channel as an argument of a function literal that also captures.
func argument(ctx context.Context, x int) int {
	ch := make(chan int)
	go func(out chan<- int) {
		out <- x // want `sending on out \(ch of argument\): argument can return without receiving from it`
	}(ch)
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// A worker waiting on a wake-up channel forever: F never closes it.
func wakeups(xs []int) {
	wake := make(chan struct{})
	go func() {
		for {
			<-wake // want `receiving from wake: wakeups can return without closing it`
			process(0)
		}
	}()
	for range xs {
		wake <- struct{}{}
	}
}

// Three goroutines from a loop counting to three, two receives.
func constantLoopShort() {
	c := make(chan bool)
	for g := 0; g < 3; g++ {
		go func() {
			process(g)
			c <- true // want `sending on c: constantLoopShort can return before receiving every value`
		}()
	}
	<-c
	<-c
}

// Several sends of one goroutine: one report, the others related.
func several(ctx context.Context, x int) error {
	errc := make(chan error)
	go func() {
		if err := validate(x); err != nil {
			errc <- err // want `sending on errc: several can return without receiving from it \(goroutine leak\); give errc a buffer of 1`
			return
		}
		errc <- do(x)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
