// Package generics checks the shapes inside generic code.
package generics

import "time"

func Collect[T any](in <-chan T) []T {
	var out []T
	for {
		select {
		case v := <-in:
			out = append(out, v)
		case <-time.After(time.Second): // want `in a select inside a loop`
			return out
		}
	}
}

type Pool[T any] struct{ items chan T }

func (p *Pool[T]) Get() (T, bool) {
	t := time.NewTicker(time.Second) // want `ticker t is not stopped on every path out of Get`
	select {
	case v := <-p.items:
		return v, true
	case <-t.C:
	}
	t.Stop()
	var zero T
	return zero, false
}

func Sum[T int | float64](in <-chan T) (s T) {
	for {
		select {
		case v, ok := <-in:
			if !ok {
				return s // leaves on close, but a received value loops
			}
			s += v
		case <-time.After(time.Second): // want `in a select inside a loop`
			return s
		}
	}
}
