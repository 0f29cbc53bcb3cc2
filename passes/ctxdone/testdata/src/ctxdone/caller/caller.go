// Package caller starts the functions of package worker as goroutines:
// the facts about them are reported here, at the go statement.
package caller

import (
	"context"
	"sync"
	"time"

	"example.com/ctxdone/worker"
)

func start(ctx context.Context, in <-chan int) {
	go worker.Worker(ctx, in) // want `Worker loops on <-in forever and never lets its context ctx end the loop \(worker.go:14\), so the goroutine outlives cancellation: make Worker return when ctx is done`
}

func poll(ctx context.Context) {
	go worker.Poll(1, ctx, time.Second) // want `Poll loops on t.C forever`
}

func pump(p *worker.Pump) {
	go p.Run() // want `Run loops on select \(<-p.in\) forever and never lets its context p.ctx end the loop`
}

// Through a method value.
func pumpValue(p *worker.Pump) {
	run := p.Run
	go run() // want `Run loops on select`
}

func generic(ctx context.Context, in <-chan string) {
	go worker.Each(ctx, in, func(string) {}) // want `Each loops on <-in forever`
	go worker.Each[string](ctx, in, nil)     // want `Each loops on <-in forever`
}

// A call inside the goroutine's literal.
func inLiteral(ctx context.Context, wg *sync.WaitGroup, in <-chan int) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		worker.Worker(ctx, in) // want `Worker loops on <-in forever and never lets its context ctx end the loop \(worker.go:14\), so this goroutine outlives cancellation`
	}()
}

// ---- silent ----

func background(in <-chan int) {
	go worker.Worker(context.Background(), in) // ok: nothing to cancel
	go worker.Worker(context.TODO(), in)       // ok: nothing to cancel
}

func withoutCancel(ctx context.Context, in <-chan int) {
	go worker.Worker(context.WithoutCancel(ctx), in) // ok: a context that is never cancelled
}

func serve(ctx context.Context, in <-chan int) {
	go worker.Serve(ctx, in) // ok: Serve returns on ctx.Done()
}

func loop(ctx context.Context, in <-chan int) {
	go worker.Loop(in) // ok: Loop holds no context
}

func notAGoroutine(ctx context.Context, in <-chan int) {
	worker.Worker(ctx, in) // ok: not a goroutine here (the caller blocks, which is its own business)
}
