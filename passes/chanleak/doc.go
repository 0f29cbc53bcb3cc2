// Package chanleak defines an Analyzer that reports goroutines left
// blocked forever on a channel whose only partner has returned.
//
// # Analyzer chanleak
//
// chanleak: report goroutines stuck on a channel whose partner left early
//
// The most common goroutine leak in production Go: a function makes a
// channel, starts a goroutine that sends its result on it, and returns
// on some path without receiving: it took the ctx.Done() or timeout case
// of a select, or returned early on an error. Nothing else refers to the
// channel, so the goroutine waits in "chan send" forever, holding
// everything it references. A goroutine dump shows them piling up, one
// per request that took the early exit.
//
//	// WRONG
//	func fetch(ctx context.Context, url string) (*Result, error) {
//		ch := make(chan *Result)
//		go func() {
//			ch <- get(url) // blocks forever once fetch has returned
//		}()
//		select {
//		case r := <-ch:
//			return r, nil
//		case <-ctx.Done():
//			return nil, ctx.Err()
//		}
//	}
//
//	// RIGHT
//	func fetch(ctx context.Context, url string) (*Result, error) {
//		ch := make(chan *Result, 1) // the send never waits
//		go func() {
//			ch <- get(url)
//		}()
//		...
//	}
//
// The same holds for a loop that receives one result per goroutine and
// returns on the first error while the other goroutines still have to
// send, and the other way round: a goroutine receiving from (or ranging
// over) a channel that its function can return without sending on or
// closing.
//
// The analysis works on the SSA form. For each channel made in a
// function F with a constant buffer size (none is 0), it follows every
// use of the channel: the goroutines F starts with it (go statements,
// errgroup's and sync.WaitGroup's Go with a function literal), as a
// captured variable or an argument, through helper functions of the
// package that they call with it and through method values; and F's own
// receives, sends, closes and selects. For each goroutine it counts the
// sends it makes at most on one run (a loop counting to a constant
// makes that many; any other loop, an unknown number). Then it explores
// the paths of F from the make to each return (and to the make itself,
// when a loop makes a new channel while the old one still has senders),
// counting the sends the goroutines started on the path can still have
// pending:
//
//   - a receive matches one; a select's case on the channel matches one
//     only on the path where that case is taken;
//   - the channel found closed (the end of a range over it), a call of a
//     Wait method (sync.WaitGroup, errgroup.Group) and a receive loop
//     that ends by its own count (its condition, or a counter it steps
//     reaching its bound inside the body) match them all;
//   - a signal the goroutine gives only after its last operation on the
//     channel (it closes done on its way out, or sends its error just
//     before returning) matches that goroutine's sends;
//   - a loop that starts goroutines counts them round by round, so a
//     loop that starts one and receives from it before the next is no
//     leak, and a loop counting to a constant starts that many.
//
// A way out with more sends pending than the buffer holds is reported
// at each send of the goroutines that can be pending, naming the
// channel, with the way out (and the select case that led to it) as
// related information. An unknown number of sends (a goroutine sending
// in a loop, goroutines started in a loop) is reported only for an
// unbuffered channel.
//
// A goroutine's send that is a case of a select with another case (a
// ctx.Done(), a done channel, a timer, a default) has a way out and
// never counts.
//
// When there is a single goroutine start whose goroutine sends exactly
// once, started once or once per element of a range over a variable xs,
// a suggested fix gives the channel the buffer it needs: make(chan T)
// becomes make(chan T, 1) or make(chan T, len(xs)).
//
// The analyzer also reports a send on, a receive from or a range over a
// channel that is certainly nil: a local variable declared as var ch
// chan T and never assigned (or an explicit nil). Such an operation
// blocks forever; the make was forgotten.
//
// And it reports a receive from a channel that nothing in the program
// sends on or closes, when no other package can: an unexported field or
// package-level variable, or a local made in its function, used only in
// channel operations and handed out, if at all, receive-only (a getter
// returning <-chan T). The receive blocks forever (grpc1275,
// cockroach25456):
//
//	// WRONG
//	type Stopper struct{ quiescer chan struct{} }
//	func (s *Stopper) ShouldQuiesce() <-chan struct{} { return s.quiescer }
//	...
//	<-s.ShouldQuiesce() // nothing ever closes s.quiescer
//
//	// RIGHT
//	func (s *Stopper) Quiesce() { close(s.quiescer) } // called on shutdown
//
// A channel passed to a function of the same package (f(ch), go
// w.watch(ch), go func(c chan T) { ... }(ch)) is followed into it: what
// the callee does with its parameter counts, so a channel handed to a
// goroutine that never uses it is still one nothing can wake (grpc1424):
//
//	// WRONG
//	done := make(chan bool)
//	go c.watch(done) // watch never sends on or closes done
//	<-done
//
//	// RIGHT
//	func (c *conn) watch(done chan bool) {
//		defer close(done)
//		...
//	}
//
// The other way round, a send on an unbuffered channel that nothing in
// the program receives from, by the same reckoning of who can reach it,
// blocks forever (kubernetes38669). The channel must be unbuffered at
// every make: no size, a constant 0, or a parameter of an unexported
// function that every call passes 0 to. A buffered channel may hold every
// value ever sent, so it is left alone.
//
//	// WRONG
//	w := &watcher{results: make(chan Event)}
//	...
//	w.results <- e // no code receives from w.results
//
//	// RIGHT
//	func (w *watcher) ResultChan() <-chan Event { return w.results }
//
// It counts only operations that wait for the channel alone (not a
// select with other cases), and is silent for parameters, for locals that
// come from anywhere but make, and for channels that are exported, passed
// to a function value or to another package, passed as a variadic
// argument, assigned, returned with send rights, or used in tests.
//
// A goroutine can also wait for itself: when the only close of such a
// channel is a function's own deferred close (and nothing sends on it),
// a receive from it that the function reaches before returning can end
// only after the function has returned, which it cannot do while it
// waits (syncthing5795: the dispatcher loop calls a callback that closes
// the connection, and Close waits for the loop to stop). The receive is
// followed through the package's functions, through function values and
// interface methods whose every value or implementation the package
// knows (internal/resolve), and into a literal run by sync.Once.Do, up
// to six calls deep; not into go statements or deferred calls. The
// deferred close must be a statement of the function's body, not inside
// a branch, and the report is at the call that leads to the receive (or
// at the receive, when it is in the function itself).
//
//	// WRONG
//	func (c *conn) loop() {
//		defer close(c.stopped)
//		for msg := range c.inbox {
//			c.handler(msg) // may call c.Close, which waits on <-c.stopped
//		}
//	}
//
//	// RIGHT: Close only signals; callers outside the loop wait apart
//	func (c *conn) Close() { c.closeOnce.Do(func() { close(c.closed) }) }
//	func (c *conn) Wait()  { <-c.stopped }
//
// # When it stays silent
//
//   - the channel escapes F: it is returned, stored in a field, a global,
//     a composite or another variable, sent on a channel, converted to
//     an interface, assigned again, passed to a function other than the
//     goroutine's (or a helper of the same package the pass can follow),
//     or captured by a function literal that is not the goroutine's;
//   - the goroutine hands the channel on in the same ways, starts
//     another goroutine with it, or is a function of another package, an
//     interface method or a function value (no facts describe workers
//     across packages);
//   - a deferred call of F uses the channel (a deferred drain, a deferred
//     close) or waits for the goroutines (defer wg.Wait(), or defer
//     func() { cancel(); <-done }() on the goroutine's finish signal);
//   - F waits for the goroutines (a Wait method) before returning, or
//     receives their finish signal (above);
//   - the goroutines' sends are cases of a select with another case or a
//     default;
//   - the buffer has room for every send that can be pending, or its
//     size is not a constant (make(chan T, len(xs)));
//   - an unknown number of sends with a buffer: the pass cannot prove it
//     too small;
//   - F both sends and receives on the channel, or some goroutines send
//     while others receive: F is not the goroutines' only partner;
//   - a goroutine receiving in a loop that may end on the value it
//     receives (if <-done { return }): how many sends it waits for is
//     not known;
//   - paths that end in a panic or in a call that never returns (os.Exit,
//     log.Fatal, t.FailNow, functions of this or another package that
//     always end in one);
//   - main.main (its return ends the program) and test code — _test.go
//     files, files that import testing, testutil packages — unless
//     -chanleak.tests: a goroutine a test leaks ends with the test binary;
//   - a nil channel in a select case (the idiom to disable a case), a
//     variable assigned on some path, and package-level variables;
//   - generated files, and lines with a //leaklint:ignore chanleak
//     <reason> comment.
//
// Conditions that correlate the goroutine with F are not followed: a
// goroutine whose send is guarded by a flag (send at most once), or of
// which only one of several sends, depending on a shared counter, can
// be reported. A receive loop that ends on its own count is taken to
// receive from every goroutine, whether or not the counts agree.
package chanleak
