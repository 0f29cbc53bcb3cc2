// Package timeafter defines an Analyzer that reports timers and tickers
// that stay alive after their last use in code built for Go before 1.23.
//
// # Analyzer timeafter
//
// timeafter: report timers and tickers that leak before Go 1.23
//
// Before Go 1.23 the runtime kept every timer in its heap until the timer
// fired, and every ticker until it was stopped, whether or not anything
// still referred to it. Three shapes turn that into a leak that grows with
// traffic; the analyzer reports each of them.
//
// 1. time.After in a select inside a loop. Each iteration creates a new
// timer. When another case wins, the timer is abandoned but stays in the
// heap until it fires: a busy loop with a long timeout piles up thousands.
//
//	// WRONG
//	for {
//		select {
//		case msg := <-in:
//			handle(msg)
//		case <-time.After(time.Minute): // one more live timer per message
//			return
//		}
//	}
//
//	// RIGHT
//	timer := time.NewTimer(time.Minute)
//	defer timer.Stop()
//	for {
//		if !timer.Stop() {
//			select {
//			case <-timer.C:
//			default:
//			}
//		}
//		timer.Reset(time.Minute)
//		select {
//		case msg := <-in:
//			handle(msg)
//		case <-timer.C:
//			return
//		}
//	}
//
// The same holds when the time.After call is hidden in a helper that
// selects on it, and the helper is called in a loop: the analyzer records
// such helpers as facts (across packages) and reports the call in the
// loop.
//
// A suggested fix rewrites the first shape as above when the rewrite
// keeps the meaning: the duration is evaluated from constants and
// variables not changed in the loop, the loop is not nested in another
// loop of the same function, and only one time.After of the loop is
// reported.
//
// 2. time.Tick in a function that returns. The ticker behind time.Tick
// can never be stopped: before Go 1.23 each call leaks one ticker that
// keeps firing for the life of the process. Use time.NewTicker and
// defer ticker.Stop().
//
// 3. time.NewTicker whose Stop is not called on every path out of the
// function: the paths that return without Stop leak the ticker. The
// report points at the creation and, as related information, at a
// return that skips Stop.
//
// 4. A timer drain that blocks forever, in every Go version. In a loop
// whose select takes the timer's value in one case without restarting
// the timer, the drain if !t.Stop() { <-t.C } in another case (or
// before the select) runs on an expired timer whose value is gone: Stop
// returns false and the receive waits for a value that never comes. The
// goroutine is stuck, not just a timer.
//
//	// WRONG
//	for {
//		select {
//		case <-t.C:
//			flush()
//		case <-reset:
//			if !t.Stop() {
//				<-t.C // blocks once the case above took the value
//			}
//			t.Reset(d)
//		}
//	}
//
//	// RIGHT (Go 1.23 and later: Stop and Reset need no drain)
//	case <-reset:
//		t.Reset(d)
//
//	// RIGHT (before Go 1.23: a drain that cannot block)
//	case <-reset:
//		if !t.Stop() {
//			select {
//			case <-t.C:
//			default:
//			}
//		}
//		t.Reset(d)
//
// It stays silent when the case that takes the value restarts the timer
// (Reset, or a new timer assigned) or leaves the loop, when the loop
// assigns a new timer, when a Reset comes before the drain in the loop
// (the timer runs again, so Stop returning false means its value is
// there), when the condition is more than !t.Stop() (a flag
// that records the value was taken), and for drains in a select with a
// default.
//
// # Versions
//
// The analyzer reports shapes 1 to 3 only in files whose Go version (the go line of
// the module, or a //go:build constraint) is below go1.23: since Go 1.23
// unreferenced timers and tickers are garbage-collected and none of
// those shapes leaks. Shape 4 is reported in every version. Strictly, the runtime behaviour follows the go line
// of the main module that builds the program (the asynctimerchan GODEBUG
// setting), not the library's. Teams whose main module still pins an
// older go line can run with -timeafter.all to report regardless of
// the file's version; each message says which Go version makes the
// pattern a leak. When no version is known (GOPATH mode), nothing is
// reported without -timeafter.all.
//
// # When it stays silent
//
//   - a plain <-time.After(d) statement, or a select whose other cases all
//     leave the loop or the function: the timer fires, or at most one
//     timer per call is abandoned;
//   - a time.After created before the loop and received from inside it;
//   - loops that all have a constant bound (for i := 0; i < 3; i++,
//     for range 3, ranging over an array): at most that many timers per
//     call;
//   - time.Tick in main.main, in init functions, in functions that run
//     once because main calls them once (not in a loop, not through a
//     function value or an interface), in functions that never return
//     once the ticker is made (a worker's endless loop, even after an
//     early return before the time.Tick), at package level, and in
//     _test.go files; a time.Tick channel handed on (returned, stored,
//     passed, or captured by a function literal, which then owns it);
//   - a ticker that escapes: returned, stored in a field, a global or a
//     composite, passed to a function (even one that stops it), referred
//     to from a function literal (defer func() { t.Stop() }() included),
//     or reassigned;
//   - a ticker in main.main, in a function that runs once (as above), or
//     in a function that never returns;
//   - generated files, and lines with a //leaklint:ignore timeafter
//     <reason> comment.
//
// time.NewTimer is not checked: an unstopped timer is released when it
// fires, so it cannot pile up beyond its duration in the way these
// shapes do.
package timeafter
