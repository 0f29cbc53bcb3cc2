// want package:"hasAbandoners"

// Package a holds the shapes timeafter reports, and the correct shapes a
// naive check would report, in a module whose go line is 1.22.
package a

import (
	"context"
	"errors"
	"time"
)

func handle(int) {}

// ---- time.After in a select in a loop ----

func loopIdle(in <-chan int) {
	for {
		select {
		case v := <-in:
			handle(v)
		case <-time.After(time.Minute): // want `time.After\(time.Minute\) in a select inside a loop leaves a live timer behind each time another case is taken \(a leak before Go 1.23; this file is go1.22\): create one time.NewTimer before the loop`
			return
		}
	}
}

func rangeLoop(jobs []int, in <-chan int) {
	for range jobs {
		select {
		case <-in:
		case <-time.After(time.Second): // want `time.After\(time.Second\) in a select inside a loop`
		}
	}
}

func withDefault(in <-chan int) {
	for {
		select {
		case <-time.After(time.Second): // want `in a select inside a loop`
			return
		default:
			// Polling: each round abandons a timer.
		}
	}
}

func breakOnlyLeavesSelect(in <-chan int) {
	for {
		select {
		case v := <-in:
			if v == 0 {
				break // leaves the select, not the loop
			}
		case <-time.After(time.Second): // want `in a select inside a loop`
			return
		}
	}
}

func gotoLoop(in <-chan int) {
again:
	select {
	case <-in:
		goto again
	case <-time.After(time.Second): // ok: a goto loop is usually a retry-once path; not followed
	}
}

func timerVariable(in <-chan int) {
	for {
		timeout := time.After(time.Second) // want `time.After\(time.Second\) in a select inside a loop`
		select {
		case <-in:
		case <-timeout:
			return
		}
	}
}

func outerLoopReentersInner(batches [][]int, in <-chan int) {
	for range batches {
	inner:
		for {
			select {
			case <-in:
				break inner // the outer loop comes back to this select
			case <-time.After(time.Second): // want `in a select inside a loop`
				return
			}
		}
	}
}

func unboundedFor(in <-chan int, n int) {
	for i := 0; i < n; i++ {
		select {
		case <-in:
		case <-time.After(time.Second): // want `in a select inside a loop`
		}
	}
}

// ---- correct shapes that a naive check would flag ----

func otherCaseReturns(ctx context.Context, in <-chan int) error { // want otherCaseReturns:"abandonsTimer"
	for {
		select {
		case v := <-in: // leaving: at most one timer per call
			handle(v)
			return nil
		case <-ctx.Done(): // a stop signal: not counted as abandoning
			return ctx.Err()
		case <-time.After(time.Second): // ok: every other case leaves
			handle(0)
		}
	}
}

func otherCaseBreaksLoop(in <-chan int) { // want otherCaseBreaksLoop:"abandonsTimer"
loop:
	for {
		select {
		case <-in:
			break loop // ok: leaves the loop
		case <-time.After(time.Second):
		}
	}
}

func plainReceive() {
	for i := 0; ; i++ {
		<-time.After(time.Second) // ok: the timer always fires
		handle(i)
	}
}

func aloneInSelect() {
	for {
		select {
		case <-time.After(time.Second): // ok: nothing else to take
		}
	}
}

func timerBeforeLoop(in <-chan int) {
	timeout := time.After(time.Minute) // ok: one timer for the whole loop
	for {
		select {
		case v := <-in:
			handle(v)
		case <-timeout:
			return
		}
	}
}

func constantBound(in <-chan int) { // want constantBound:"abandonsTimer"
	for i := 0; i < 3; i++ { // ok: at most three timers per call
		select {
		case <-in:
		case <-time.After(time.Second):
		}
	}
	for range 3 { // ok: likewise
		select {
		case <-in:
		case <-time.After(time.Second):
		}
	}
	var arr [4]int
	for range arr { // ok: an array has a constant length
		select {
		case <-in:
		case <-time.After(time.Second):
		}
	}
}

func notInLoop(in <-chan int) { // want notInLoop:"abandonsTimer"
	select { // ok: one timer per call (but see the helper facts)
	case <-in:
	case <-time.After(time.Second):
	}
}

func inClosureOnce(in <-chan int) {
	for {
		go func() {
			select { // ok: one timer per goroutine, not per iteration of its loop
			case <-in:
			case <-time.After(time.Second):
			}
		}()
		return
	}
}

func suppressed(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Millisecond): //leaklint:ignore timeafter the millisecond timer fires before it can pile up
		}
	}
}

// ---- time.Tick ----

func tickReturns(ctx context.Context) {
	for range time.Tick(time.Second) { // want `time.Tick in tickReturns, which returns, starts a ticker that can never be stopped \(a leak before Go 1.23; this file is go1.22\): use time.NewTicker and defer ticker.Stop\(\)`
		if ctx.Err() != nil {
			return
		}
	}
}

func tickForever() {
	for range time.Tick(time.Second) { // ok: the function never returns
		handle(0)
	}
}

func tickInGoroutine(ctx context.Context) {
	go func() {
		tick := time.Tick(time.Second) // want `time.Tick in the function literal, which returns`
		for {
			select {
			case <-tick:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		for range time.Tick(time.Second) { // ok: this goroutine never returns
		}
	}()
}

func tickAfterEarlyReturn(enabled bool) {
	go func() {
		if !enabled {
			return // before the ticker exists
		}
		for range time.Tick(time.Second) { // ok: once started, this goroutine never returns
			handle(0)
		}
	}()
}

// traefik's checkNewVersion: the tick channel is handed to a goroutine
// that uses it for good.
func tickHandedToLiteral(enabled bool) {
	if !enabled {
		return
	}
	tick := time.Tick(time.Hour) // ok: owned by the literal
	go func() {
		for ; ; <-tick {
			handle(0)
		}
	}()
}

func tickBeforeReturn(enabled bool) {
	tick := time.Tick(time.Second) // want `time.Tick in tickBeforeReturn, which returns`
	if !enabled {
		return
	}
	for range tick {
		handle(0)
	}
}

var packageTick = time.Tick(time.Minute) // ok: one ticker for the program

func init() {
	_ = time.Tick(time.Second) // ok: init runs once
}

// ---- time.NewTicker ----

func tickerNeverStopped(ctx context.Context) {
	t := time.NewTicker(time.Second) // want `ticker t is never stopped, so it outlives tickerNeverStopped \(a leak before Go 1.23; this file is go1.22\): defer t.Stop\(\) after creating it`
	for {
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

func tickerEarlyReturn(fail bool) error {
	t := time.NewTicker(time.Second) // want `ticker t is not stopped on every path out of tickerEarlyReturn`
	if fail {
		return errors.New("early") // this path skips Stop
	}
	<-t.C
	t.Stop()
	return nil
}

func tickerInPlace() {
	for range time.NewTicker(time.Second).C { // want `time.NewTicker\(...\).C drops the ticker, so it can never be stopped`
		return
	}
}

func tickerDeferred() {
	t := time.NewTicker(time.Second) // ok
	defer t.Stop()
	<-t.C
}

func tickerStoppedEverywhere(fail bool) error {
	t := time.NewTicker(time.Second) // ok: both paths stop it
	if fail {
		t.Stop()
		return errors.New("early")
	}
	<-t.C
	t.Reset(time.Minute)
	t.Stop()
	return nil
}

func tickerDeferClosure() {
	t := time.NewTicker(time.Second) // ok: stopped in a closure we don't follow
	defer func() { t.Stop() }()
	<-t.C
}

type service struct{ ticker *time.Ticker }

func (s *service) start() {
	s.ticker = time.NewTicker(time.Second) // ok: stored in a field
}

func tickerReturned() *time.Ticker {
	t := time.NewTicker(time.Second) // ok: the caller owns it
	return t
}

func tickerPassed() {
	t := time.NewTicker(time.Second) // ok: passed on; stopper may stop it
	stopper(t)
}

func stopper(t *time.Ticker) { t.Stop() }

func tickerWorker() {
	t := time.NewTicker(time.Second) // ok: the function never returns
	for range t.C {
		handle(0)
	}
}

func tickerExitOnly(fail bool) {
	t := time.NewTicker(time.Second) // ok: the path without Stop panics
	if fail {
		panic("no")
	}
	t.Stop()
}

func tickerReassigned() {
	t := time.NewTicker(time.Second) // ok: reassigned; we don't follow which one is stopped
	t = time.NewTicker(time.Minute)
	t.Stop()
}

// ---- stop signals end a loop ----

type worker struct {
	quit   chan struct{}
	notify chan struct{}
	wake   chan struct{}
}

func (w *worker) stopSignals(ctx context.Context, in <-chan int) {
	for {
		select {
		case <-ctx.Done(): // ok: a stop signal, even without a return here
		case <-w.quit: // ok: named as one
		case <-time.After(time.Second):
			handle(0)
		}
	}
}

func (w *worker) closedOnly(in <-chan int) {
	for {
		select {
		case <-w.wake: // ok: a chan struct{} nothing sends on can only be closed
		case <-time.After(time.Second):
		}
	}
}

func (w *worker) notified() {
	for {
		select {
		case <-w.notify: // a chan struct{} that is sent on: a wake-up, not a stop
		case <-time.After(time.Second): // want `in a select inside a loop`
		}
	}
}

func (w *worker) poke() {
	select {
	case w.notify <- struct{}{}:
	default:
	}
}

// ---- time.Tick in a loop, and tickers handed on ----

func tickPerIteration(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.Tick(time.Second): // want `time.Tick in a loop starts a new ticker on every iteration, and none can ever be stopped \(a leak before Go 1.23; this file is go1.22\): create one time.NewTicker before the loop and defer its Stop`
			return
		}
	}
}

type poller struct{ tick <-chan time.Time }

func newPoller() *poller {
	return &poller{tick: time.Tick(time.Second)} // ok: stored; the poller owns it
}

func newPollerTicker() *poller {
	return &poller{tick: time.NewTicker(time.Second).C} // ok: likewise
}

func tickChan() <-chan time.Time {
	return time.Tick(time.Second) // ok: returned to the caller
}

func (p *poller) reset() {
	p.tick = time.Tick(time.Minute) // ok: stored in a field
}
