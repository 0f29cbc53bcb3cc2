// Package unlock defines an Analyzer that reports mutexes left locked on
// some path, locked twice, or released the wrong way.
//
// # Analyzer unlock
//
// unlock: report locks left held, taken twice, or released the wrong way
//
// A sync.Mutex or sync.RWMutex left locked parks every later caller of
// Lock in sync.(*Mutex).Lock forever: the most common "resource deadlock"
// in collections of real Go bugs. The analyzer follows each Lock and
// RLock along the paths of the function's control-flow graph and reports:
//
//   - a lock not released on some path out of the function (a return or
//     the end of the body) while another path releases it: early returns,
//     switch cases, continue and break in loops and goto all count; paths
//     through log.Fatal, os.Exit, t.FailNow and other calls that never
//     return do not, and neither do explicit panics unless -unlock.defer
//     is set (most panics in a critical section are invariant checks that
//     end the program; see Strict mode);
//
//   - a lock never released at all, in a function that gives no sign that
//     it returns holding the lock on purpose (see below);
//
//   - a lock taken again while it is held: in one function, on the next
//     iteration of a loop that did not release it, and through calls — a
//     method that locks s.mu calling, while holding it, another method
//     that locks s.mu. For an RWMutex a recursive RLock is reported too:
//     a writer waiting between the two readers blocks the second one.
//     Also through a function field of the object whose lock is held
//     (le.mu held, le.cp() called), when every function the package
//     stores into that field is bound to the object it is stored in — a
//     method value of it (p.onTick = p.tick) or a literal capturing the
//     variable that holds it (le.setCheckpointer(func(ctx) {
//     le.Checkpoint() })) — and each takes that same lock on every path
//     (etcd10492). A field other packages can set, a store the package
//     cannot follow (a setter others can call, a value from a parameter),
//     a struct copied whole, one stored function that does not lock or
//     locks in some mode only, or a read lock under a read lock: silent;
//
//   - a release of the wrong kind: RLock released by Unlock, Lock by
//     RUnlock; defer mu.Lock() right after mu.Lock() (almost always meant
//     as defer mu.Unlock(), offered as a fix); and an Unlock on a path
//     where the lock was certainly released already (a double unlock,
//     which is a fatal error at run time).
//
// The most common shape, and its fix:
//
//	// WRONG
//	func (c *Cache) Get(k string) (V, error) {
//		c.mu.Lock()
//		v, ok := c.m[k]
//		if !ok {
//			return V{}, errMissing // c.mu stays locked
//		}
//		c.mu.Unlock()
//		return v, nil
//	}
//
//	// RIGHT
//	func (c *Cache) Get(k string) (V, error) {
//		c.mu.Lock()
//		defer c.mu.Unlock()
//		v, ok := c.m[k]
//		if !ok {
//			return V{}, errMissing
//		}
//		return v, nil
//	}
//
// Where the rewrite is mechanical — the only release is one Unlock just
// before the final return (or at the end of the body), the Lock is a
// statement of the function body, and the return evaluates no call that
// could need the lock — a suggested fix moves the release into a defer
// right after the Lock.
//
// # Lock identity
//
// The same lock is the same mutex: mu, s.mu, s.inner.mu, p.mu through a
// pointer, a package global, an embedded mutex (s.Lock() locks s.Mutex),
// a sync.Locker value, and a local variable assigned once from &s.mu. Two
// receivers of the same type are two locks. Mutexes reached through an
// index, a map or a call are not followed: l.m[a] and l.m[b], or
// s.locks[i] and s.locks[j], may be one lock or two, so a per-key lock table (URLLock locks l.m[url] and
// returns, URLUnlock releases it if the key is there) is not judged.
//
// The L of a sync.Cond field is the lock the Cond was made on when that
// is certain: s.cond.L.Lock() is s.mu.Lock() when every assignment to the
// field in the package is s.cond = sync.NewCond(&s.mu) (the same lock of
// the same value), and s.mu.RLock() when it is sync.NewCond(s.mu.RLocker())
// — so a call that read-locks s.mu again under s.cond.L.Lock() is a
// recursive read lock (cockroach16167). An exported Cond field, one
// assigned from two different locks or from a lock of another value, one
// initialised in a composite literal, and one whose address or L is taken
// or assigned keep a lock of their own, s.cond.L, unrelated to s.mu.
//
// # Across functions
//
// Each function is summarised as a fact: the locks of its receiver,
// parameters or package globals that it returns holding (a lock helper),
// that it releases for its caller (an unlock helper), and that it takes
// and releases itself. So `defer s.unlock()` counts as a release,
// `s.lockShard(k)` as an acquisition, and calling, while holding s.mu, a
// method that locks s.mu is a self-deadlock — across packages.
//
// # Strict mode
//
// With -unlock.defer, every Lock whose release is not deferred is also
// reported when the critical section calls a function that may panic
// (any call but conversions, lock operations and builtins that cannot
// panic), and an explicit panic in a critical section counts as a path
// out of the function: if the panic is recovered (net/http recovers
// handler panics), the lock stays held. This is the coding rule "always
// defer Unlock"; it is off by default.
//
// # When it stays silent
//
//   - defer mu.Unlock(), defer func() { mu.Unlock() }(), and a release
//     through a helper known by its fact (defer s.unlock()) or through a
//     local closure: a variable assigned once to a function literal that
//     releases the lock on every path through it (unlock := func() {
//     mu.Unlock() }), whose address is never taken, and that the function
//     only calls — directly, deferred (defer unlock()) or from a deferred
//     literal (defer func() { unlock() }()). Such a call is a release
//     where it happens, so the lock is still followed: taking it again
//     while the deferred closure has yet to run is reported (etcd10492).
//     A closure variable that is reassigned, passed, stored, started with
//     go or called from another literal, or whose literal releases the
//     lock on some paths only, hands the lock on (below);
//   - TryLock and TryRLock: the lock is held only where they returned true,
//     so the analyzer does not follow a lock that is ever acquired with
//     TryLock in the function;
//   - conditional locking (if need { mu.Lock(); defer mu.Unlock() });
//   - sync.Cond.Wait inside a critical section (it releases and retakes
//     c.L itself);
//   - functions that return holding a lock on purpose: for a lock they
//     never release, their name says so (lock or acquire anywhere in it:
//     lockedGet, getLocked, acquireSlot) or their doc comment does (it
//     mentions unlock, release, held, locked or "caller must"); for a lock
//     they release on some paths only, their name starts with lock, rlock
//     or trylock, or with acquire and names a lock (acquireForkLock);
//   - locks handed on: released by a function literal that is started as
//     a goroutine, stored, passed or returned, by a function started with
//     go (go c.resetAndUnlock()), or through an escaping method value of
//     Unlock or of a release helper (return mu.Unlock, return c.release),
//     or whose address is passed on as a sync.Locker
//     (unlock := unlockOnce(&srv.lock)) or returned (lock = &c.rlock),
//     or a lock of a class that the methods of a type the function
//     returns release (a transaction that releases its database's writer
//     lock on Commit or Rollback) — the release happens where we can't see it, so nothing is reported
//     about that lock in the function;
//   - a lock never released by a function that returns the variable that
//     owns it (return &txn{s: s}): the lock travels with the value and is
//     released through it;
//   - a function literal that locks and never releases, unless it is
//     started with go (it may be a lock callback);
//   - an Unlock of a lock the function never acquired: it releases its
//     caller's lock (and gets a fact saying so);
//   - a call, while holding a lock, of a function that takes the same lock
//     only on some of its paths (often under a "locked bool" parameter):
//     the summary cannot tell which path the call takes. Functions named
//     fooLocked are taken to be called with the lock held, and a function
//     that releases its caller's lock and takes it back (mu.Unlock();
//     wait(); mu.Lock()) does not "take" it;
//   - a path on which the variable holding the lock is reassigned
//     (hand-over-hand locking up a tree, n = n.parent): past that point
//     the path names another lock;
//   - a release under the same condition as the Lock (if b { mu.Lock() }
//     ... if b { mu.Unlock() }), or under a bool flag set to true next to
//     the Lock (locked = true ... if locked { mu.Unlock() }): the other
//     branch is taken to be infeasible;
//   - a Lock after a deferred release of the same lock was registered on
//     every path to it (defer mu.Unlock(); ...; mu.Unlock(); wait();
//     mu.Lock());
//   - test code — _test.go files, files that import testing, and
//     packages with a testutil element in their path: tests and their
//     helpers lock in odd ways on purpose (deadlock tests, a global lock
//     held from a Setup to its Cleanup) and end with the test binary;
//   - generated files, and lines with //leaklint:ignore unlock <reason>.
package unlock
