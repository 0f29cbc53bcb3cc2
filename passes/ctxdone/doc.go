// Package ctxdone defines an Analyzer that reports goroutines that loop
// on a channel, a ticker or a sleep while a context they hold can never
// end the loop.
//
// # Analyzer ctxdone
//
// ctxdone: report goroutines that hold a context and never look at it
//
// A worker goroutine that loops forever on a channel, a ticker or a
// poll, while a context.Context sits in scope unused, cannot be stopped:
// when its caller is cancelled it stays in [chan receive], [select] or
// [sleep] for the life of the process, with everything it references.
//
//	// WRONG
//	func (s *Server) Start(ctx context.Context) {
//		go func() {
//			for {
//				select {
//				case ev := <-s.events:
//					s.handle(ev)
//				case <-s.ticker.C:
//					s.flush()
//				}
//			}
//		}()
//	}
//
//	// RIGHT
//	func (s *Server) Start(ctx context.Context) {
//		go func() {
//			for {
//				select {
//				case <-ctx.Done():
//					return
//				case ev := <-s.events:
//					s.handle(ev)
//				case <-s.ticker.C:
//					s.flush()
//				}
//			}
//		}()
//	}
//
// The analyzer reports a loop of a goroutine when
//
//   - a context is available to the goroutine: for a function literal
//     started with go, a context parameter of the literal or a context
//     variable of the enclosing functions in scope at the go statement
//     (captured or not — except a root context the function makes from
//     context.Background() for another consumer it passes it to, whose
//     cancel function it only calls itself), or a context field of the
//     enclosing method's receiver; for a named function or method started with go (directly,
//     through a method value or method expression, or through a local
//     variable assigned once), a named context parameter or a context
//     field of its receiver;
//   - the loop is a for loop without a condition, or a range over a
//     channel the time package never closes (for range ticker.C, for
//     range time.Tick(d));
//   - every iteration blocks: each path round the loop passes a channel
//     receive or send, a select without a default case, or time.Sleep;
//   - the loop has no way out: no return, break or goto out of the loop
//     can be reached. A panic or a call that never returns (log.Fatal,
//     os.Exit) is not a way out, and neither is a case receiving from
//     the Done channel of a context that is never cancelled.
//
// The report is at the loop's for keyword, names the context and what
// each iteration blocks on ("goroutine loops on <-in forever; ctx is
// never consulted"), and points at the blocking operation. A loop whose
// case <-ctx.Done() (or on a done channel) does not leave it, because a
// break there leaves only the select, is reported as such: after
// cancellation it spins on the closed channel; the fix is a return.
//
// A loop that has a way out, even one the context cannot trigger (case
// err := <-errc: return, case <-sub.Err(): return, a counter), is not
// reported by default: the goroutine then has a lifetime of its own,
// and that lifetime is often meant to outlast the context in scope (an
// RPC subscription's goroutine outlives the subscribe call's context,
// which the server cancels when the call returns; a ctx.Done case would
// end every subscription at once). With -ctxdone.untied such loops are
// reported too, unless one of their ways out is tied to the context or
// a stop signal: it can be reached, in the same iteration, after a case
// or receive of ctx.Done() or of a done/stop/quit channel, after a
// condition that looks at a context (ctx.Err() != nil) or at a flag or
// method named for stopping (s.closed, w.isStopped()), after a call that
// is given a context, or a value holding one, and whose result is used
// (if err := step(ctx); err != nil), or after a comma-ok receive (v, ok
// := <-in: closing in ends the loop, as it ends a range over in). Their
// message says "no way out of the loop depends on ctx".
//
// A context derived from the available one with context.WithCancel,
// WithTimeout, WithDeadline or WithValue counts as the same context:
// consulting it is consulting the parent. context.WithoutCancel(ctx) is
// different: its Done channel is nil and never ready, whatever happens
// to ctx, so a case receiving from it is not a way out, and a goroutine
// that has only such a context (or only context.Background() or TODO())
// has nothing to consult and is not reported.
//
// Named functions are summarised as facts, across packages: a function
// of another package that loops forever without letting its context end
// the loop is reported at the go statement that starts it with a
// cancellable context, or at the call inside a goroutine's function
// literal (go func() { defer wg.Done(); w.Run(ctx) }()). A function of
// the same package is reported at its loop, once, with the go statement
// as related information.
//
// A suggested fix is offered for loops written for { select { ... } }
// with no default case, in a goroutine whose function has no results:
// "Add a ctx.Done case" inserts
//
//	case <-ctx.Done():
//		return
//
// as the select's first case (not when the select already has a stop
// case that does not leave: that needs a return instead). Other shapes
// need a rewrite the author has to choose (a for range ticker.C
// becomes a for with a select, a blocking receive becomes a select),
// and functions with results need values to return, so they get no
// fix.
//
// # A context only a stored cancel ends
//
// A function that makes ctx, cancel := context.WithCancel(parent), keeps
// cancel in an unexported field of an object, and starts a goroutine whose
// first statement waits for ctx.Done() has tied that goroutine to the
// cancel: nothing else ends the wait, unless the parent ends. Two ways
// to leak it are reported.
//
// Nothing calls the cancel, or only the waiting goroutine does, after its
// wait, and the parent is context.Background() or TODO() (directly, or
// through a parameter every call gives one of those). The wait is
// reported (cockroach13755):
//
//	// WRONG
//	func (rs *Rows) initContextClose(ctx context.Context) {
//		ctx, rs.cancel = context.WithCancel(ctx)
//		go rs.awaitDone(ctx)
//	}
//	func (rs *Rows) awaitDone(ctx context.Context) {
//		<-ctx.Done()        // only close cancels ctx, and only awaitDone calls close
//		rs.close(ctx.Err())
//	}
//
//	// RIGHT
//	func (rs *Rows) Close() error { rs.close(nil); return nil }
//
// Who may call the cancel is worked out on the package's static calls: a
// function that is exported, used as a value, named like a method of one
// of the package's interfaces, or called from a package-level
// initialiser may run; an unexported one runs only if such a function
// calls it. A cancel that is copied, passed or returned may be called
// anywhere: silent.
//
// The function returns the object, and a caller, in any package, throws
// the result away (an expression statement, or _ = f()): nothing can
// call the cancel any more, and the goroutine waits forever. The call is
// reported, with the exported methods that would end it
// (cockroach13197):
//
//	// WRONG
//	db.begin(context.Background()) // begin's goroutine waits for tx.Rollback
//
//	// RIGHT
//	tx := db.begin(context.Background())
//	defer tx.Rollback()
//
// This works across packages through a fact on the function. When the
// context derives from a parameter, only calls that pass
// context.Background() or TODO() there are reported: another parent may
// end, and the goroutine with it. A function that keeps the object
// anywhere but its result (a registry, a method call on it) gets no
// fact.
//
// # When it stays silent
//
//   - for v := range ch: it ends when the channel is closed, and so does
//     a loop that checks v, ok := <-ch;
//   - loops with a condition (for i := 0; i < n; i++, for !s.stopped,
//     for ctx.Err() == nil), ranges over anything but the time package's
//     channels, and straight-line goroutines;
//   - loops with a way out (return, break, goto), whatever decides it;
//     with -ctxdone.untied, loops with a way out tied to a stop signal
//     or a context, as listed above, even if other ways out are not;
//   - loops with an iteration that does not block (a select with a
//     default case and no sleep): that is a spinning loop, not a parked
//     goroutine; and loops whose blocking is hidden in a call (conn.Read,
//     wg.Wait, cond.Wait): those end when their resource is closed;
//   - goroutines with no context in scope: there is nothing to consult
//     (a goroutine blocked for ever without one is chanleak's ground);
//     unnamed and blank (_) context parameters, package-level context
//     variables, and contexts that are never cancelled
//     (context.Background(), TODO(), WithoutCancel, WithValue of those,
//     and the context parameter of an unexported function that every
//     call in the package gives one of those);
//   - a function literal that declares a context parameter and is given
//     a never-cancelled context, or ignores it (_): its author detached
//     it from the contexts around it;
//   - go statements that pass a never-cancelled context to a named
//     function's context parameter;
//   - every goroutine started in main.main: it lives as long as the
//     process anyway;
//   - goroutines started in _test.go files: they end with the test
//     binary;
//   - go statements whose function is a function value or an interface
//     method: nothing is known about the code that runs;
//   - a function that passes its context to another that loops forever
//     is not itself summarised: only loops in the function's own body
//     count;
//   - generated files, and lines with a //leaklint:ignore ctxdone
//     <reason> comment.
package ctxdone
