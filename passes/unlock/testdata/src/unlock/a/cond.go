package a

import "sync"

// A Cond made on an RWMutex's read side: cond.L.Lock() is mu.RLock()
// (cockroach16167).
type executor struct {
	cond *sync.Cond
	mu   sync.RWMutex
	n    int
}

func newExecutor() *executor {
	e := &executor{}
	e.cond = sync.NewCond(e.mu.RLocker())
	return e
}

func (e *executor) exec() {
	e.cond.L.Lock()
	defer e.cond.L.Unlock()
	e.prepare() // want `prepare read-locks e.mu while this function holds a read lock on it \(line 20\)`
}

func (e *executor) prepare() {
	e.cache()
}

func (e *executor) cache() {
	e.mu.RLock()
	defer e.mu.RUnlock()
	e.n++
}

// ok: cond.L.Lock() and a release through the mutex itself are one lock.
func (e *executor) mixed() {
	e.cond.L.Lock()
	e.n++
	e.mu.RUnlock()
}

// A Cond made on &s.mu: cond.L.Lock() is s.mu.Lock().
type waiter struct {
	mu    sync.Mutex
	cond  *sync.Cond
	ready bool
}

func (w *waiter) init() { w.cond = sync.NewCond(&w.mu) }

func (w *waiter) set() {
	w.cond.L.Lock()
	w.mark() // want `mark locks w.mu, which is already held here \(locked at line 52\)`
	w.cond.L.Unlock()
}

func (w *waiter) mark() {
	w.mu.Lock()
	w.ready = true
	w.mu.Unlock()
}

// ok: Wait inside the critical section, released through the mutex.
func (w *waiter) wait() {
	w.cond.L.Lock()
	defer w.mu.Unlock()
	for !w.ready {
		w.cond.Wait()
	}
}

// Silent twin: the Cond field is assigned from two different locks, so
// its L is not known to be either.
type twoLocks struct {
	a, b sync.Mutex
	cond *sync.Cond
}

func (t *twoLocks) useA() { t.cond = sync.NewCond(&t.a) }
func (t *twoLocks) useB() { t.cond = sync.NewCond(&t.b) }

func (t *twoLocks) run() {
	t.cond.L.Lock()
	t.lockA() // ok: t.cond.L may be t.b
	t.lockB() // ok: t.cond.L may be t.a
	t.cond.L.Unlock()
}

func (t *twoLocks) lockA() {
	t.a.Lock()
	t.a.Unlock()
}

func (t *twoLocks) lockB() {
	t.b.Lock()
	t.b.Unlock()
}

// Silent twin: an exported Cond field, which other packages may assign.
type Exported struct {
	mu   sync.Mutex
	Cond *sync.Cond
}

func (x *Exported) init() { x.Cond = sync.NewCond(&x.mu) }

func (x *Exported) run() {
	x.Cond.L.Lock()
	x.lock() // ok: x.Cond.L may be another lock by now
	x.Cond.L.Unlock()
}

func (x *Exported) lock() {
	x.mu.Lock()
	x.mu.Unlock()
}

// Silent twin: the Cond's L is a different mutex from the one locked
// deeper down.
type otherLock struct {
	mu, cmu sync.Mutex
	cond    *sync.Cond
}

func (o *otherLock) init() { o.cond = sync.NewCond(&o.cmu) }

func (o *otherLock) run() {
	o.cond.L.Lock()
	o.lock() // ok: o.cond.L is o.cmu, not o.mu
	o.cond.L.Unlock()
}

func (o *otherLock) lock() {
	o.mu.Lock()
	o.mu.Unlock()
}

// Silent twin: the lock of another value than the one holding the Cond.
type peer struct {
	mu   sync.Mutex
	cond *sync.Cond
	next *peer
}

func (p *peer) init() { p.cond = sync.NewCond(&p.next.mu) }

func (p *peer) run() {
	p.cond.L.Lock()
	p.lock() // ok: p.cond.L is not p.mu (and p.next.mu is not a field of p's)
	p.cond.L.Unlock()
}

func (p *peer) lock() {
	p.mu.Lock()
	p.mu.Unlock()
}

// Silent twin: a composite literal initialises the Cond.
type literal struct {
	mu   sync.Mutex
	cond *sync.Cond
}

func newLiteral(mu *sync.Mutex) *literal {
	l := &literal{cond: sync.NewCond(mu)}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *literal) run() {
	l.cond.L.Lock()
	l.lock() // ok: l.cond.L may be the mu passed to newLiteral
	l.cond.L.Unlock()
}

func (l *literal) lock() {
	l.mu.Lock()
	l.mu.Unlock()
}
