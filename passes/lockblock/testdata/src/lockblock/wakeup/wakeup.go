// Package wakeup holds sync.Cond Waits that are not in a loop while a
// Signal or Broadcast runs without the Cond's lock (kubernetes58107's
// lost wakeup), and the twins: a Wait in a loop, signals made with the
// lock held, Conds other packages can reach.
package wakeup

import "sync"

type queue struct {
	cond  *sync.Cond
	items []int
}

func newQueue() *queue {
	return &queue{cond: sync.NewCond(&sync.Mutex{})}
}

func (q *queue) Get() int { // want Get:`mayBlock`
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	q.cond.Wait() // want `q.cond.Wait\(\) is not in a loop that re-checks a condition, and q.cond.Signal\(\) at line 28 runs without holding q.cond.L: a wakeup sent before this Wait starts is lost`
	x := q.items[0]
	q.items = q.items[1:]
	return x
}

func (q *queue) Put() {
	q.cond.Signal()
}

// ok: the Wait is in a loop that re-checks the state Add changes.
type looped struct {
	cond  *sync.Cond
	items []int
}

func (q *looped) Get() int {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	return q.items[0]
}

func (q *looped) Add(x int) {
	q.cond.L.Lock()
	q.items = append(q.items, x)
	q.cond.L.Unlock()
	q.cond.Signal()
}

// ok: every Signal holds the Cond's lock.
type heldSignal struct {
	mu   sync.Mutex
	cond *sync.Cond
	set  bool
}

func (h *heldSignal) init() { h.cond = sync.NewCond(&h.mu) }

func (h *heldSignal) wait() {
	h.mu.Lock()
	if !h.set {
		h.cond.Wait()
	}
	h.mu.Unlock()
}

func (h *heldSignal) Set() {
	h.mu.Lock()
	h.set = true
	h.cond.Broadcast()
	h.mu.Unlock()
}

// ok: the signalling helper is only called with the lock held.
type helperHeld struct {
	cond *sync.Cond
}

func (h *helperHeld) wait() { // want wait:`mayBlock`
	h.cond.L.Lock()
	h.cond.Wait()
	h.cond.L.Unlock()
}

func (h *helperHeld) wake() { h.cond.Signal() }

func (h *helperHeld) Done() {
	h.cond.L.Lock()
	h.wake()
	h.cond.L.Unlock()
}

// ok: the waiting function is run in a loop by its caller.
type outerLoop struct {
	cond *sync.Cond
	n    int
}

func (o *outerLoop) waitOnce() { // want waitOnce:`mayBlock`
	o.cond.L.Lock()
	o.cond.Wait()
	o.cond.L.Unlock()
}

func (o *outerLoop) Run() {
	for o.n < 10 {
		o.waitOnce()
	}
}

func (o *outerLoop) Poke() { o.cond.Signal() }

// ok: an exported Cond, which other packages may use.
type Exported struct {
	Cond *sync.Cond
}

func (e *Exported) Wait() { // want Wait:`mayBlock`
	e.Cond.L.Lock()
	e.Cond.Wait()
	e.Cond.L.Unlock()
}

func (e *Exported) Poke() { e.Cond.Signal() }

// A goroutine that signals without the lock counts too.
type started struct {
	cond *sync.Cond
}

func (s *started) Wait() { // want Wait:`mayBlock`
	s.cond.L.Lock()
	s.cond.Wait() // want `s.cond.Wait\(\) is not in a loop`
	s.cond.L.Unlock()
}

func (s *started) Start() {
	go func() {
		s.cond.Broadcast()
	}()
}

// ok: a callback literal may run with the lock held.
type callback struct {
	cond *sync.Cond
	hook func()
}

func (c *callback) Wait() { // want Wait:`mayBlock`
	c.cond.L.Lock()
	c.cond.Wait()
	c.cond.L.Unlock()
}

func (c *callback) Install() {
	c.hook = func() { c.cond.Signal() }
}
