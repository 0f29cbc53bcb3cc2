// Package self holds function fields bound to the object they are stored
// in, and the stores that are not.
package self

import "sync"

type lessor struct {
	mu sync.Mutex
	cp func()
}

func (le *lessor) Checkpoint() {
	le.mu.Lock()
	defer le.mu.Unlock()
}

func (le *lessor) setCheckpointer(cp func()) { le.cp = cp }

func (le *lessor) renew() {
	le.cp() // want `self lit:25:21 le`
}

func newLessor() *lessor {
	le := &lessor{}
	le.setCheckpointer(func() { le.Checkpoint() })
	return le
}

// A method value of the object itself, stored directly.
type ticker struct {
	mu     sync.Mutex
	onTick func()
	onStop func()
}

func (t *ticker) tick() {}

func (t *ticker) stop() {}

func newTicker() *ticker {
	t := &ticker{}
	t.onTick = t.tick
	return t
}

func (t *ticker) run() {
	t.onTick() // want `self tick t`
	t.onStop() // want `self unknown`
}

// A method value of another object: not bound to the one it is stored in.
func wire(a, b *ticker) {
	a.onStop = b.stop
}

// A literal that captures another object.
type relay struct {
	mu   sync.Mutex
	hook func()
	peer *relay
}

func (r *relay) ping() {}

func newRelay(peer *relay) *relay {
	r := &relay{}
	r.hook = func() { peer.ping() }
	return r
}

func (r *relay) fire() {
	r.hook() // want `self unknown`
}

// A literal bound to its object, but the struct is copied whole: the
// copy's field runs the original's closure.
type copied struct {
	n    int
	hook func()
}

func (c *copied) inc() { c.n++ }

func newCopied() (*copied, copied) {
	c := &copied{}
	c.hook = func() { c.inc() }
	return c, *c
}

func (c *copied) fire() {
	c.hook() // want `self unknown`
}

// Two objects made in one function, each given its own bound method,
// and a nil store.
type pair struct {
	mu sync.Mutex
	f  func()
}

func (p *pair) g() {}

func newPair() (*pair, *pair) {
	x, y := &pair{}, &pair{}
	x.f = x.g
	y.f = y.g
	y.f = nil
	return x, y
}

func (p *pair) call() {
	p.f() // want `self g p`
}

// The captured variable is reassigned: the literal may run on another
// object than the one it was stored in.
type swap struct {
	mu   sync.Mutex
	hook func()
}

func (s *swap) touch() {}

func newSwap(other *swap) *swap {
	s := &swap{}
	s.hook = func() { s.touch() }
	s = other
	return s
}

func (s *swap) fire() {
	s.hook() // want `self unknown`
}

// Set through a setter that is also used as a value: its callers are not
// all known.
type hooked struct {
	mu   sync.Mutex
	hook func()
}

func (h *hooked) touch() {}

func (h *hooked) setHook(f func()) { h.hook = f }

var setters = []func(*hooked, func()){(*hooked).setHook}

func newHooked() *hooked {
	h := &hooked{}
	h.setHook(func() { h.touch() })
	return h
}

func (h *hooked) fire() {
	h.hook() // want `self unknown`
}

// A literal converted to a named func type on the way in.
type hook func(int)

type named struct {
	mu sync.Mutex
	h  hook
}

func (n *named) touch(int) {}

func (n *named) setHook(h hook) { n.h = h }

func newNamed() *named {
	n := &named{}
	n.setHook(func(v int) { n.touch(v) })
	return n
}

func (n *named) fire() {
	n.h(1) // want `self lit:172:12 n`
}
