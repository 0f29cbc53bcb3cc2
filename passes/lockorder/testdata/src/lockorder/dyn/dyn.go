// want package:"orderEdges"

// Package main: lock-order edges through interface methods, function
// fields, func parameters and nil-checked callbacks (issue 16,
// kubernetes30872). Package main is closed: no other package can
// implement its interfaces or set its fields, so the package's
// resolution of each dynamic call is complete.
package main

import "sync"

// ---- an interface with one implementation in the package ----

type store interface{ get() }

type memStore struct{ mu sync.Mutex }

func (s *memStore) get() { // want get:`acquires`
	s.mu.Lock()
	defer s.mu.Unlock()
}

type cache struct {
	mu sync.Mutex
	st store
}

func (c *cache) read() { // want read:`acquires`
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.get() // want `lock order cycle \(\*cache\).mu → \(\*memStore\).mu → \(\*cache\).mu: read acquires \(\*memStore\).mu while holding \(\*cache\).mu`
}

func (s *memStore) evict(c *cache) { // want evict:`acquires`
	s.mu.Lock()
	defer s.mu.Unlock()
	c.mu.Lock()
	c.mu.Unlock()
}

// ---- a function field set to a literal ----

type ticker struct {
	mu     sync.Mutex
	onTick func()
}

type hub struct {
	mu sync.Mutex
	t  *ticker
}

func newHub() *hub {
	h := &hub{}
	h.t = &ticker{onTick: func() {
		h.mu.Lock()
		h.mu.Unlock()
	}}
	return h
}

func (t *ticker) tick() { // want tick:`acquires`
	t.mu.Lock()
	defer t.mu.Unlock()
	t.onTick() // want `lock order cycle \(\*ticker\).mu → \(\*hub\).mu → \(\*ticker\).mu: tick acquires \(\*hub\).mu while holding \(\*ticker\).mu`
}

func (h *hub) stop() { // want stop:`acquires`
	h.mu.Lock()
	defer h.mu.Unlock()
	h.t.mu.Lock()
	h.t.mu.Unlock()
}

// ---- a func parameter bound at an interface call ----

type queue interface{ pop(process func()) }

type fifo struct{ mu sync.Mutex }

func (f *fifo) pop(process func()) { // want pop:`acquires`
	f.mu.Lock()
	defer f.mu.Unlock()
	process() // want `lock order cycle \(\*fifo\).mu → \(\*worker\).mu → \(\*fifo\).mu: pop acquires \(\*worker\).mu while holding \(\*fifo\).mu`
}

type worker struct {
	mu sync.Mutex
	q  queue
}

func (w *worker) loop() { // want loop:`acquires`
	w.q.pop(func() { w.handle() })
}

func (w *worker) handle() { // want handle:`acquires`
	w.mu.Lock()
	w.mu.Unlock()
}

func (w *worker) drain(f *fifo) { // want drain:`acquires`
	w.mu.Lock()
	defer w.mu.Unlock()
	f.mu.Lock()
	f.mu.Unlock()
}

// ---- a callback under its own nil check ----

type notifier struct{ onChange func() }

// fire runs the callback whenever there is one: the check is about the
// callee's existence, not a mode of fire, so fire acquires what the
// callback acquires.
func (n *notifier) fire() { // want fire:`^acquires\(\(\*lockorder/dyn.watcher\).mu\)$`
	if n.onChange != nil {
		n.onChange()
	}
}

type registry struct {
	mu sync.Mutex
	n  *notifier
}

type watcher struct{ mu sync.Mutex }

func newRegistry(w *watcher) *registry {
	r := &registry{n: &notifier{}}
	r.n.onChange = func() {
		w.mu.Lock()
		w.mu.Unlock()
	}
	return r
}

func (r *registry) set() { // want set:`acquires`
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n.fire() // want `lock order cycle \(\*registry\).mu → \(\*watcher\).mu → \(\*registry\).mu: set acquires \(\*watcher\).mu while holding \(\*registry\).mu`
}

func (w *watcher) scan(r *registry) { // want scan:`acquires`
	w.mu.Lock()
	defer w.mu.Unlock()
	r.mu.Lock()
	r.mu.Unlock()
}

// ---- silent: an interface with two implementations, one not locking ----

type sink interface{ put() }

type lockedSink struct{ mu sync.Mutex }

func (s *lockedSink) put() { // want put:`acquires`
	s.mu.Lock()
	s.mu.Unlock()
}

type nopSink struct{}

func (nopSink) put() {}

type pipe struct {
	mu  sync.Mutex
	out sink
}

func (p *pipe) send() { // want send:`^acquires\(\(\*lockorder/dyn.pipe\).mu\)$`
	p.mu.Lock()
	defer p.mu.Unlock()
	p.out.put() // ok: nopSink.put takes nothing
}

func (s *lockedSink) close(p *pipe) { // want close:`acquires`
	s.mu.Lock()
	defer s.mu.Unlock()
	p.mu.Lock()
	p.mu.Unlock()
}

// ---- silent: a function field also set to a function that does not lock ----

type timer struct {
	mu   sync.Mutex
	fire func()
}

type alarm struct{ mu sync.Mutex }

func arm(t *timer, a *alarm, quiet bool) {
	if quiet {
		t.fire = func() {}
		return
	}
	t.fire = func() {
		a.mu.Lock()
		a.mu.Unlock()
	}
}

func (t *timer) run() { // want run:`^acquires\(\(\*lockorder/dyn.timer\).mu\)$`
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fire() // ok: the quiet callback takes nothing
}

func (a *alarm) reset(t *timer) { // want reset:`acquires`
	a.mu.Lock()
	defer a.mu.Unlock()
	t.mu.Lock()
	t.mu.Unlock()
}

// ---- silent: a callback under a check that is more than its nil check ----

type relay struct {
	onSend  func()
	enabled bool
}

// send runs the callback only when enabled: a mode, not a fact.
func (r *relay) send() {
	if r.onSend != nil && r.enabled {
		r.onSend()
	}
}

type outbox struct {
	mu sync.Mutex
	r  *relay
}

type inbox struct{ mu sync.Mutex }

func newOutbox(in *inbox) *outbox {
	o := &outbox{r: &relay{}}
	o.r.onSend = func() {
		in.mu.Lock()
		in.mu.Unlock()
	}
	return o
}

func (o *outbox) flush() { // want flush:`^acquires\(\(\*lockorder/dyn.outbox\).mu\)$`
	o.mu.Lock()
	defer o.mu.Unlock()
	o.r.send() // ok: send calls back only when enabled
}

func (in *inbox) drain(o *outbox) { // want drain:`acquires`
	in.mu.Lock()
	defer in.mu.Unlock()
	o.mu.Lock()
	o.mu.Unlock()
}

// ---- silent: a deferred literal that releases the held lock first ----

type journal struct{ mu sync.Mutex }

type ledger struct {
	mu sync.Mutex
	j  *journal
}

// commit's deferred literal runs at the return, after it has released
// l.mu: the lock held where the defer statement stands is not held there.
func (l *ledger) commit() { // want commit:`acquires`
	l.mu.Lock()
	defer func() {
		l.mu.Unlock()
		l.j.mu.Lock() // ok
		l.j.mu.Unlock()
	}()
}

func (j *journal) flush(l *ledger) { // want flush:`acquires`
	j.mu.Lock()
	defer j.mu.Unlock()
	l.mu.Lock()
	l.mu.Unlock()
}

func main() { // want main:`acquires`
	_ = newHub()
	_ = newRegistry(&watcher{})
	_ = newOutbox(&inbox{})
	arm(&timer{}, &alarm{}, false)
	var q queue = &fifo{}
	(&worker{q: q}).loop()
	var s sink = nopSink{}
	s = &lockedSink{}
	_ = s
	var st store = &memStore{}
	_ = st
}

// ---- a callback called under a lock only in some state: no edge ----

// nomad's batched node updates: the callback (which takes the client's
// lock) runs under the batch lock only once batched is set, inside the
// one run that takes the two locks the other way.
type client struct {
	configLock sync.Mutex
	b          *batcher
}

type batcher struct {
	mu      sync.Mutex
	batched bool
	cb      func()
}

func newBatcher(cb func()) *batcher { return &batcher{cb: cb} }

func (b *batcher) update() { // want update:`acquires`
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.batched {
		b.cb()
		return
	}
}

func (b *batcher) batch() { // want batch:`acquires`
	b.mu.Lock()
	b.batched = true
	b.mu.Unlock()
}

func (c *client) updateNode() { // want updateNode:`acquires`
	c.configLock.Lock()
	defer c.configLock.Unlock()
}

func (c *client) first() { // want first:`acquires`
	c.configLock.Lock()
	defer c.configLock.Unlock()
	c.b.batch()
}

func newClient() *client {
	c := &client{}
	c.b = newBatcher(c.updateNode)
	return c
}
