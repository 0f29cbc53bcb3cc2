// Package lockorder defines an Analyzer that reports locks taken in
// opposite orders.
//
// # Analyzer lockorder
//
// lockorder: report mutexes acquired in inconsistent orders
//
// Goroutine A holds mu1 and waits for mu2; goroutine B holds mu2 and
// waits for mu1. Neither moves, and every later user of either lock joins
// them. The analyzer builds a lock-order graph over the analysed packages
// and reports its cycles.
//
// A node of the graph is a lock class: a package-level mutex (pkg.mu) or
// a mutex field of a named type ((*Store).mu, (*Store).Mutex for an
// embedded one). A mutex embedded in an anonymous struct field (mu
// struct{ sync.RWMutex; replicas []int }) is a field like any other: its
// class is (*Store).mu, named after the struct type that holds the field,
// since every Store has its own. A mutex kept in a map, slice or array is
// a lock of the class of that field: l.m[url] with m a
// map[string]*sync.Mutex field of remoteLock is (*remoteLock).m[],
// whatever the key, and the stripes s.locks[i] of a [16]sync.RWMutex
// field are (*stripeSeries).locks[]; an element with a mutex field of its
// own (l.entries[k].mu) is that field's class.
//
// There is an edge L1 → L2 wherever L2 is acquired while L1 is held on
// every path there: directly, or through calls, one or more deep — each
// function's acquisitions and its order edges are facts, so the graph
// spans packages. A callee that gives up a lock its caller holds and
// takes it back (mu.Unlock(); wait(); mu.Lock()) acquires that lock again
// while the caller's other locks stay held: that is an edge from each of
// them, which is how holding a device's lock across a call that waits
// without the set's lock deadlocks (moby#4951).
//
// Calls are followed through function values and interface methods
// too, where the package's own call graph (built on its SSA form) knows
// every function a call may run: an interface of the package that no
// other package can implement (unexported, or in package main) and its
// implementations; a function field, variable or func parameter and the
// functions and literals stored into it or bound to it, also at an
// interface call (c.config.Queue.Pop(c.config.Process)). Such a call
// acquires the classes that every function it may run acquires: a
// handler interface with one implementation that locks, or an AddFunc
// field set only to literals that lock, makes an edge; one
// implementation or one stored function that does not lock makes none.
// Such a call makes an edge from the locks held at it only when it is
// made on every run of the function holding them: the call graph says
// what a call may run, not whether the state that makes it run
// (if b.batched { b.cb() }) can coexist with the other order, and on
// real code those state-guarded callbacks were the false cycles.
// Function literals get acquisition sets like declared functions (no
// facts: they serve the calls of their own package), so a cycle can pass
// through an interface, a callback and a closure
// (Pop holds f.lock → process() → h.OnAdd() → r.AddFunc() → f.Lock():
// kubernetes#30872).
//
// A lock a function returns holding is held in its callers after the call
// (a URLLock that locks l.m[url] and returns), and a function deferred
// by a literal or function value runs under the locks held at the defer
// statement that nothing releases from there on, neither a statement
// after it nor any deferred call: getRemote's deferred
// func() { l.URLUnlock(url) }() read-locks the table while the URL's
// mutex is still held, while URLLock locks the URL's mutex under the
// table's write lock (hugo#3251).
//
// A cycle is reported once, at an acquisition of the package where it
// first becomes visible, with related information at every edge of the
// cycle and the calls that produced it.
//
// A function's fact lists the locks it acquires on every run: on every
// path through it, with three relaxations. A loop that is reached runs at
// least once, so an acquisition or call on every path through the loop
// body counts (for _, r := range s.replicas { r.report() }): a loop run
// zero times is an empty input, not a mode of the function. And a return
// that is the only statement of an if or else branch or of a switch case
// (switch kind { case 0, 1, 2: mu.Lock() default: return false }) ends a
// path that does no work, so an acquisition on every other path counts.
// Last, a call of a function value under its own nil check, and nothing
// more (if r.AddFunc != nil { r.AddFunc() }), counts as made on every
// run: the check asks whether there is a callee, not which mode the
// function is in.
//
//	// WRONG
//	func (a *Account) Transfer(b *Bank) {
//		a.mu.Lock()         // (*Account).mu → (*Bank).mu
//		defer a.mu.Unlock()
//		b.mu.Lock()
//		...
//	}
//	func (b *Bank) Audit(a *Account) {
//		b.mu.Lock()         // (*Bank).mu → (*Account).mu: a cycle
//		defer b.mu.Unlock()
//		a.mu.Lock()
//		...
//	}
//
//	// RIGHT: one order everywhere (say, Bank before Account), or no
//	// nesting at all: copy what you need under one lock, release it, then
//	// take the other.
//
// The analyzer also reports a class acquired twice, nested, on two
// different instances — transferring between two accounts by locking
// from.mu then to.mu deadlocks when two transfers run in opposite
// directions — unless the function orders the instances (it compares
// them, as in if a.id < b.id), or one instance is reached from the other
// (hand-over-hand locking down a tree: n.mu, then n.child.mu).
//
// # When it stays silent
//
//   - consistent orders, and locks released before the next is taken;
//   - TryLock and TryRLock acquisitions: they cannot wait;
//   - locks of an object the function has just made — &T{...}, new(T),
//     or the result of a constructor of the package that makes it and
//     hands it to nobody else — whether held or taken: no other
//     goroutine can hold it yet (prometheus locking a new alertmanager
//     set while the old one is held);
//   - locks held on some paths only (a must-analysis), locks the caller
//     holds (unless a callee retakes them, above), releases and retakes
//     on some paths only, locks handed to other goroutines;
//   - a callee that locks only in some mode: under a guard that depends on
//     a parameter other than the receiver (if lock { mu.Lock() }, or
//     if !lock { return } before it, also through a local computed from
//     the parameter), in a branch whose alternative does other work
//     before returning, or in a loop round that a continue or break can
//     skip — the fact cannot tell which mode a call takes;
//   - a call of a function value or an interface method whose callees
//     the package cannot all see: an exported interface or exported
//     function field of a package others import, a func parameter of a
//     function used as a value or callable from elsewhere, a value
//     whose address escapes — code the package does not see may run
//     there; and one whose possible callees do not all take the lock
//     (two implementations, one of which does not lock);
//   - a deferred function literal or function value, from the locks
//     that something releases after the defer statement or that a
//     deferred call releases (defer mu.Unlock(), or defer func() {
//     mu.Unlock(); notify() }()): it may run after the release (its own
//     acquisitions still count for callers);
//   - two elements of one map, slice or array taken nested (l.m[a], then
//     l.m[b]; every stripe in turn): one key or two, and the order of the
//     keys is the caller's business;
//   - a callback under a check that is more than its own nil check
//     (if r.onSend != nil && r.enabled { r.onSend() }), or with an else
//     branch: a mode of the caller;
//   - locks that are not classes: local mutexes, mutexes reached through
//     calls or through an element of a local or parameter map or slice,
//     elements of a map of sync.Locker, and *sync.Mutex parameters;
//   - a cycle made only of edges of sibling packages that only a third
//     package links together (the third package adds no edge of its own);
//   - _test.go files, generated files, and lines with
//     //leaklint:ignore lockorder <reason>.
package lockorder
