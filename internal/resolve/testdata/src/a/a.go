package a

import "sync"

type lessor struct {
	mu sync.Mutex
	cp func()
}

func (le *lessor) setCheckpointer(cp func()) { le.cp = cp }

func (le *lessor) checkpoint() { le.mu.Lock(); le.mu.Unlock() }

func (le *lessor) renew() {
	le.cp() // want `callees lit:20:21`
}

func newLessor() *lessor {
	le := &lessor{}
	le.setCheckpointer(func() { le.checkpoint() })
	return le
}

// A field stored from two places, one of them a method value.
type breaker struct {
	release func()
	other   func()
}

func (b *breaker) done() {}

func newBreaker(n int) *breaker {
	b := &breaker{}
	if n > 0 {
		b.release = b.done
	} else {
		b.release = func() {}
	}
	b.other = nil
	return b
}

func (b *breaker) run() {
	b.release() // want `callees done lit:37:15`
	b.other()   // want `callees $`
}

// A local closure variable, reassigned in a branch.
func local(ok bool) {
	f := func() {}
	if ok {
		f = other
	}
	f() // want `callees lit:50:7 other`
}

func other() {}

// A function value from a parameter of a function used as a value:
// unknown.
func apply(f func()) {
	f() // want `callees unknown`
}

var applyFn = apply

// A parameter bound at every call: known.
func each(f func()) {
	f() // want `callees other`
}

func useEach() { each(other) }

// An interface of the package and its implementations.
type doer interface{ do() }

type x struct{ mu sync.Mutex }

func (v *x) do() { v.mu.Lock(); v.mu.Unlock() }

type y struct{}

func (y) do() {}

func callDoer(d doer) {
	d.do() // want `callees do do`
}

// An interface of another package: unknown.
func callLocker(l sync.Locker) {
	l.Lock() // want `callees unknown`
}

// A closure capturing a variable assigned later.
func captured() {
	var g func()
	h := func() { g() } // want `callees lit:98:6`
	g = func() {}
	h() // want `callees lit:97:7`
}

// Channels.
type framer struct {
	resetChan chan bool
	other     chan bool
}

func (i *framer) monitor() {
	var resetChan = i.resetChan
	close(resetChan) // want `chan resetChan`
}

func (i *framer) notify() <-chan bool { return i.resetChan }

func (i *framer) wait() {
	<-i.notify() // want `chan resetChan`
	c := i.other
	if c == nil {
		c = i.resetChan
	}
	<-c // mixed: no answer
}

func consume(ch chan bool) {
	for range ch { // want `chan other`
	}
}

func (i *framer) start() {
	go consume(i.other)
	go func(ch chan bool) {
		ch <- true // want `chan resetChan`
	}(i.resetChan) // want `maycall false`
	local := make(chan bool)
	local <- true // want `chan made at a.go:134`
	go pass(local)
}

func pass(ch chan bool) {
	<-ch // want `chan made at a.go:134`
}

var global = make(chan int)

func g() {
	ch := global
	select {
	case ch <- 1: // want `chan global`
	}
}

// A method called through a closed interface: its parameter is bound
// at the interface call.
type popper interface{ pop(f func()) }

type fifo struct{}

func (fifo) pop(f func()) {
	f() // want `callees other`
}

func popAll(p popper) { p.pop(other) } // want `callees pop`

// An element of a map of functions: unknown.
var handlers = map[string]func(){"a": other}

func dispatch(k string) {
	handlers[k]() // want `callees unknown`
}

// Literals called in place, deferred or started: MayCall asks about the
// literal itself (no value of another function can run there).
func mark() {}

func inPlace() {
	func() { mark() }() // want `maycall true`
	func() {}()         // want `maycall false`
	defer func() {
		mark()
	}() // want `maycall true`
	go func() {}() // want `maycall false`
}
