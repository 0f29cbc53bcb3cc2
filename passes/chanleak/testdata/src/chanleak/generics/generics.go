// Package generics checks channels of type parameters and generic
// workers.
package generics

import "context"

func compute[T any]() (T, error) {
	var zero T
	return zero, nil
}

// The channel's element is a type parameter.
func Fetch[T any](ctx context.Context) (T, error) {
	ch := make(chan T)
	go func() {
		v, _ := compute[T]()
		ch <- v // want `sending on ch: Fetch can return without receiving from it`
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// A generic worker started with an instantiation.
func send[T any](out chan<- T, v T) {
	out <- v // want `sending on out \(ch of Run\): Run can return without receiving from it`
}

func Run(ctx context.Context) int {
	ch := make(chan int)
	go send(ch, 1)
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// ok: a buffered channel of a type parameter.
func Buffered[T any](ctx context.Context) (T, error) {
	ch := make(chan T, 1)
	go func() {
		v, _ := compute[T]()
		ch <- v
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
