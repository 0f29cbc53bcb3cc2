// Package waitgroup defines an Analyzer that reports sync.WaitGroup
// counters that never reach zero, or go negative.
//
// # Analyzer waitgroup
//
// waitgroup: report WaitGroups that never reach zero or go negative
//
// wg.Wait() blocks until the WaitGroup's counter is zero. One Done
// skipped on an error path parks the waiter forever (the goroutine dump
// shows it in sync.(*WaitGroup).Wait); one Done too many panics with
// "sync: negative WaitGroup counter", or lets Wait return while
// goroutines are still running. The analyzer reports these shapes:
//
// 1. Done missing on some path of a goroutine that calls it on another:
// an early return, a runtime.Goexit (t.Fatal, t.FailNow, t.Skip in a
// goroutine), or a panic that a deferred function of the goroutine
// recovers. The report is on the path's end.
//
//	// WRONG
//	wg.Add(1)
//	go func() {
//		if err := step(); err != nil {
//			return // wg.Wait() blocks forever
//		}
//		wg.Done()
//	}()
//
//	// RIGHT
//	wg.Add(1)
//	go func() {
//		defer wg.Done()
//		if err := step(); err != nil {
//			return
//		}
//	}()
//
// 2. Done twice on one path: defer wg.Done() and an explicit wg.Done(),
// or two explicit calls in a goroutine started after wg.Add(1); and any
// Done of the WaitGroup in a function run by its Go method, which calls
// Done itself.
//
// 3. Add inside the goroutine it accounts for: the goroutine adds to the
// WaitGroup on every path, before its own Done, while the function that
// starts it adds nothing to that WaitGroup. Wait can run before the Add
// and return at once. go vet and staticcheck report this when the Add is
// the first statement of a function literal; here it is reported
// anywhere before the goroutine's own Done, and also when the goroutine
// is a declared function started with go worker(&wg) or go s.run() (see
// Across functions). When the Add is a statement of the literal's body
// with a constant argument, a suggested fix moves it before the go
// statement.
//
//	// WRONG
//	go func() {
//		wg.Add(1)
//		defer wg.Done()
//		work()
//	}()
//	wg.Wait() // may return before the Add
//
//	// RIGHT
//	wg.Add(1)
//	go func() {
//		defer wg.Done()
//		work()
//	}()
//	wg.Wait()
//
// 4. Counts that don't match, where they are known:
//
//   - a constant Add(n) followed, before Wait in the same block, by
//     goroutines whose Done calls don't add up to n (a local WaitGroup
//     only, so that every Done is in view; a loop with a constant
//     number of iterations that starts its goroutines on every
//     iteration counts them all);
//   - wg.Add(1) before a loop that starts a goroutine on every
//     iteration (unless the loop runs a constant number of times);
//   - Add(len(xs)) before range xs, Add(n) before range n or for i :=
//     0; i < n; i++, where an iteration can skip the go statement
//     (continue, break, a condition) without calling Done itself.
//
// The last shape, and its fix:
//
//	// WRONG
//	wg.Add(len(jobs))
//	for _, j := range jobs {
//		if j == nil {
//			continue // wg.Wait() blocks forever
//		}
//		go func() { defer wg.Done(); run(j) }()
//	}
//
//	// RIGHT
//	for _, j := range jobs {
//		if j == nil {
//			continue
//		}
//		wg.Add(1)
//		go func() { defer wg.Done(); run(j) }()
//	}
//
// 5. Self-wait: Wait inside a goroutine counted by the same WaitGroup,
// while the goroutine's own Done is still to come (deferred, or later
// on the path), or inside a function run by wg.Go — it waits for
// itself; and Wait inside the loop that
// starts the goroutines it waits for, when nothing in the loop adds to
// the WaitGroup: the first Wait waits for goroutines not started yet.
//
// 6. No Done anywhere: a WaitGroup field or package-level variable that
// other packages cannot reach (unexported, not embedded, never handed
// on, its address never taken) is added to and waited on, but nothing in
// the program calls its Done or Go. The first Wait after an Add blocks
// forever (cockroach1055's drain, added to per task and never drained).
//
//	// WRONG
//	func (s *stopper) startTask() { s.drain.Add(1) }
//	func (s *stopper) quiesce()   { s.drain.Wait() } // nobody calls s.drain.Done()
//
//	// RIGHT
//	func (s *stopper) startTask() { s.drain.Add(1) }
//	func (s *stopper) endTask()   { s.drain.Done() } // called when each task ends
//	func (s *stopper) quiesce()   { s.drain.Wait() }
//
// It is silent when any Add adds something other than a positive
// constant (Add(-1) is a Done), for exported and embedded WaitGroups and
// those handed on, and for locals (shape 4 follows those through their
// function).
//
// # Across functions
//
// A function that receives a WaitGroup — a *sync.WaitGroup parameter, a
// field reached through its receiver or a pointer parameter, or a
// package-level WaitGroup — is summarised by a fact: it calls Done once
// on every path, on some paths, never, or in a way the pass can't count
// (handed on, in a loop, twice, or only to settle its own Add); and
// whether it adds to it (before its own Done: it counts itself) and
// waits on it. go worker(&wg) and go s.run() are then checked as
// precisely as a function literal, across packages: a worker that
// misses Done on a path, adds for itself, or waits for itself is
// reported at the go statement. A helper that calls Done once on every
// path (finish(&wg), s.done()) counts as a Done where it is called, and
// as a deferred Done under defer.
//
// # Versions
//
// Since Go 1.25, wg.Go(func() { ... }) adds, starts the goroutine and
// calls Done when it returns. In files whose Go version is 1.25 or later
// the messages for a missing Done in a goroutine literal, an Add inside
// it, and an Add before (or of the length of) the loop that starts the
// goroutines suggest it. Files of older versions get the classic fix
// only.
//
// # When it stays silent
//
//   - a WaitGroup handed to code we can't see: passed to a function
//     without a summary (a function value, an interface method, a
//     parameter of type any), stored in a field, a variable or a
//     composite, referred to from a function literal that is not run by
//     go, defer or in place (a callback), or passed to a helper that
//     calls Done on some paths only. Paths through such a use count as
//     settled, and counts are not compared;
//   - the branch of if wg != nil (or s != nil, for s.wg) where the
//     WaitGroup is nil: it owes no Done;
//   - paths that end in a panic nothing in the goroutine recovers (the
//     program crashes), in os.Exit or log.Fatal, in a call of a
//     function that never returns for another reason, or in a call,
//     inside if err != nil, of a function of the package that never
//     returns when that error is not nil (a test helper such as
//     requireNoError(t, err));
//   - the exit of a range loop over time.Tick(d) or a ticker's or
//     timer's C: those channels are never closed, so the loop ends only
//     through its return or break;
//   - Done in a loop (a consumer calling Done per item), and Add in a
//     loop of a goroutine: not the one-Done-per-goroutine shape;
//   - Done calls that only settle the goroutine's own Add (a rollback
//     when starting a worker fails): the goroutine is not counted by
//     its starter;
//   - a declared function that calls Done on some paths only, unless a
//     go statement starts it (it may be a helper whose caller completes
//     the count);
//   - Add inside a goroutine that calls no Done itself (a goroutine
//     adding for the goroutines it starts), that can return before the
//     Add (a server that checks, under its lock, that it is not stopped
//     before counting itself: Stop takes the same lock before waiting),
//     whose starter adds to the same WaitGroup anywhere, or whose
//     WaitGroup may be an alias of another (p := &s.wg);
//   - two explicit Done calls on one path of a declared function, or of
//     a goroutine whose starter adds something other than 1; and any
//     two Done calls of a goroutine whose starter adds again after
//     starting it (a handshake: Done when started, Add, Done when
//     finished), also when the goroutine is a declared function that
//     every go statement starting it in the package sets up so;
//   - a constant Add(n) with n > 1 before a loop whose number of
//     iterations is not a constant: the loop may run n times (a range
//     over a slice of n elements built just before); a constant loop
//     that can end early or skip its go statement;
//   - the Adds of a span (from an Add to the Wait) when a goroutine
//     started before the span, and not waited for in a span whose
//     counts matched, may still owe a Done;
//   - Add(len(xs)) with one unconditional launch per element, Add per
//     iteration before go, Done on every branch explicitly, wg.Go;
//   - errgroup.Group and any other type with Add, Done, Wait or Go
//     methods: only sync.WaitGroup is checked;
//   - generated files, and lines with a //leaklint:ignore waitgroup
//     <reason> comment.
package waitgroup
