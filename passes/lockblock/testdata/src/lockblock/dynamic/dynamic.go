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

func newFramer() *framer {
	return &framer{resetChan: make(chan bool), closeChan: make(chan bool)}
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

// A callee waits on some path only; its channel's only receiver takes
// the lock the caller holds.
type health struct{ stop chan struct{} }

func (s *health) openMonitor() chan struct{} { return s.stop }

func (s *health) closeMonitor() {
	if s.stop != nil {
		s.stop <- struct{}{}
	}
}

type container struct {
	sync.Mutex
	h     *health
	state int
}

func monitor(c *container, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
			c.Lock()
			c.state++
			c.Unlock()
		}
	}
}

func (c *container) start() { go monitor(c, c.h.openMonitor()) }

func (c *container) stateChanged() {
	c.Lock()
	defer c.Unlock()
	c.h.closeMonitor() // want `c.h.closeMonitor\(\) may wait \(closeMonitor sends on s.stop at dynamic.go:\d+\) while c.Mutex is held \(locked at line \d+\), but monitor, which ends that wait, takes c.Mutex too`
}

// The twin: the receiver never takes the lock.
type healthOK struct{ stop chan struct{} }

func (s *healthOK) openMonitor() chan struct{} { return s.stop }

func (s *healthOK) closeMonitor() {
	if s.stop != nil {
		s.stop <- struct{}{}
	}
}

type containerOK struct {
	sync.Mutex
	h     *healthOK
	state int
}

func monitorOK(stop chan struct{}) { // want monitorOK:`mayBlock`
	<-stop
}

func (c *containerOK) start() { go monitorOK(c.h.openMonitor()) }

func (c *containerOK) stateChanged() {
	c.Lock()
	defer c.Unlock()
	c.state++
	c.h.closeMonitor()
}

func (c *containerOK) get() int {
	c.Lock()
	defer c.Unlock()
	return c.state
}

// A buffered channel whose only receiver takes the lock through a
// function field: a send blocks once the buffer is full (etcd7492), but
// on real code such sends are write-once slots and sized queues
// (grpc's health watchers, go-ethereum's subscription errors, etcd's
// watcher events): silent.
type keeper struct {
	addCh  chan struct{}
	delete func(string)
	tokens map[string]bool
}

func newKeeper(del func(string)) *keeper {
	k := &keeper{addCh: make(chan struct{}, 1), delete: del, tokens: map[string]bool{}}
	go k.run()
	return k
}

func (k *keeper) run() { // want run:`mayBlock`
	for {
		<-k.addCh
		for t := range k.tokens {
			k.delete(t)
		}
	}
}

func (k *keeper) add() { k.addCh <- struct{}{} }

type tokens struct {
	mu sync.Mutex
	k  *keeper
}

func (t *tokens) enable() {
	t.k = newKeeper(func(string) {
		t.mu.Lock()
		defer t.mu.Unlock()
	})
}

func (t *tokens) assign() {
	t.mu.Lock()
	t.k.add()
	t.mu.Unlock()
}

// The same with a receiver that does not take the lock.
type keeperOK struct {
	addCh chan struct{}
	n     int
}

func (k *keeperOK) run() { // want run:`mayBlock`
	for {
		<-k.addCh
		k.n++
	}
}

func (k *keeperOK) add() { k.addCh <- struct{}{} }

type tokensOK struct {
	mu sync.Mutex
	k  *keeperOK
}

func (t *tokensOK) enable() {
	t.k = &keeperOK{addCh: make(chan struct{}, 1)}
	go t.k.run()
}

func (t *tokensOK) assign() {
	t.mu.Lock()
	t.k.add()
	t.mu.Unlock()
}

func (t *tokensOK) disable() {
	t.mu.Lock()
	t.k = nil
	t.mu.Unlock()
}

// A one-case select is a receive; the channel is made locally and
// handed to the waiter at its go statement; the goroutine that closes
// it takes the lock first.
type listener struct {
	lock    sync.Mutex
	pending []int
}

func (p *listener) add(v int) {
	p.lock.Lock()
	defer p.lock.Unlock()
	p.pending = append(p.pending, v)
}

func (p *listener) pop(stopCh <-chan struct{}) { // want pop:`mayBlock`
	p.lock.Lock()
	defer p.lock.Unlock()
	select {
	case <-stopCh: // want `receives from stopCh while p.lock is held \(locked at line \d+\), but the function literal, which ends this wait, takes p.lock too`
		return
	}
}

func runListener() {
	go func() {
		pl := &listener{}
		stopCh := make(chan struct{})
		defer close(stopCh)
		pl.add(1)
		go pl.pop(stopCh)
	}()
}

// The twin: the closer never takes the lock.
type listenerOK struct {
	lock    sync.Mutex
	pending []int
}

func (p *listenerOK) add(v int) {
	p.lock.Lock()
	defer p.lock.Unlock()
	p.pending = append(p.pending, v)
}

func (p *listenerOK) pop(stopCh <-chan struct{}) { // want pop:`mayBlock`
	p.lock.Lock()
	defer p.lock.Unlock()
	select {
	case <-stopCh:
		return
	}
}

func runListenerOK(pl *listenerOK) {
	stopCh := make(chan struct{})
	go pl.pop(stopCh)
	close(stopCh)
}

// The twin of a wait through a parameter: the call passes nil, and the
// callee sends only on a channel it was given (httptest.Server's
// closeConn under s.mu; CloseClientConnections passes a channel from
// goroutines of its own).
type server struct {
	mu    sync.Mutex
	conns map[int]bool
}

func (s *server) closeConn(c int) { s.closeConnChan(c, nil) }

func (s *server) closeConnChan(c int, done chan<- struct{}) {
	if done != nil {
		done <- struct{}{}
	}
}

func (s *server) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		s.closeConn(c)
	}
}

func (s *server) closeClientConnections() { // want closeClientConnections:`mayBlock`
	s.mu.Lock()
	ch := make(chan struct{}, len(s.conns))
	for c := range s.conns {
		go s.closeConnChan(c, ch)
	}
	s.mu.Unlock()
	<-ch
}

// The twins of a goroutine that would be its own partner: grpc's health
// server drains each watcher's one-slot channel before sending on it,
// under the lock, and a watcher fills its own new channel once; pebble's
// shard closes the channel its Close sends on, after the sends.
type health2 struct {
	mu      sync.Mutex
	updates map[string]chan int
}

func (s *health2) watch(service string) { // want watch:`mayBlock`
	update := make(chan int, 1)
	s.mu.Lock()
	update <- 0
	s.updates[service] = update
	s.mu.Unlock()
	for v := range update {
		println(v)
	}
}

func (s *health2) set(service string, v int) { // want set:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setLocked(service, v)
}

func (s *health2) setLocked(service string, v int) { // want setLocked:`mayBlock`
	update := s.updates[service]
	select {
	case <-update:
	default:
	}
	update <- v
}

type shard[V any] struct {
	mu          sync.Mutex
	releasingCh chan V
	live        []V
}

func (s *shard[V]) init() {
	s.releasingCh = make(chan V, 100)
	go s.releaseLoop()
}

func (s *shard[V]) releaseLoop() { // want releaseLoop:`mayBlock`
	for v := range s.releasingCh {
		println(v)
	}
}

func (s *shard[V]) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.live {
		s.releasingCh <- v
	}
	close(s.releasingCh)
}

func (s *shard[V]) add(v V) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live = append(s.live, v)
}

// The twins of nomad's stream framer (the channel comes from the
// caller, whose receivers the package does not see: its close is no
// partner of the send) and telegraf's NSQ consumer (a buffered channel
// handed to a helper as a semaphore: taking back a token).
type framer2 struct {
	l        sync.Mutex
	out      chan int
	shutdown bool
}

func newFramer2(out chan int) *framer2 { return &framer2{out: out} }

func (s *framer2) flush() { // want flush:`mayBlock`
	s.l.Lock()
	defer s.l.Unlock()
	s.out <- 1
}

func (s *framer2) destroy() {
	s.l.Lock()
	s.shutdown = true
	s.l.Unlock()
	close(s.out)
}

type consumer struct {
	mu       sync.Mutex
	messages map[int]bool
}

func (n *consumer) start(max int) {
	sem := make(chan struct{}, max)
	go func() {
		for i := 0; ; i++ {
			sem <- struct{}{}
			n.mu.Lock()
			n.messages[i] = true
			n.mu.Unlock()
		}
	}()
	go n.onDelivery(sem)
}

func (n *consumer) onDelivery(sem chan struct{}) {
	for id := range n.messages {
		n.mu.Lock()
		<-sem
		delete(n.messages, id)
		n.mu.Unlock()
	}
}

// controller-runtime's runnable group: the receiver takes the lock, and
// a close elsewhere (under a call the package cannot follow) is no
// partner of the send while a receiver exists.
type group struct {
	stop    sync.RWMutex
	ch      chan int
	stopped bool
	hook    func()
}

func newGroup(hook func()) *group { return &group{ch: make(chan int), hook: hook} }

func (r *group) reconcile() { // want reconcile:`mayBlock`
	for range r.ch {
		r.stop.RLock()
		r.stop.RUnlock()
	}
}

func (r *group) add(v int) { // want add:`mayBlock`
	r.stop.RLock()
	defer r.stop.RUnlock()
	r.ch <- v // want `sends on r.ch while r.stop is held \(locked at line \d+\), but reconcile, which ends this wait, takes r.stop too`
}

func (r *group) stopAndWait() {
	r.hook()
	r.stop.Lock()
	r.stopped = true
	close(r.ch)
	r.stop.Unlock()
}
