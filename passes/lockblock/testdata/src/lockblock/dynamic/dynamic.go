// Package dynamic holds the deadlocks whose partner is one dynamic step
// away (a local copy of the channel, a getter, a parameter bound at the
// go statement, a function field, an interface method), each next to its
// silent twin, where the partner does not take the lock.
package dynamic

import "sync"

// The closer holds a local copy of the field; a close ends a send too.
type framer struct {
	resetChan chan bool
	closeChan chan bool
	writeLock sync.Mutex
}

func (i *framer) monitor() { // want monitor:`mayBlock`
	var resetChan = i.resetChan
	<-i.closeChan
	i.writeLock.Lock()
	close(resetChan)
	i.resetChan = nil
	i.writeLock.Unlock()
}

func (i *framer) writeFrame() {
	i.writeLock.Lock()
	defer i.writeLock.Unlock()
	if i.resetChan == nil {
		return
	}
	i.resetChan <- true // want `sends on i.resetChan while i.writeLock is held \(locked at line \d+\), but monitor, which ends this wait, takes i.writeLock too`
}

func (i *framer) start() {
	go i.monitor()
	go i.writeFrame()
}

// The twin: the closer never takes the lock.
type framerOK struct {
	resetChan chan bool
	closeChan chan bool
	writeLock sync.Mutex
	n         int
}

func (i *framerOK) monitor() { // want monitor:`mayBlock`
	var resetChan = i.resetChan
	<-i.closeChan
	close(resetChan)
}

func (i *framerOK) count() {
	i.writeLock.Lock()
	i.n++
	i.writeLock.Unlock()
}

func (i *framerOK) writeFrame() {
	i.writeLock.Lock()
	defer i.writeLock.Unlock()
	if i.resetChan == nil {
		return
	}
	i.resetChan <- true
}

func (i *framerOK) start() {
	go i.monitor()
	go i.writeFrame()
}

// A getter hands out the channel; the sender takes the lock.
type watcher struct {
	mu     sync.Mutex
	result chan int
	n      int
}

func (w *watcher) resultChan() <-chan int { return w.result }

func (w *watcher) produce() { // want produce:`mayBlock`
	w.mu.Lock()
	w.n++
	w.mu.Unlock()
	w.result <- w.n
}

func (w *watcher) consume() { // want consume:`mayBlock`
	w.mu.Lock()
	defer w.mu.Unlock()
	<-w.resultChan() // want `receives from w.resultChan\(\) while w.mu is held \(locked at line \d+\), but produce, which ends this wait, takes w.mu too`
}

func (w *watcher) start() {
	go w.produce()
	go w.consume()
}

// The twin: the sender never takes the lock.
type watcherOK struct {
	mu     sync.Mutex
	result chan int
	n      int
}

func (w *watcherOK) resultChan() <-chan int { return w.result }

func (w *watcherOK) produce() { // want produce:`mayBlock`
	w.result <- 1
}

func (w *watcherOK) consume() { // want consume:`mayBlock`
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n = <-w.resultChan()
}

func (w *watcherOK) reset() {
	w.mu.Lock()
	w.n = 0
	w.mu.Unlock()
}

func (w *watcherOK) start() {
	go w.produce()
	go w.consume()
}

// The receiver gets the channel as a parameter at its go statement, and
// reaches the lock through a function field set to a literal.
type hub struct {
	mu      sync.Mutex
	events  chan int
	onEvent func(int)
	seen    int
}

func newHub() *hub {
	h := &hub{events: make(chan int)}
	h.onEvent = func(v int) {
		h.mu.Lock()
		h.seen = v
		h.mu.Unlock()
	}
	go h.loop(h.events)
	return h
}

func (h *hub) loop(ch chan int) { // want loop:`mayBlock`
	for v := range ch {
		h.onEvent(v)
	}
}

func (h *hub) publish(v int) { // want publish:`mayBlock`
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events <- v // want `sends on h.events while h.mu is held \(locked at line \d+\), but loop, which ends this wait, takes h.mu too`
}

// The twin: the function field's only value does not lock.
type hubOK struct {
	mu      sync.Mutex
	events  chan int
	onEvent func(int)
	seen    int
}

func newHubOK() *hubOK {
	h := &hubOK{events: make(chan int)}
	h.onEvent = func(v int) { println(v) }
	go h.loop(h.events)
	return h
}

func (h *hubOK) loop(ch chan int) { // want loop:`mayBlock`
	for v := range ch {
		h.onEvent(v)
	}
}

func (h *hubOK) publish(v int) { // want publish:`mayBlock`
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events <- v
}

func (h *hubOK) get() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seen
}

// The receiver reaches the lock through an interface of the package
// whose only implementation locks.
type handler interface{ handle(int) }

type store struct {
	mu   sync.Mutex
	in   chan int
	h    handler
	last int
}

func (s *store) handle(v int) {
	s.mu.Lock()
	s.last = v
	s.mu.Unlock()
}

func (s *store) run() { // want run:`mayBlock`
	for v := range s.in {
		s.h.handle(v)
	}
}

func (s *store) put(v int) { // want put:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.in <- v // want `sends on s.in while s.mu is held \(locked at line \d+\), but run, which ends this wait, takes s.mu too`
}

// The twin: the interface's only implementation does not lock.
type printer interface{ print(int) }

type storeOK struct {
	mu   sync.Mutex
	in   chan int
	p    printer
	last int
}

type stdout struct{}

func (stdout) print(v int) { println(v) }

func (s *storeOK) run() { // want run:`mayBlock`
	for v := range s.in {
		s.p.print(v)
	}
}

func (s *storeOK) put(v int) { // want put:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.in <- v
}

func (s *storeOK) get() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}
