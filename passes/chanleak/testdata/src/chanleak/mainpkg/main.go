// Package main checks that main.main is exempt: its return ends the
// program and every goroutine with it.
package main

import "context"

func main() {
	ctx := context.Background()
	ch := make(chan int)
	go func() { ch <- 1 }() // ok: main returns, the program ends
	select {
	case <-ch:
	case <-ctx.Done():
	}
	var forever chan struct{}
	<-forever // ok: main blocking on purpose
}

// Other functions of package main are checked.
func helper(ctx context.Context) {
	ch := make(chan int)
	go func() { ch <- 1 }() // want `sending on ch: helper can return without receiving from it`
	select {
	case <-ch:
	case <-ctx.Done():
	}
}
