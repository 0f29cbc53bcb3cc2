// Package a holds the shapes unlock reports, and the correct shapes a
// naive check would flag.
package a

import (
	"errors"
	"log"
	"os"
	"sync"
)

var errMissing = errors.New("missing")

type Cache struct {
	mu  sync.Mutex
	rw  sync.RWMutex
	m   map[string]int
	cnd *sync.Cond
}

// ---- not released on some path ----

func (c *Cache) Get(k string) (int, error) {
	c.mu.Lock() // want `c.mu.Lock\(\) is not released on every path out of Get: a path leaves c.mu locked and every later caller blocks; use defer c.mu.Unlock\(\) right after locking`
	v, ok := c.m[k]
	if !ok {
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}

func (c *Cache) Switch(k string) int {
	c.rw.RLock() // want `c.rw.RLock\(\) is not released on every path out of Switch.*use defer c.rw.RUnlock\(\)`
	switch k {
	case "a":
		return 1
	}
	c.rw.RUnlock()
	return 0
}

func (c *Cache) Loop(keys []string) {
	for _, k := range keys {
		c.mu.Lock() // want `c.mu.Lock\(\) is not released on every path out of Loop`
		if k == "" {
			break // leaves the loop, and the function, holding the lock
		}
		c.mu.Unlock()
	}
}

func (c *Cache) Panics(k string) int {
	c.mu.Lock() // ok: panics end paths by default, like log.Fatal (see -unlock.defer)
	v, ok := c.m[k]
	if !ok {
		panic("missing") // recovered upstream, this leaves c.mu locked
	}
	c.mu.Unlock()
	return v
}

func (c *Cache) Goto(k string) int {
	c.mu.Lock() // want `c.mu.Lock\(\) is not released on every path out of Goto`
	if k == "" {
		goto out
	}
	c.mu.Unlock()
out:
	return 0
}

// ---- never released ----

func (c *Cache) Forgot() {
	c.mu.Lock() // want `c.mu.Lock\(\) is never released in Forgot: every later call blocks forever; add defer c.mu.Unlock\(\) after it`
	c.m = nil
}

var global sync.Mutex

func forgotGlobal() {
	global.Lock() // want `global.Lock\(\) is never released in forgotGlobal`
}

func goroutineForgot(c *Cache) {
	go func() {
		c.mu.Lock() // want `c.mu.Lock\(\) is never released in the function literal`
		c.m = nil
	}()
}

// ---- taken again while held ----

func (c *Cache) Twice() {
	c.mu.Lock()
	c.mu.Lock() // want `c.mu is locked again while still held \(locked at line \d+\): the goroutine deadlocks on itself`
	c.mu.Unlock()
}

func (c *Cache) NextIteration(keys []string) {
	for _, k := range keys {
		c.mu.Lock() // want `c.mu is locked again on the next iteration while still held` `c.mu.Lock\(\) is not released on every path out of NextIteration`
		if k == "skip" {
			continue // no unlock on the way round
		}
		c.mu.Unlock()
	}
}

func (c *Cache) Size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

func (c *Cache) Report() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Size() // want `Size locks c.mu, which is already held here \(locked at line \d+\): the goroutine deadlocks on itself`
}

func (c *Cache) ReadTwice() int {
	c.rw.RLock()
	defer c.rw.RUnlock()
	c.rw.RLock() // want `c.rw is read-locked again while a read lock from line \d+ is still held`
	defer c.rw.RUnlock()
	return len(c.m)
}

func (c *Cache) Embedded(e *Embeds) {
	e.Lock()
	e.Mutex.Lock() // want `e.Mutex is locked again while still held`
	e.Unlock()
}

type Embeds struct {
	sync.Mutex
	n int
}

// ---- released the wrong way ----

func (c *Cache) WrongRelease() {
	c.rw.RLock()
	c.rw.Unlock() // want `c.rw was acquired with RLock \(line \d+\) but is released with Unlock: use RUnlock`
}

func (c *Cache) WrongDeferred() {
	c.rw.Lock()
	defer c.rw.RUnlock() // want `c.rw was acquired with Lock \(line \d+\) but is released with RUnlock: use Unlock`
}

func (c *Cache) DeferLock() {
	c.mu.Lock()
	defer c.mu.Lock() // want `defer c.mu.Lock\(\) right after locking takes c.mu again when the function returns: did you mean defer c.mu.Unlock\(\)\?`
}

func (c *Cache) DoubleUnlock() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
	c.mu.Unlock() // want `c.mu is already unlocked here on every path \(released at line \d+\): unlocking an unlocked mutex is a fatal error`
}

// ---- silent ----

func (c *Cache) Deferred() int {
	c.mu.Lock() // ok
	defer c.mu.Unlock()
	return len(c.m)
}

func (c *Cache) DeferredClosure() int {
	c.mu.Lock() // ok
	defer func() {
		c.mu.Unlock()
	}()
	return len(c.m)
}

func (c *Cache) EveryBranch(k string) int {
	c.mu.Lock() // ok: released on both paths
	if v, ok := c.m[k]; ok {
		c.mu.Unlock()
		return v
	}
	c.mu.Unlock()
	return 0
}

func (c *Cache) Fatal(k string) int {
	c.mu.Lock() // ok: the path without Unlock ends the process
	v, ok := c.m[k]
	if !ok {
		log.Fatal("missing")
	}
	if v < 0 {
		os.Exit(2)
	}
	c.mu.Unlock()
	return v
}

func (c *Cache) Conditional(need bool) {
	if need {
		c.mu.Lock() // ok
		defer c.mu.Unlock()
	}
	c.m = nil
}

func (c *Cache) Try() bool {
	if !c.mu.TryLock() { // ok: held only where TryLock returned true
		return false
	}
	defer c.mu.Unlock()
	return true
}

func (c *Cache) CondWait() {
	c.cnd.L.Lock() // ok: Wait releases and retakes c.cnd.L
	for len(c.m) == 0 {
		c.cnd.Wait()
	}
	c.cnd.L.Unlock()
}

// lockedGet returns with c.mu held; the caller unlocks.
func (c *Cache) lockedGet() int {
	c.mu.Lock() // ok: the name says it
	return len(c.m)
}

// Acquire takes the cache lock. The caller must release it.
func (c *Cache) Acquire() {
	c.mu.Lock() // ok: the name and the doc say it
}

func (c *Cache) HandOff() {
	c.mu.Lock() // ok: a goroutine releases it
	go func() {
		c.m = nil
		c.mu.Unlock()
	}()
}

func (c *Cache) ReturnsUnlock() func() {
	c.mu.Lock() // ok: the caller gets the release
	return c.mu.Unlock
}

func (c *Cache) Releases() {
	c.m = nil
	c.mu.Unlock() // ok: releases the caller's lock
}

func TwoReceivers(a, b *Cache) {
	a.mu.Lock() // ok: two different locks
	b.mu.Lock()
	b.mu.Unlock()
	a.mu.Unlock()
}

func Alias(c *Cache) {
	mu := &c.mu
	mu.Lock() // ok: mu is c.mu
	defer c.mu.Unlock()
	c.m = nil
}

func useLocker(l sync.Locker) {
	l.Lock() // want `l.Lock\(\) is not released on every path out of useLocker`
	if l == nil {
		return
	}
	l.Unlock()
}

func Relock(c *Cache) {
	c.mu.Lock() // ok: released before the second Lock
	c.mu.Unlock()
	c.mu.Lock()
	c.mu.Unlock()
}

func LoopOK(c *Cache, keys []string) {
	for range keys {
		c.mu.Lock() // ok: released every iteration
		c.m = nil
		c.mu.Unlock()
	}
}

func Suppressed(c *Cache) {
	c.mu.Lock() //leaklint:ignore unlock released by the caller through Releases
}

func TryWhileHeld(c *Cache) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mu.TryLock() { // ok: fails without blocking
		c.mu.Unlock()
	}
}

// lockShard returns holding the shard's lock when it finds the key.
func (c *Cache) lockShard(k string) bool {
	c.mu.Lock() // ok: the name says it returns holding the lock
	if _, ok := c.m[k]; ok {
		return true
	}
	c.mu.Unlock()
	return false
}

func (c *Cache) Guarded(b int) {
	if b == 10 {
		c.mu.Lock() // ok: released under the same condition
	}
	c.m = nil
	if b == 10 {
		c.mu.Unlock()
	}
}

func (c *Cache) Flag(need bool) {
	locked := false
	if need {
		c.mu.Lock() // ok: released under the flag set next to it
		locked = true
	}
	c.m = nil
	if locked {
		c.mu.Unlock()
	}
}

func (c *Cache) DeferredFirst() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mu.Unlock()
	c.m = nil
	c.mu.Lock() // ok: the deferred Unlock registered above releases it
}

type node struct {
	mu     sync.Mutex
	parent *node
}

func handOverHand(n *node) {
	n.mu.Lock() // ok: n changes; the lock released at the end is the last one taken
	for n.parent != nil {
		p := n.parent
		p.mu.Lock()
		n.mu.Unlock()
		n = p
	}
	n.mu.Unlock()
}

func walkUp(n *node) {
	for p := n; p != nil; p = p.parent {
		p.mu.Lock() // ok: a different node's lock on each iteration
		p.mu.Unlock()
	}
}

type Conn struct {
	closemu sync.RWMutex
	once    sync.Once
	release func(error)
}

func (c *Conn) releaseConn(error) { c.closemu.RUnlock() }

// grab returns a function for the caller to call when done, as
// database/sql's Conn.grabConn does.
func (c *Conn) grab() func(error) {
	c.once.Do(func() { c.release = c.releaseConn })
	c.closemu.RLock() // ok: released by the method value handed to the caller
	return c.release
}

// flushLocked is called with c.mu held; it gives the lock up while it
// waits and takes it back before returning.
func (c *Cache) flushLocked(wait func()) bool {
	if len(c.m) == 0 {
		c.mu.Unlock()
		wait()
		c.mu.Lock() // ok: the caller's lock, taken back
		return false
	}
	return true
}

func (c *Cache) NestedGuards(doLock, exclusive bool) {
	if doLock {
		if exclusive {
			c.rw.Lock() // ok: released under the same conditions
		} else {
			c.rw.RLock() // ok: likewise, in the else branch
		}
	}
	c.m = nil
	if doLock {
		if exclusive {
			c.rw.Unlock()
		} else {
			c.rw.RUnlock()
		}
	}
}

func (c *Cache) background() {
	c.mu.Lock()
	defer c.mu.Unlock()
	go c.Size() // ok: runs in another goroutine, which waits for the lock
}

func (c *Cache) updateAndUnlock() {
	if c.m == nil {
		c.mu.Unlock()
		return
	}
	c.m["x"]++
	c.mu.Unlock()
	c.mu.Lock() // ok: taken again after releasing the caller's lock...
	c.m["y"]++
	c.mu.Unlock() // ...and released again
}

func (c *Cache) ViaAndUnlock() {
	c.mu.Lock() // ok: updateAndUnlock releases it on every path
	if c.m == nil {
		c.mu.Unlock()
		return
	}
	c.updateAndUnlock()
}

func (c *Cache) LockOnce(items []int) {
	locked := false
	for range items {
		if !locked {
			c.mu.Lock() // ok: taken once, guarded by the flag
			defer c.mu.Unlock()
			locked = true
		}
	}
}

type txn struct{ c *Cache }

func (t *txn) End() { t.c.rw.RUnlock() }

func (c *Cache) Read() *txn {
	c.rw.RLock() // ok: the lock travels with the returned transaction
	return &txn{c: c}
}

func (c *Cache) resetAndUnlock() {
	c.m = nil
	c.mu.Unlock()
}

func (c *Cache) Restart() {
	c.mu.Lock() // ok: the goroutine releases it
	if c.m == nil {
		c.mu.Unlock()
		return
	}
	go c.resetAndUnlock()
}

func wrap(t *txn) interface{ End() } { return t }

func (c *Cache) Write() interface{ End() } {
	c.rw.RLock() // ok: the lock travels inside the returned value
	t := &txn{c: c}
	return wrap(t)
}

func parentUnlocks(c *Cache) {
	done := make(chan struct{})
	go func() {
		c.mu.Lock() // ok: the function that started it unlocks
		close(done)
	}()
	<-done
	c.mu.Unlock()
}

// acquire gets a connection: a bare "acquire" does not say "returns
// holding a lock" (the GoBench etcd5509 bug).
func (c *Cache) acquire(closed bool) error {
	for {
		c.rw.RLock() // want `c.rw.RLock\(\) is not released on every path out of acquire`
		if closed {
			return errMissing // missing RUnlock
		}
		c.rw.RUnlock()
	}
}

type store struct {
	mu     sync.Mutex
	closed bool
}

// Stop sets a field to true after locking: a field is not a lock flag
// (the nats-server consumerFileStore.Stop bug).
func (o *store) Stop(encrypt func() error) error {
	o.mu.Lock() // want `o.mu.Lock\(\) is not released on every path out of Stop`
	if o.closed {
		o.mu.Unlock()
		return nil
	}
	if err := encrypt(); err != nil {
		return err // missing Unlock
	}
	o.closed = true
	o.mu.Unlock()
	return nil
}

// pebble's ConcurrencyLimitScheduler: a helper that releases its
// caller's lock through a defer registered first, giving it up and
// taking it back on the way.
type granter struct {
	mu struct {
		sync.Mutex
		running int
	}
}

func (s *granter) tryGrantLockedAndUnlock() {
	defer s.mu.Unlock()
	if s.mu.running > 3 {
		return
	}
	s.mu.Unlock()
	os.Getpid()
	s.mu.Lock() // ok: released by the deferred Unlock
	s.mu.running++
}

func (s *granter) Done() {
	s.mu.Lock() // ok: released by tryGrantLockedAndUnlock
	s.mu.running--
	s.tryGrantLockedAndUnlock()
}

func (s *granter) periodic(tick <-chan struct{}) {
	for range tick {
		s.mu.Lock() // ok: released by tryGrantLockedAndUnlock, every iteration
		s.tryGrantLockedAndUnlock()
	}
}

// pebble's disableFileDeletions: gives the caller's lock up while it
// waits, and takes it back with a deferred Lock.
type fileDB struct {
	mu struct {
		sync.Mutex
		disabled int
	}
}

func (d *fileDB) disableFileDeletions() {
	d.mu.disabled++
	d.mu.Unlock()
	defer d.mu.Lock()
	os.Getpid()
}

func (d *fileDB) Checkpoint() {
	d.mu.Lock()
	d.disableFileDeletions()
	d.mu.Unlock() // ok: disableFileDeletions returns holding d.mu again
}

// go-ethereum's snap syncer: a deferred literal that locks and unlocks
// on its own, registered before the function takes the lock itself, is
// no release of a caller's lock.
type syncer struct {
	lock  sync.RWMutex
	peers map[string]bool
	reqs  map[int]bool
}

func (s *syncer) onCodes(id int) error {
	defer func() {
		s.lock.Lock()
		defer s.lock.Unlock()
		s.peers["x"] = true
	}()
	s.lock.Lock()
	if !s.reqs[id] {
		s.lock.Unlock()
		return nil
	}
	delete(s.reqs, id)
	s.lock.Unlock()
	return nil
}

func (s *syncer) OnCodes(id int) error {
	s.lock.RLock()
	syncing := len(s.peers) > 0
	s.lock.RUnlock() // ok
	if syncing {
		return s.onCodes(id) // ok: onCodes takes and releases the lock itself
	}
	return nil
}

// kafka-go's Conn.waitResponse: on success the read lock is yielded to
// the caller through a result, which releases it.
type kconn struct {
	rlock sync.Mutex
	ids   []int32
}

func (c *kconn) waitResponse(id int32) (size int, lock *sync.Mutex, err error) {
	for {
		c.rlock.Lock() // ok: yielded to the caller through lock
		if len(c.ids) == 0 {
			c.rlock.Unlock()
			return 0, nil, errors.New("closed")
		}
		if c.ids[0] == id {
			lock = &c.rlock
			return 1, lock, nil
		}
		c.rlock.Unlock()
	}
}

func (c *kconn) peek() (*sync.Mutex, bool) {
	c.rlock.Lock() // ok: returned to the caller
	if len(c.ids) == 0 {
		c.rlock.Unlock()
		return nil, false
	}
	return &c.rlock, true
}

// bbolt's DB.beginRWTx: the writer lock is released by the transaction
// it returns (Commit, Rollback), not by the function.
type boltDB struct {
	rwlock sync.Mutex
	opened bool
}

type boltTx struct{ db *boltDB }

func (db *boltDB) beginRWTx() (*boltTx, error) {
	db.rwlock.Lock() // ok: the returned Tx releases it
	if !db.opened {
		db.rwlock.Unlock()
		return nil, errors.New("not open")
	}
	return &boltTx{db: db}, nil
}

func (tx *boltTx) Rollback() { tx.db.rwlock.Unlock() }

// A returned value whose type never releases the lock does not take it.
type boltStats struct{ n int }

func (db *boltDB) stats() (*boltStats, error) {
	db.rwlock.Lock() // want `db.rwlock.Lock\(\) is not released on every path out of stats`
	if !db.opened {
		db.rwlock.Unlock()
		return nil, errors.New("not open")
	}
	return &boltStats{}, nil
}
