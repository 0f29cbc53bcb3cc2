// Package lockblock defines an Analyzer that reports operations that can
// block for an unbounded time while a mutex is held.
//
// # Analyzer lockblock
//
// lockblock: report blocking operations while a mutex is held
//
// A goroutine that sends on a channel, waits on a WaitGroup, sleeps or
// does network I/O while holding a sync.Mutex or sync.RWMutex makes every
// other user of that mutex wait for the far side: a slow peer stalls the
// whole service, and when the far side needs the same mutex to make
// progress (the receiver of the channel locks it too), nothing moves
// again. In collections of real Go deadlocks, "channel operation while
// holding a lock" is the largest group of mixed deadlocks.
//
// # Two modes
//
// By default the analyzer reports the waits under a lock that can
// deadlock: a channel send or receive, a range over a channel or a
// WaitGroup.Wait, while a lock is held, when the goroutines that can end the
// wait — the code of the package that receives from (or sends on, or
// closes) the channel, or calls Done, and the functions that call it (a
// function started with go is a goroutine of its own: the function that
// starts it is not a partner) — can be followed and take that same lock.
// The message names one of them.
// When one of those goroutines can end a channel wait without the lock —
// a time.AfterFunc callback that closes the channel, say, next to a setter
// that closes it under the lock, or a second receiver that never takes
// it — the wait does not depend on the lock and is left to stall mode (a
// WaitGroup.Wait needs every Done, so there any partner taking the lock
// counts). A literal that is deferred or called where
// it is written counts as part of the function around it: a goroutine
// that takes the lock in a loop and closes the channel from a deferred
// literal is a partner that takes the lock.
//
// The partners are found through one dynamic step as well, by the
// package's resolution on its SSA form (internal/resolve): a channel
// that reaches the partner as a local copy of the field (var ch =
// s.ch; close(ch)), a parameter bound at every call or go statement, a
// variable a closure captures, or the result of a getter (func (s *S)
// notify() <-chan T { return s.ch }); a partner that takes the lock
// through a function field, a closure variable or an interface method
// whose values or implementations the package knows all of (an
// unexported field set only to literals and methods of the package, an
// interface of the package no other package can see). A close ends a
// send's wait too (the sender panics instead of waiting): for a channel
// the package makes and nothing in it receives from, a close under the
// same lock is the partner, and the send can deadlock (kubernetes6632).
// A goroutine is never its own partner (a drain before its send, a
// close after it). A select with one case and no default is that
// case's send or receive.
//
// Default mode also looks through calls: a call, made while a lock is
// held, of a function of the package (or of a function value or
// interface method resolved as above) is reported when that function,
// or one it calls in turn (up to four calls deep), waits on some path
// on a channel or WaitGroup whose partners, all known, take the held
// lock (moby28462: the callee sends on a stop channel only if it is
// set, and the monitor receiving from it takes the container's lock).
// A wait on some path only is no proof of a stall, which is why the
// may-block fact needs every path; together with partners that all need
// the held lock, it is a deadlock whenever that path runs. A wait on a
// channel parameter of the callee is a wait on what this call passes
// (nil: no wait). Sends on channels every make buffers stay silent here
// too: on real code they are write-once slots and sized queues.
//
// With -lockblock.stall it also reports every other wait that stalls the
// lock's other users for an unbounded time (a sleep, network and database
// I/O, a select, a call of a function that may block, a wait whose partners
// are unknown). On real code most of these are deliberate (see the rule for
// borderline cases below, and docs/evaluation.md for the measurements), which
// is why they are opt-in.
//
// In stall mode the analyzer reports, while a lock is held on every path
// reaching the operation (deferred unlocks included: the lock stays held
// until the function returns):
//
//   - a channel send or receive, or a range over a channel, outside a
//     select; and a select without a default case. A send is not
//     reported when the channel is provably buffered with room: made in
//     the same function with a constant capacity, not handed to anyone
//     before the send, and sent on at most that many times, none of them
//     in a loop;
//   - (*sync.WaitGroup).Wait, time.Sleep, and (*sync.Cond).Wait when the
//     Cond was made (sync.NewCond) on another lock than the one held;
//   - network and database calls that wait for the other side: net/http
//     client requests, Read and Write on net.Conn and its implementations,
//     dialing, and database/sql queries, executions, preparations,
//     transactions and pings;
//   - a call of a function that may block, one or more calls deep, known
//     through a fact on functions of the analysed packages and their
//     dependencies ("it sends on a channel at x.go:12").
//
// Each report is at the blocking operation, names the held lock, and points
// (related information) at where it was taken.
//
//	// WRONG
//	func (s *Server) publish(ev Event) {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		s.last = ev
//		s.events <- ev // every other user of s.mu waits for the subscriber
//	}
//
//	// RIGHT
//	func (s *Server) publish(ev Event) {
//		s.mu.Lock()
//		s.last = ev
//		s.mu.Unlock()
//		s.events <- ev
//	}
//
// # A Cond nobody signals
//
// In both modes, a sync.Cond that is waited on but that nothing in the
// program Signals or Broadcasts is reported at its first Wait: each Wait
// blocks forever (moby30408). Only Conds other packages cannot reach
// count: an unexported field or package-level variable, or a local, used
// only through its methods and c.L and made with sync.NewCond or a
// composite literal; an exported, embedded, copied or handed-on Cond may
// be signalled by code leaklint does not see. The rule lives here, not in
// unlock, because Cond.Wait is a wait tied to a lock.
//
//	// WRONG
//	p.activateWait.L.Lock()
//	for !p.activated() {
//		p.activateWait.Wait() // nothing calls p.activateWait.Broadcast()
//	}
//
//	// RIGHT: whoever activates the plugin wakes the waiters
//	p.activateWait.L.Lock()
//	p.manifest = m
//	p.activateWait.L.Unlock()
//	p.activateWait.Broadcast()
//
// A Cond wait loop whose condition reads only local variables that
// nothing changes while it runs never ends either, however often the
// Cond is signalled: Wait wakes into the same condition (moby27782). The
// condition must be locals of basic type and constants only, the loop
// must have no return, break, goto or panic, and the function must not
// assign the locals in the loop, take their address or use them in a
// function literal.
//
//	// WRONG
//	exists := true
//	for exists {
//		w.cv.Wait() // exists can never become false
//	}
//
//	// RIGHT: wait on the state the signaller changes
//	for !w.removed {
//		w.cv.Wait()
//	}
//
// # A Cond wait that can miss its wakeup
//
// In both modes, a Cond.Wait that is not in a loop is reported when a
// Signal or Broadcast of the same Cond runs without holding its L
// (kubernetes58107): the signal can come before the waiter reaches
// Wait, wakes nobody, and the Wait then blocks forever. The same
// package-owned Conds count as above. The Wait must be in a declared
// function, with no for or range loop around it there, and the function
// must not be called from a loop of the package or used as a function
// value (a callback may run in a loop). The Signal or Broadcast counts
// when its function holds no lock there on every path (any held lock
// might be L under another name), gives no lock back for its caller, is
// not named fooLocked, and is an entry point (no static caller in the
// package: an exported method, an interface method, a goroutine's
// literal) or has a caller that calls it holding no lock, up to three
// calls out; a literal that is not started with go (a callback) does
// not count. When every Signal and Broadcast holds a lock the rule is
// silent: then the wakeup cannot come between the waiter's check and
// its Wait.
//
//	// WRONG
//	func (q *queue) Get() {
//		q.cond.L.Lock()
//		defer q.cond.L.Unlock()
//		q.cond.Wait() // Put's Signal may already have come and gone
//	}
//	func (q *queue) Put() { q.cond.Signal() }
//
//	// RIGHT: wait in a loop on the state the signaller changes, under L
//	func (q *queue) Get() {
//		q.cond.L.Lock()
//		defer q.cond.L.Unlock()
//		for len(q.items) == 0 {
//			q.cond.Wait()
//		}
//	}
//	func (q *queue) Put(x int) {
//		q.cond.L.Lock()
//		q.items = append(q.items, x)
//		q.cond.L.Unlock()
//		q.cond.Signal()
//	}
//
// # The rule for borderline cases
//
// This pass has more borderline findings than the others: holding a lock
// across a wait is often a deliberate choice (a lock that serializes a
// shutdown, a join, a resource's own I/O). Measured on six real projects
// and the standard library, the stall findings were right 2 times in 42;
// the deadlock findings of the default mode are the GoBench kernels' bugs.
// The rules it settles on, and why:
//
//   - Only locks held on every path count (a must-analysis): a lock taken
//     on one branch and an operation reached from both is not reported,
//     because the conditional-locking code that produces it usually
//     correlates the conditions.
//   - A select with a timeout or ctx.Done() case is still reported: the
//     lock is held for the whole wait, which is the harm; the timeout only
//     bounds it. A select with a default case never blocks and is silent.
//   - Bounded operations that are not waits for another party (file I/O,
//     logging, encoding, a mutex Lock — lockorder's ground) are not
//     reported: they stall others only as long as the work takes.
//   - Calls through interfaces and function values are followed only
//     where the package knows every function they may run (see above);
//     otherwise the callee is unknown.
//   - A function is summarised as "may block" only when it blocks on
//     every path through it: one that waits only in some mode (when a
//     child exists, when a flag is set) is not blamed for every call,
//     since the fact cannot tell which mode a call takes. The fact is not
//     given to functions that release their caller's lock themselves
//     (mu.Unlock(); <-done; mu.Lock()), nor to the runtime and std's
//     internal packages, whose channels are scheduler machinery.
//   - A lock acquired at a single site of its package (an unexported
//     field or variable) only serializes that one critical section — a
//     pipe's write mutex, a "one Drain at a time" lock — so the goroutines
//     that wait for it want the same wait anyway: not reported.
//   - Locks that serialize a resource's own I/O are the design: I/O on the
//     object whose lock is held, or on a value made from it (tx :=
//     s.db.Begin(); tx.Exec under s.mu; c.conn.Write under c.out), is not
//     reported.
//
// # When it stays silent
//
//   - sync.Cond.Wait on the held lock (that is its contract), and when the
//     Cond's lock is unknown; a Cond made on s.mu.RLocker() waits on
//     s.mu's read side;
//   - a Cond.Wait not in a loop whose Signals and Broadcasts all hold a
//     lock, or whose Cond is exported, embedded or handed on;
//   - selects with a default case, and sends on channels with known room:
//     made in the same function with a constant capacity and sent on at
//     most that many times, or buffered by every make of the package
//     (a queue sized for its load); a select that only sends on such
//     channels, its other cases waiting on a timer or a Done channel;
//   - a send that refills a channel in the select case that has just
//     received from it (case <-ch: ch <- v, replacing a stale value);
//   - channels used as semaphores or token pools: sent on and received
//     from in the same function (<-sem ... sem <- token), or filled in a
//     loop where they are made; taking a token is waiting for a lock-like
//     resource, lockorder's concern;
//   - a receive or range on a local channel closed earlier in the same
//     block;
//   - a lock of an object the function has just made (s := &T{...}): no
//     other goroutine can hold or want it yet;
//   - a receive, a range or a WaitGroup.Wait whose partners — the code of
//     the package that sends on or closes the channel, or calls Done,
//     and the functions that call it — can be followed and take none of
//     the held locks: the wait stalls the lock's other users but cannot
//     deadlock with them (a shutdown path joining a goroutine, usually).
//     When a partner calls a function value, or an interface method that
//     some method of the package that takes a lock implements, that the
//     package's resolution cannot follow to all it may run, or when no
//     partner is found, the wait is reported in stall mode only;
//   - critical sections that only read and write memory;
//   - operations in function literals that run elsewhere (go statements,
//     callbacks): they don't hold this function's lock;
//   - TryLock acquisitions, locks handed to other goroutines, locks the
//     caller holds (the function does not acquire them itself);
//   - test code: _test.go files, files that import testing (fakes and
//     helpers), and testutil/testutils packages; generated files; lines
//     with //leaklint:ignore lockblock <reason>.
package lockblock
