package a

import (
	"context"
	"sync"
)

// etcd#10492: Renew holds le.mu and calls the checkpointer, which the
// lessor's owner set to a literal calling le.Checkpoint, which locks
// le.mu again.

type checkpointer func(ctx context.Context)

type boundLessor struct {
	mu sync.RWMutex
	cp checkpointer
}

func (le *boundLessor) Checkpoint() {
	le.mu.Lock()
	defer le.mu.Unlock()
}

func (le *boundLessor) setCheckpointer(cp checkpointer) {
	le.mu.Lock()
	defer le.mu.Unlock()
	le.cp = cp
}

func (le *boundLessor) Renew() {
	le.mu.Lock()
	unlock := func() { le.mu.Unlock() }
	defer func() { unlock() }()
	if le.cp != nil {
		le.cp(context.Background()) // want `le.cp\(\) runs the function literal at line \d+, which locks le.mu of this same object; le.mu is already held here \(locked at line 31\): the goroutine deadlocks on itself; release it before the call`
	}
}

func startLessor() {
	le := &boundLessor{}
	le.setCheckpointer(func(ctx context.Context) {
		le.Checkpoint()
	})
	le.Renew()
}

// A method value of the object itself.
type pump struct {
	mu     sync.Mutex
	n      int
	onTick func()
}

func newPump() *pump {
	p := &pump{}
	p.onTick = p.tick
	return p
}

func (p *pump) tick() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
}

func (p *pump) run() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onTick() // want `p.onTick\(\) runs tick, which locks p.mu of this same object; p.mu is already held here`
}

// ok: the callback is bound to another object (a peer's lock).
type peerPump struct {
	mu     sync.Mutex
	onTick func()
}

func (p *peerPump) tick() {
	p.mu.Lock()
	p.mu.Unlock()
}

func linkPeers(a, b *peerPump) {
	a.onTick = b.tick
}

func (p *peerPump) run() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onTick() // ok: b.tick locks b.mu
}

// ok: the bound function does not lock.
type quietPump struct {
	mu     sync.Mutex
	n      int
	onTick func()
}

func newQuietPump() *quietPump {
	p := &quietPump{}
	p.onTick = p.count
	return p
}

func (p *quietPump) count() { p.n++ }

func (p *quietPump) run() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onTick()
}

// ok: the bound function locks only in one mode.
type modePump struct {
	mu     sync.Mutex
	sync_  bool
	onTick func()
}

func newModePump() *modePump {
	p := &modePump{}
	p.onTick = func() {
		if p.sync_ {
			p.mu.Lock()
			p.mu.Unlock()
		}
	}
	return p
}

func (p *modePump) run() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onTick()
}

// ok: the lock is released before the call.
func (p *pump) runUnlocked() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
	p.onTick()
}

// ok: two functions stored, one of which does not lock.
type mixedPump struct {
	mu     sync.Mutex
	n      int
	onTick func()
}

func newMixedPump(fast bool) *mixedPump {
	p := &mixedPump{}
	if fast {
		p.onTick = p.count
	} else {
		p.onTick = p.tick
	}
	return p
}

func (p *mixedPump) count() { p.n++ }

func (p *mixedPump) tick() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
}

func (p *mixedPump) run() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onTick()
}

// ok: read lock held, the bound function read-locks too (read locks
// share; the relock rule judges recursive read locks it can see).
type readPump struct {
	mu     sync.RWMutex
	onRead func()
}

func newReadPump() *readPump {
	p := &readPump{}
	p.onRead = p.peek
	return p
}

func (p *readPump) peek() {
	p.mu.RLock()
	p.mu.RUnlock()
}

func (p *readPump) run() {
	p.mu.RLock()
	defer p.mu.RUnlock()
	p.onRead()
}
