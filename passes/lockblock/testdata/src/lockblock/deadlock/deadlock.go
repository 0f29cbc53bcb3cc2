// Package deadlock holds the shapes lockblock reports by default: a wait
// under a lock that the goroutine able to end the wait needs too.
package deadlock

import (
	"context"
	"sync"
	"time"
)

type Status struct {
	mu      sync.Mutex
	updates chan int
	last    int
}

// Set sends while holding s.mu; the loop that receives takes s.mu after
// each receive: when it is waiting for s.mu, Set waits for it forever.
func (s *Status) Set(v int) { // want Set:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = v
	s.updates <- v // want `sends on s.updates while s.mu is held \(locked at line \d+\), but syncLoop, which ends this wait, takes s.mu too: the two goroutines can deadlock; release s.mu before waiting`
}

func (s *Status) syncLoop() { // want syncLoop:`mayBlock`
	for v := range s.updates {
		s.mu.Lock()
		s.last = v
		s.mu.Unlock()
	}
}

type Stopper struct {
	mu      sync.Mutex
	workers sync.WaitGroup
	tasks   int
}

func (s *Stopper) StartTask() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tasks++
}

func (s *Stopper) Run() {
	s.workers.Add(1)
	go func() {
		defer s.workers.Done()
		s.StartTask()
	}()
}

func (s *Stopper) Stop() { // want Stop:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.workers.Wait() // want `s.workers.Wait\(\) waits for a WaitGroup while s.mu is held .*, but the function literal, which ends this wait, takes s.mu too`
}

// ---- silent by default (reported with -lockblock.stall) ----

type Cache struct {
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func (c *Cache) Nap() { // want Nap:`mayBlock`
	c.mu.Lock()
	defer c.mu.Unlock()
	time.Sleep(time.Millisecond) // ok by default: a stall, not a deadlock
}

func (c *Cache) start() {
	go func() {
		c.n = 0 // never takes c.mu
		close(c.done)
	}()
}

func (c *Cache) Close() { // want Close:`mayBlock`
	c.mu.Lock()
	defer c.mu.Unlock()
	<-c.done // ok: the goroutine that closes done never takes c.mu
}

func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// Loop's goroutine takes l.mu on every round and closes l.done from a
// deferred literal when it ends: the literal runs on that goroutine, so
// Stop, waiting for done under l.mu, deadlocks with it.
type Loop struct {
	mu    sync.Mutex
	done  chan struct{}
	ticks int
}

func (l *Loop) run(rounds int) {
	defer func() { close(l.done) }()
	for i := 0; i < rounds; i++ {
		l.mu.Lock()
		l.ticks++
		l.mu.Unlock()
	}
}

func (l *Loop) Start() { go l.run(10) }

func (l *Loop) Stop() { // want Stop:`mayBlock`
	l.mu.Lock()
	defer l.mu.Unlock()
	<-l.done // want `receives from l.done while l.mu is held .*, but run, which ends this wait, takes l.mu too`
}

// Deadline waits, under d.mu, for a timer callback that closes d.cancel
// without the lock (net.pipeDeadline's shape). set closes the channel
// itself too, under d.mu, but the callback alone is enough to end the
// wait: no deadlock.
type Deadline struct {
	mu     sync.Mutex
	timer  *time.Timer
	cancel chan struct{}
}

func (d *Deadline) set(dur time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil && !d.timer.Stop() {
		<-d.cancel // ok: the AfterFunc callback closes cancel and never takes d.mu
	}
	d.cancel = make(chan struct{})
	if dur <= 0 {
		close(d.cancel)
		return
	}
	d.timer = time.AfterFunc(dur, func() { close(d.cancel) })
}

func (d *Deadline) SetDeadline(dur time.Duration) { d.set(dur) }

func (d *Deadline) wait() chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cancel
}

// Pool's Close waits for two kinds of workers; only one of them takes
// p.mu, but Wait needs every Done, so that one is enough to deadlock.
type Pool struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	jobs    chan int
	results []int
}

func (p *Pool) Start() {
	p.wg.Add(2)
	go func() {
		defer p.wg.Done()
		for range p.jobs {
		}
	}()
	go func() {
		defer p.wg.Done()
		for j := range p.jobs {
			p.mu.Lock()
			p.results = append(p.results, j)
			p.mu.Unlock()
		}
	}()
}

func (p *Pool) Close() { // want Close:`mayBlock`
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.jobs)
	p.wg.Wait() // want `p.wg.Wait\(\) waits for a WaitGroup while p.mu is held .*, but the function literal, which ends this wait, takes p.mu too`
}

// Feed sends under f.mu; one receiver takes f.mu, but another never
// does, so the send can always complete through it: a stall at most.
type Feed struct {
	mu   sync.Mutex
	ch   chan int
	seen int
}

func (f *Feed) Push(v int) { // want Push:`mayBlock`
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ch <- v // ok by default: Forward receives without f.mu
}

func (f *Feed) Count() { // want Count:`mayBlock`
	for range f.ch {
		f.mu.Lock()
		f.seen++
		f.mu.Unlock()
	}
}

func (f *Feed) Forward(out chan<- int) { // want Forward:`mayBlock`
	for v := range f.ch {
		out <- v
	}
}

// Registry starts a stream's goroutine in a constructor called under
// r.mu and later waits, under r.mu, for that goroutine to end (grpc-go's
// LRS client): the goroutine never takes r.mu, and the function that
// started it does not run it, so nothing can deadlock.
type Registry struct {
	mu      sync.Mutex
	streams map[string]*stream
}

type stream struct {
	done   chan struct{}
	cancel context.CancelFunc
}

func newStream() *stream {
	ctx, cancel := context.WithCancel(context.Background())
	s := &stream{done: make(chan struct{}), cancel: cancel}
	go s.run(ctx)
	return s
}

func (s *stream) run(ctx context.Context) { // want run:`mayBlock`
	defer close(s.done)
	<-ctx.Done()
}

func (r *Registry) Get(name string) *stream {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := newStream()
	r.streams[name] = s
	return s
}

func (r *Registry) Stop(name string) { // want Stop:`mayBlock`
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.streams[name]
	s.cancel()
	<-s.done // ok: run, which closes done, never takes r.mu
}

// Broadcaster is nomad's AllocBroadcaster: each listener channel holds
// at most one pending update; Send replaces a stale one. The refill after
// the pop cannot wait: the pop made the room, and only Send sends, under
// b.mu.
type Broadcaster struct {
	mu        sync.Mutex
	listeners map[int]chan int
}

func (b *Broadcaster) Send(v int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, l := range b.listeners {
		select {
		case l <- v:
		case <-l:
			l <- v // ok: refills the room the receive made
		}
	}
}

func (b *Broadcaster) Listen() <-chan int {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := make(chan int, 1)
	b.listeners[len(b.listeners)] = ch
	return ch
}

func (b *Broadcaster) stop(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.listeners, id)
}

func (b *Broadcaster) watch(id int, ch <-chan int) { // want watch:`mayBlock`
	for range ch {
		b.stop(id)
	}
}
