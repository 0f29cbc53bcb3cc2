// want package:"orderEdges"

// Package a holds lock-order cycles and the correct shapes a naive check
// would flag.
package a

import (
	"sync"
	"time"
)

type Account struct {
	mu      sync.Mutex
	id      int
	balance int
}

type Bank struct {
	mu       sync.Mutex
	accounts []*Account
}

// ---- a direct AB-BA cycle ----

func (a *Account) Deposit(b *Bank, n int) { // want Deposit:`acquires`
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock() // want `lock order cycle \(\*Account\).mu → \(\*Bank\).mu → \(\*Account\).mu: Deposit acquires \(\*Bank\).mu while holding \(\*Account\).mu`
	a.balance += n
	b.mu.Unlock()
}

func (b *Bank) Audit(a *Account) int { // want Audit:`acquires`
	b.mu.Lock()
	defer b.mu.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

// ---- through one call and two calls ----

type Cache struct{ mu sync.Mutex }
type Index struct{ mu sync.Mutex }

func (x *Index) lookup() { // want lookup:`acquires`
	x.mu.Lock()
	x.mu.Unlock()
}

func (x *Index) refresh() { x.lookup() } // want refresh:`acquires`

func (c *Cache) Get(x *Index) { // want Get:`acquires`
	c.mu.Lock()
	defer c.mu.Unlock()
	x.refresh() // want `lock order cycle \(\*Cache\).mu → \(\*Index\).mu → \(\*Cache\).mu: Get acquires \(\*Index\).mu while holding \(\*Cache\).mu`
}

func (c *Cache) touch() { // want touch:`acquires`
	c.mu.Lock()
	c.mu.Unlock()
}

func (x *Index) Rebuild(c *Cache) { // want Rebuild:`acquires`
	x.mu.Lock()
	defer x.mu.Unlock()
	c.touch()
}

// ---- the same class on two instances ----

func Transfer(from, to *Account, n int) { // want Transfer:`acquires`
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock() // want `to.mu is locked while from.mu, another \(\*Account\).mu, is held \(line \d+\): two calls with the instances swapped deadlock`
	defer to.mu.Unlock()
	from.balance -= n
	to.balance += n
}

// ---- silent ----

func OrderedTransfer(from, to *Account, n int) { // want OrderedTransfer:`acquires`
	first, second := from, to
	if to.id < from.id {
		first, second = to, from
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock() // ok: an ordering rule (the ids are compared)
	defer second.mu.Unlock()
	from.balance -= n
	to.balance += n
}

type Node struct {
	mu       sync.Mutex
	children []*Node
}

func (n *Node) Walk() { // want Walk:`acquires`
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, child := range n.children {
		child.mu.Lock() // ok: hand-over-hand down the tree
		child.mu.Unlock()
	}
}

type Logger struct{ mu sync.Mutex }
type Queue struct{ mu sync.Mutex }

func (q *Queue) Push(l *Logger) { // want Push:`acquires`
	q.mu.Lock()
	defer q.mu.Unlock()
	l.mu.Lock() // ok: Queue before Logger everywhere
	l.mu.Unlock()
}

func (q *Queue) Pop(l *Logger) { // want Pop:`acquires`
	q.mu.Lock()
	q.mu.Unlock()
	l.mu.Lock() // ok: released before the next is taken
	l.mu.Unlock()
	q.mu.Lock()
	q.mu.Unlock()
}

func (l *Logger) Try(q *Queue) { // want Try:`acquires`
	l.mu.Lock()
	defer l.mu.Unlock()
	if q.mu.TryLock() { // ok: TryLock cannot wait
		q.mu.Unlock()
	}
}

type Client struct{ mu sync.Mutex }
type Server struct{ mu sync.Mutex }

func (s *Server) Accept() *Client { // want Accept:`acquires`
	c := &Client{}
	c.mu.Lock()
	defer c.mu.Unlock()
	s.mu.Lock() // ok: c was just made; nobody else can hold c.mu
	s.mu.Unlock()
	return c
}

func (c *Client) Close(s *Server) { // want Close:`acquires`
	s.mu.Lock()
	defer s.mu.Unlock()
	c.mu.Lock()
	c.mu.Unlock()
}

// ---- a callee that gives the caller's lock up and takes it back ----

// The moby#4951 deadlock: DeleteDevice holds the set, then the device;
// removeAndWait releases the set and locks it again while the device is
// still held. Two deletions of the same device deadlock.

type DeviceSet struct {
	sync.Mutex
	infos map[string]*DevInfo
}

type DevInfo struct{ lock sync.Mutex }

func (d *DeviceSet) DeleteDevice(hash string) { // want DeleteDevice:`acquires`
	d.Lock()
	defer d.Unlock()
	info := d.infos[hash]
	info.lock.Lock() // want `lock order cycle \(\*DeviceSet\).Mutex → \(\*DevInfo\).lock → \(\*DeviceSet\).Mutex: DeleteDevice acquires \(\*DevInfo\).lock while holding \(\*DeviceSet\).Mutex`
	defer info.lock.Unlock()
	d.deleteDevice(info)
}

func (d *DeviceSet) deleteDevice(info *DevInfo) { d.removeAndWait() } // want deleteDevice:`acquires\(\) retakes\(\(\*lockorder/a.DeviceSet\).Mutex\)`

func (d *DeviceSet) removeAndWait() { // want removeAndWait:`acquires\(\) retakes\(\(\*lockorder/a.DeviceSet\).Mutex\)`
	d.Unlock()
	time.Sleep(time.Millisecond)
	d.Lock()
}

// Silent: the retake happens while only locks taken before it are held
// (Pool.mu before Conn.mu, as everywhere), and a caller that does not
// hold the retaken lock adds no edge for it.

type Pool struct{ mu sync.Mutex }
type Conn struct{ mu sync.Mutex }
type Stats struct{ mu sync.Mutex }

func (p *Pool) Drain(c *Conn) { // want Drain:`acquires`
	p.mu.Lock()
	defer p.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waitIdle()
}

func (c *Conn) waitIdle() { // want waitIdle:`retakes`
	c.mu.Unlock()
	time.Sleep(time.Millisecond)
	c.mu.Lock()
}

func (c *Conn) Report(s *Stats) { // want Report:`acquires`
	c.mu.Lock()
	defer c.mu.Unlock()
	s.mu.Lock()
	s.mu.Unlock()
}

func (s *Stats) Poke(c *Conn) { // want Poke:`acquires`
	s.mu.Lock()
	defer s.mu.Unlock()
	c.waitIdle()
}

// Not reported, a limit of the must-facts: a release and re-lock on some
// paths only is no retake of the function (with slow, Tick would invert
// Report's order).
func (c *Conn) maybeWait(slow bool) {
	if slow {
		c.mu.Unlock()
		time.Sleep(time.Millisecond)
		c.mu.Lock()
	}
}

func (s *Stats) Tick(c *Conn) { // want Tick:`acquires`
	c.mu.Lock()
	defer c.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	c.maybeWait(true)
}

// ---- an instance just made orders nothing ----

// prometheus' notifier: the new set, from a constructor that hands it to
// nobody, is locked while the old one is held.

type AMSet struct {
	mtx   sync.Mutex
	loops map[string]int
}

func newAMSet(n int) (*AMSet, error) {
	if n < 0 {
		return nil, nil
	}
	s := &AMSet{loops: make(map[string]int, n)}
	s.loops["x"] = n
	return s, nil
}

var registry []*AMSet

func newRegisteredAMSet() *AMSet {
	s := &AMSet{}
	registry = append(registry, s)
	return s
}

func Reload(old map[string]*AMSet) {
	for k, o := range old {
		s, err := newAMSet(len(old))
		if err != nil {
			return
		}
		o.mtx.Lock()
		s.mtx.Lock() // ok: s is new, nobody else can hold it
		s.loops = o.loops
		s.mtx.Unlock()
		o.mtx.Unlock()
		old[k] = s
	}
}

func ReloadShared(old map[string]*AMSet) { // want ReloadShared:`acquires`
	for _, o := range old {
		s := newRegisteredAMSet()
		o.mtx.Lock()
		s.mtx.Lock() // want `s.mtx is locked while o.mtx, another \(\*AMSet\).mtx, is held`
		s.loops = o.loops
		s.mtx.Unlock()
		o.mtx.Unlock()
	}
}

// moby's overlay driver: the new network, locked first, then an old one.
func Claim(old map[string]*AMSet, id string) { // want Claim:`acquires`
	n := &AMSet{}
	n.mtx.Lock()
	defer n.mtx.Unlock()
	if o := old[id]; o != nil {
		o.mtx.Lock() // ok: n is new, nobody else can hold it
		o.mtx.Unlock()
	}
	old[id] = n
}
