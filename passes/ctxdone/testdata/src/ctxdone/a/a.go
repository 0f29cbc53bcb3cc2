// Package a holds the goroutine shapes ctxdone reports, and the correct
// shapes a naive check would flag.
package a

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

func handle(int)                            {}
func handleCtx(context.Context, int)        {}
func step(context.Context) error            { return nil }
func poll() error                           { return nil }
func work(ctx context.Context, v int) error { return ctx.Err() }

// ---- reported ----

func recvLoop(ctx context.Context, in <-chan int) {
	go func() {
		for { // want `goroutine loops on <-in forever; ctx is never consulted: select on ctx.Done\(\) and return`
			v := <-in
			handle(v)
		}
	}()
}

func selectLoop(ctx context.Context, in <-chan int, t *time.Ticker) {
	go func() {
		for { // want `goroutine loops on select \(<-in, <-t.C\) forever; ctx is never consulted: add a case <-ctx.Done\(\) that returns`
			select {
			case v := <-in:
				handle(v)
			case <-t.C:
			}
		}
	}()
}

func sendLoop(ctx context.Context, out chan<- int) {
	go func() {
		for i := 0; ; i++ { // want `goroutine loops on out <- i forever`
			out <- i
		}
	}()
}

func sleepLoop(ctx context.Context) {
	go func() {
		for { // want `goroutine loops on time.Sleep\(time.Second\) forever; ctx is never consulted`
			time.Sleep(time.Second)
			_ = poll()
		}
	}()
}

func tickerRange(ctx context.Context) {
	t := time.NewTicker(time.Second)
	go func() {
		for range t.C { // want `goroutine loops on t.C forever; ctx is never consulted`
			_ = poll()
		}
	}()
}

func tickRange(ctx context.Context) {
	go func() {
		tick := time.Tick(time.Minute)
		for range tick { // want `goroutine loops on tick forever`
			_ = poll()
		}
	}()
}

// The context is used in the loop, but only given to calls whose result
// is dropped: nothing lets it end the loop.
func usedButNotConsulted(ctx context.Context, in <-chan int) {
	go func() {
		for { // want `goroutine loops on <-in forever; nothing in the loop lets ctx end it`
			handleCtx(ctx, <-in)
		}
	}()
}

// The loop has a way out, but not one the context can take: silent by
// default (the goroutine has a lifetime of its own), reported with
// -untied (see package untied).
func untiedExit(ctx context.Context, in <-chan int, errc <-chan error) {
	go func() {
		for { // ok: a way out on errc
			select {
			case v := <-in:
				handle(v)
			case <-errc:
				return
			}
		}
	}()
}

// A step(ctx) whose error is checked but that does not leave the loop.
func checkedButStays(ctx context.Context, in <-chan int) {
	go func() {
		for { // want `goroutine loops on <-in forever; nothing in the loop lets ctx end it`
			v := <-in
			if err := step(ctx); err != nil {
				handle(v)
			}
		}
	}()
}

// A case on ctx.Done() that does not leave: the loop spins after
// cancellation.
func doneCaseStays(ctx context.Context, in <-chan int) {
	go func() {
		for { // want `goroutine loops on select \(<-ctx.Done\(\), <-in\) forever: the case <-ctx.Done\(\) does not leave the loop`
			select {
			case <-ctx.Done():
				handle(0)
			case v := <-in:
				handle(v)
			}
		}
	}()
}

type Server struct {
	ctx    context.Context
	events chan int
	mu     sync.Mutex
}

// A literal in a method: the receiver's context field is available.
func (s *Server) Start() {
	go func() {
		for { // want `goroutine loops on <-s.events forever; s.ctx is never consulted`
			handle(<-s.events)
		}
	}()
}

// A method started with go: its receiver's context field is available.
func (s *Server) loop() { // want loop:`loopsForever\(s.ctx\)`
	for { // want `goroutine loops on <-s.events forever; s.ctx is never consulted`
		handle(<-s.events)
	}
}

func (s *Server) Run() {
	go s.loop()
	go s.loop() // reported once, at the loop
}

// A named function with a context parameter, started with go.
func pump(ctx context.Context, in <-chan int, out chan<- int) { // want pump:`loopsForever\(ctx\)`
	for { // want `goroutine loops on <-in forever; ctx is never consulted`
		out <- <-in
	}
}

func startPump(ctx context.Context, in <-chan int, out chan<- int) {
	go pump(ctx, in, out)
}

// Started through a method value held in a variable.
type Worker struct{ in chan int }

func (w *Worker) Serve(ctx context.Context) { // want Serve:`loopsForever\(ctx\)`
	for { // want `goroutine loops on <-w.in forever; ctx is never consulted`
		handle(<-w.in)
	}
}

func startWorker(ctx context.Context, w *Worker) {
	serve := w.Serve
	go serve(ctx)
}

// Started through a method expression: the context is the second
// argument.
type Other struct{ in chan int }

func (o Other) Serve(ctx context.Context) { // want Serve:`loopsForever\(ctx\)`
	for { // want `goroutine loops on <-o.in forever`
		handle(<-o.in)
	}
}

func startOther(ctx context.Context, o Other) {
	go Other.Serve(o, ctx)
}

// A literal held in a variable, and a context the literal takes as a
// parameter.
func literalVar(parent context.Context, in <-chan int) {
	run := func(ctx context.Context) {
		for { // want `goroutine loops on <-in forever; ctx is never consulted`
			handle(<-in)
		}
	}
	go run(parent)
}

// A goroutine's literal calls a same-package function that loops.
func (s *Server) viaCall(ctx context.Context, wg *sync.WaitGroup, in <-chan int, out chan<- int) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		drain(ctx, in)
	}()
}

func drain(ctx context.Context, in <-chan int) { // want drain:`loopsForever\(ctx\)`
	for { // want `goroutine loops on <-in forever; ctx is never consulted`
		<-in
	}
}

// Suppressed, with a reason.
func suppressed(ctx context.Context, in <-chan int) {
	go func() {
		//leaklint:ignore ctxdone the producer lives as long as the process
		for {
			handle(<-in)
		}
	}()
}

// ---- silent ----

func rangeChan(ctx context.Context, in <-chan int) {
	go func() {
		for v := range in { // ok: ends when in is closed
			handle(v)
		}
	}()
}

func commaOk(ctx context.Context, in <-chan int) {
	go func() {
		for { // ok: ends when in is closed, like a range
			v, ok := <-in
			if !ok {
				return
			}
			handle(v)
		}
	}()
}

func commaOkCase(ctx context.Context, in <-chan int, t *time.Ticker) {
	go func() {
		for { // ok: ends when in is closed
			select {
			case v, ok := <-in:
				if !ok {
					return
				}
				handle(v)
			case <-t.C:
			}
		}
	}()
}

func doneCase(ctx context.Context, in <-chan int) {
	go func() {
		for { // ok: returns on ctx.Done()
			select {
			case <-ctx.Done():
				return
			case v := <-in:
				handle(v)
			}
		}
	}()
}

func doneCaseBreak(ctx context.Context, in <-chan int) {
	go func() {
	loop:
		for { // ok: breaks out on ctx.Done()
			select {
			case v := <-in:
				handle(v)
			case <-ctx.Done():
				break loop
			}
		}
		handle(0)
	}()
}

func quitChannel(ctx context.Context, in <-chan int, quit <-chan struct{}) {
	go func() {
		for { // ok: returns on a quit channel
			select {
			case <-quit:
				return
			case v := <-in:
				handle(v)
			}
		}
	}()
}

func errCheck(ctx context.Context) {
	go func() {
		for { // ok: ctx.Err() ends it
			time.Sleep(time.Second)
			if ctx.Err() != nil {
				return
			}
		}
	}()
}

func ctxCall(ctx context.Context, in <-chan int) {
	go func() {
		for { // ok: work(ctx, ...) fails once ctx is done, and that returns
			if err := work(ctx, <-in); err != nil {
				return
			}
		}
	}()
}

func errorsIs(ctx context.Context, in <-chan int) {
	go func() {
		for { // ok: the error of a ctx-taking call ends it
			err := work(ctx, <-in)
			if errors.Is(err, context.Canceled) {
				break
			}
		}
	}()
}

type flagged struct {
	closed atomic.Bool
	in     chan int
}

func (f *flagged) run(ctx context.Context) {
	go func() {
		for { // ok: a flag named for stopping ends it
			handle(<-f.in)
			if f.closed.Load() {
				return
			}
		}
	}()
}

func bounded(ctx context.Context, in <-chan int) {
	go func() {
		for i := 0; i < 10; i++ { // ok: bounded
			handle(<-in)
		}
	}()
}

func withCond(ctx context.Context, in <-chan int, running *bool) {
	go func() {
		for *running { // ok: a condition may end it
			handle(<-in)
		}
	}()
}

func straightLine(ctx context.Context, in <-chan int) {
	go func() {
		handle(<-in) // ok: no loop
	}()
}

func spins(ctx context.Context, in <-chan int) {
	go func() {
		for { // ok: an iteration can run without blocking (a spinning loop, not a parked goroutine)
			select {
			case v := <-in:
				handle(v)
			default:
			}
		}
	}()
}

func noContext(in <-chan int) {
	go func() {
		for { // ok: no context in scope: chanleak's ground
			handle(<-in)
		}
	}()
}

func blankParam(_ context.Context, in <-chan int) {
	go func() {
		for { // ok: the context is deliberately ignored
			handle(<-in)
		}
	}()
}

func background(in <-chan int) {
	ctx := context.Background()
	go func() {
		for { // ok: a background context is never cancelled: nothing to consult
			select {
			case v := <-in:
				handleCtx(ctx, v)
			}
		}
	}()
}

func startPumpBackground(in <-chan int, out chan<- int) {
	go pump(context.Background(), in, out) // ok: nothing to cancel (pump is reported only once, at its loop, for startPump)
}

func panics(ctx context.Context, in <-chan int) {
	go func() {
		for { // want `goroutine loops on <-in forever; ctx is never consulted`
			if v := <-in; v < 0 {
				panic("negative") // not a way out: the process dies
			}
		}
	}()
}

func notStarted(ctx context.Context, in <-chan int) {
	// ok: not a goroutine (and the named function gets a fact only for
	// other packages).
	f := func() {
		for {
			handle(<-in)
		}
	}
	f()
}

func loopReturns(ctx context.Context, in <-chan int) {
	go func() {
		for { // ok: the body always leaves: not a loop
			handle(<-in)
			return
		}
	}()
}

func funcValue(ctx context.Context, f func(context.Context)) {
	go f(ctx) // ok: nothing known about f
}
