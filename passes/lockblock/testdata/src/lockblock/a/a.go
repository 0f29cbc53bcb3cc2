// Package a holds the shapes lockblock reports, and the correct shapes a
// naive check would flag.
package a

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"sync"
	"time"
)

type Server struct {
	mu     sync.Mutex
	rw     sync.RWMutex
	events chan int
	wg     sync.WaitGroup
	cond   *sync.Cond
	other  *sync.Cond
	omu    sync.Mutex
	last   int
}

func NewServer() *Server {
	s := &Server{events: make(chan int)}
	s.cond = sync.NewCond(&s.mu)
	s.other = sync.NewCond(&s.omu)
	return s
}

// ---- reported ----

// wake is the Conds' waker (the nowaker rule is tested elsewhere).
func (s *Server) wake() {
	s.cond.Broadcast()
	s.other.Broadcast()
}

func (s *Server) Publish(ev int) { // want Publish:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = ev
	s.events <- ev // want `sends on s.events while s.mu is held \(locked at line \d+\), but Drain, which ends this wait, takes s.mu too`
}

func (s *Server) Next() int { // want Next:`mayBlock`
	s.rw.RLock()
	v := <-s.events // want `receives from s.events while s.rw is held`
	s.rw.RUnlock()
	return v
}

func (s *Server) Drain() { // want Drain:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	for range s.events { // want `ranges over s.events while s.mu is held`
	}
}

func (s *Server) WaitAll() { // want WaitAll:`mayBlock`
	s.mu.Lock()
	s.wg.Wait() // want `s.wg.Wait\(\) waits for a WaitGroup while s.mu is held`
	s.mu.Unlock()
}

func (s *Server) Nap() { // want Nap:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	time.Sleep(time.Second) // want `time.Sleep\(\) sleeps while s.mu is held`
}

func (s *Server) SelectTimeout(ctx context.Context) { // want SelectTimeout:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	select { // want `waits in a select while s.mu is held`
	case s.events <- 1:
	case <-ctx.Done():
	}
}

func (s *Server) Fetch(c *http.Client) { // want Fetch:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	resp, err := c.Get("http://example.com") // want `c.Get\(\) makes an HTTP request while s.mu is held`
	if err == nil {
		resp.Body.Close()
	}
}

func (s *Server) Read(conn net.Conn, buf []byte) { // want Read:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	conn.Read(buf) // want `conn.Read\(\) reads from a network connection while s.mu is held`
}

func (s *Server) Query(db *sql.DB) { // want Query:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	rows, err := db.Query("select 1") // want `db.Query\(\) queries the database while s.mu is held`
	if err == nil {
		rows.Close()
	}
}

func (s *Server) WaitOther() { // want WaitOther:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.other.Wait() // want `s.other.Wait\(\) waits on a sync.Cond while s.mu is held` `s.other.Wait\(\) is not in a loop that re-checks a condition`
}

// One call deep, in the same package.
func (s *Server) notify(v int) { s.events <- v } // want notify:`mayBlock`

func (s *Server) Set(v int) { // want Set:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = v
	s.notify(v) // want `s.notify\(\) may block \(it sends on s.events at a.go:\d+\) while s.mu is held`
}

// ---- silent ----

func (s *Server) Unlocked(ev int) { // want Unlocked:`mayBlock`
	s.mu.Lock()
	s.last = ev
	s.mu.Unlock()
	s.events <- ev // ok: the lock is released first
}

func (s *Server) NonBlocking(ev int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select { // ok: default
	case s.events <- ev:
	default:
	}
}

func (s *Server) Buffered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	done := make(chan int, 1)
	done <- s.last // ok: one send, capacity one
	close(done)
	return s.last
}

func (s *Server) Semaphore(sem chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	<-sem // ok: a counting semaphore (taken and given back here), lock ordering's concern
	s.last++
	sem <- struct{}{}
}

func (s *Server) CondWait() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.last == 0 {
		s.cond.Wait() // ok: Wait releases s.mu, the Cond's own lock
	}
}

func (s *Server) Goroutine(ev int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	go func() {
		s.events <- ev // ok: another goroutine, which does not hold s.mu
	}()
}

func (s *Server) Memory() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last++ // ok: only memory
	return s.last
}

func (s *Server) Conditional(need bool, ev int) { // want Conditional:`mayBlock`
	if need {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	s.events <- ev // ok: held on one path only (must-held)
}

func (s *Server) Suppressed(ev int) { // want Suppressed:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events <- ev //leaklint:ignore lockblock the receiver never takes s.mu and is always ready
}

func (s *Server) Try(ev int) {
	if s.mu.TryLock() {
		defer s.mu.Unlock()
		s.events <- ev // ok: TryLock acquisitions are not followed
	}
}

// ---- designs that hold a lock around a wait on purpose ----

type conn struct {
	out  sync.Mutex
	raw  net.Conn
	subs chan int
}

func newConn(raw net.Conn) *conn {
	return &conn{raw: raw, subs: make(chan int, 16)}
}

// write serializes writes on the connection it owns: silent.
func (c *conn) write(b []byte) (int, error) { // want write:`mayBlock`
	c.out.Lock()
	defer c.out.Unlock()
	return c.raw.Write(b) // ok: the lock serializes this object's own I/O
}

func (c *conn) writeRecordLocked(b []byte) { c.raw.Write(b) } // want writeRecordLocked:`mayBlock`

func (c *conn) sendAlert() { // want sendAlert:`mayBlock`
	c.out.Lock()
	defer c.out.Unlock()
	c.writeRecordLocked(nil) // ok: likewise, one call deep
}

func (c *conn) publish(v int) {
	c.out.Lock()
	defer c.out.Unlock()
	c.subs <- v // ok: a channel every make in the package buffers
}

func (c *conn) take() int { // want take:`mayBlock`
	c.out.Lock()
	defer c.out.Unlock()
	return <-c.subs // want `receives from c.subs while c.out is held`
}

type store struct {
	updateLock sync.Mutex
	db         *sql.DB
}

// update serializes writes to its own database under its update lock:
// the design, not a stall of unrelated work.
func (s *store) update() error { // want update:`mayBlock`
	s.updateLock.Lock()
	defer s.updateLock.Unlock()
	tx, err := s.db.Begin() // ok: the store's own database
	if err != nil {
		return err
	}
	if _, err := tx.Exec("update t set x = 1"); err != nil { // ok: a transaction of it
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (s *Server) resetRW() {
	s.rw.Lock()
	s.last = 0
	s.rw.Unlock()
}

// feed sends under s.rw: the receiver in Next, holding s.rw, can deadlock
// with it.
func (s *Server) feed(v int) { // want feed:`mayBlock`
	s.rw.Lock()
	defer s.rw.Unlock()
	s.events <- v // want `sends on s.events while s.rw is held`
}

// ---- the goroutines that end a wait cannot take the held lock ----

type worker struct {
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func (w *worker) start() {
	go func() {
		w.n++ // never takes w.mu
		close(w.done)
	}()
}

func (w *worker) stop() { // want stop:`mayBlock`
	w.mu.Lock()
	defer w.mu.Unlock()
	<-w.done // ok: the goroutine that closes done never takes w.mu
	w.n = 0
}

func (w *worker) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// ---- more designs that are silent ----

// pipe's wrMu is taken at one site only: it serializes writers, who all
// wait for the reader anyway.
type pipe struct {
	wrMu sync.Mutex
	wrCh chan []byte
	rdCh chan int
}

func (p *pipe) write(b []byte) int { // want write:`mayBlock`
	p.wrMu.Lock()
	defer p.wrMu.Unlock()
	p.wrCh <- b     // ok: a lock of one critical section
	return <-p.rdCh // ok: likewise
}

// A token pool: filled in a loop where it is made.
var ioTokens chan struct{}

func init() {
	ioTokens = make(chan struct{}, 4)
	for i := 0; i < 4; i++ {
		ioTokens <- struct{}{}
	}
}

func (s *Server) diskIO() {
	s.mu.Lock()
	defer s.mu.Unlock()
	<-ioTokens // ok: taking a token of a pool, a lock-like resource
	s.last++
	ioTokens <- struct{}{}
}

func (s *Server) Gather(work []func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	errCh := make(chan error, len(work))
	for _, w := range work {
		errCh <- w()
	}
	close(errCh)
	for err := range errCh { // ok: closed just before
		if err != nil {
			return err
		}
	}
	return nil
}

type poster struct {
	mu  sync.Mutex
	out chan int
}

func newPoster() *poster { return &poster{out: make(chan int, 1024)} }

func (p *poster) post(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select { // ok: a buffered queue with a timeout
	case p.out <- v:
	case <-time.After(50 * time.Millisecond):
	}
}

func (p *poster) reset() {
	p.mu.Lock()
	p.out = make(chan int, 1024)
	p.mu.Unlock()
}

func NewStarted(events chan int) *Server { // want NewStarted:`mayBlock`
	s := &Server{events: events}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events <- 0 // ok: s was just made; nobody else can want s.mu yet
	return s
}

// A token pool in a struct, filled where it is made.
type semaphore struct{ ch chan struct{} }

func newSemaphore(n int) *semaphore {
	d := &semaphore{ch: make(chan struct{}, n)}
	for range n {
		d.ch <- struct{}{}
	}
	return d
}

func (d *semaphore) acquire() { <-d.ch }
func (d *semaphore) release() { d.ch <- struct{}{} }

func (s *Server) withToken(d *semaphore) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d.acquire() // ok: a token of a pool
	s.last++
	d.release()
}
