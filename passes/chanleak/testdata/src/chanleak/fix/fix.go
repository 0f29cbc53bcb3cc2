// Package fix checks the suggested fix: give the channel the buffer its
// goroutines need.
package fix

import (
	"context"
	"time"
)

func get(string) int { return 0 }
func do(int) error   { return nil }

// One goroutine, one send: a buffer of 1.
func one(ctx context.Context) int {
	ch := make(chan int)
	go func() { ch <- get("x") }() // want `give ch a buffer of 1`
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// An explicit zero is replaced.
func zero(d time.Duration) error {
	done := make(chan error, 0)
	go func() { done <- do(1) }() // want `give done a buffer of 1`
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return nil
	}
}

// One goroutine per element of xs: a buffer of len(xs).
func perElement(xs []int) error {
	errc := make(chan error)
	for _, x := range xs {
		go func() { errc <- do(x) }() // want `give errc a buffer of len\(xs\)`
	}
	for range xs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// A map works the same.
func perKey(m map[string]int) error {
	errc := make(chan error)
	for k := range m {
		go func() { errc <- do(m[k]) }() // want `give errc a buffer of len\(m\)`
	}
	for range m {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// No fix: xs is assigned after the make, so len(xs) there is another
// number.
func reassigned(xs []int) error {
	errc := make(chan error)
	xs = append(xs, 1)
	for _, x := range xs {
		go func() { errc <- do(x) }() // want `receive on every path, or select on a done channel in the sender`
	}
	for range xs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// No fix: a counted loop, not a range.
func countedLoop(n int) error {
	errc := make(chan error)
	for i := 0; i < n; i++ {
		go func() { errc <- do(i) }() // want `receive on every path, or select on a done channel in the sender`
	}
	for i := 0; i < n; i++ {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// No fix: two sends on one path of the goroutine.
func twoSends(ctx context.Context) int {
	ch := make(chan int)
	go func() {
		ch <- 1 // want `receive on every path, or select on a done channel in the sender`
		ch <- 2 // reported with the first, as related information
	}()
	select {
	case v := <-ch:
		return v + <-ch
	case <-ctx.Done():
		return 0
	}
}

// No fix: the make's size is a named constant.
const none = 0

func namedSize(ctx context.Context) int {
	ch := make(chan int, none)
	go func() { ch <- 1 }() // want `receive on every path, or select on a done channel in the sender`
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// One send on each of two paths: still one per run.
func eitherPath(ctx context.Context, x int) int {
	ch := make(chan int)
	go func() {
		if x > 0 {
			ch <- 1 // want `give ch a buffer of 1`
			return
		}
		ch <- 2 // reported with the first, as related information
	}()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}
