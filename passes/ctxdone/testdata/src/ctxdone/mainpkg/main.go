// Package main: everything in main.main is silent; other functions of
// the package are not.
package main

import "context"

func handle(int) {}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := make(chan int)
	go func() {
		for { // ok: main.main's goroutines live as long as the process
			handle(<-in)
		}
	}()
	go worker(ctx, in) // ok: started in main.main
	run(ctx, in)
}

func worker(ctx context.Context, in <-chan int) { // want worker:`loopsForever\(ctx\)`
	for { // ok: only started from main.main
		handle(<-in)
	}
}

func run(ctx context.Context, in <-chan int) {
	go func() {
		for { // want `goroutine loops on <-in forever; ctx is never consulted`
			handle(<-in)
		}
	}()
}
