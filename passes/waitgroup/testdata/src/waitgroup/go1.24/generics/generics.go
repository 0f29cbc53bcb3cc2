// want package:"hasSummaries"

// Package generics checks generic functions and types.
package generics

import "sync"

// Each calls Done once on every path.
func Each[T any](wg *sync.WaitGroup, xs []T, f func(T)) { // want Each:"waitgroup\\(wg: Done once on every path\\)"
	defer wg.Done()
	for _, x := range xs {
		f(x)
	}
}

// EachSome returns early without Done.
func EachSome[T any](wg *sync.WaitGroup, xs []T) { // want EachSome:"waitgroup\\(wg: Done on some paths\\)"
	if len(xs) == 0 {
		return
	}
	wg.Done()
}

type Box[T any] struct {
	wg sync.WaitGroup
	v  T
}

func (b *Box[T]) Run(ok func(T) bool) { // want Run:"waitgroup\\(b.wg: Done on some paths\\)"
	if !ok(b.v) {
		return
	}
	b.wg.Done()
}

func launch[T any](xs []T, ok func(T) bool) {
	var wg sync.WaitGroup
	wg.Add(3)
	go Each(&wg, xs, func(T) {})
	go EachSome(&wg, xs)    // want `EachSome does not call wg.Done\(\) on every path \(it returns at generics.go:19 without it\)`
	go EachSome[T](&wg, xs) // want `EachSome\[T\] does not call wg.Done\(\) on every path`
	wg.Wait()

	wg.Add(1)
	go func() {
		if len(xs) == 0 {
			return // want `the goroutine returns here without calling wg.Done\(\)`
		}
		wg.Done()
	}()
	wg.Wait()

	b := &Box[T]{}
	b.wg.Add(1)
	go b.Run(ok) // want `b.Run does not call b.wg.Done\(\) on every path`
	b.wg.Wait()
}

func instantiated(ints []int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go EachSome[int](&wg, ints) // want `EachSome\[int\] does not call wg.Done\(\) on every path`
	wg.Wait()
}
