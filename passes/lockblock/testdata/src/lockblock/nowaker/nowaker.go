// Package nowaker holds sync.Conds that are waited on but never
// Signalled or Broadcast anywhere (moby30408), and the twins whose waker
// leaklint cannot see or that have one.
package nowaker

import "sync"

type plugin struct {
	activateWait *sync.Cond
	activated    bool
	ready        *sync.Cond
	done         bool
	Changed      *sync.Cond // exported: another package may Broadcast
	handed       *sync.Cond
}

func newPlugin() *plugin {
	return &plugin{
		activateWait: sync.NewCond(&sync.Mutex{}),
		ready:        sync.NewCond(&sync.Mutex{}),
		Changed:      sync.NewCond(&sync.Mutex{}),
		handed:       sync.NewCond(&sync.Mutex{}),
	}
}

func (p *plugin) waitActive() {
	p.activateWait.L.Lock()
	for !p.activated {
		p.activateWait.Wait() // want `nothing in the program calls p.activateWait.Signal\(\) or p.activateWait.Broadcast\(\), and activateWait cannot be reached from outside the package: p.activateWait.Wait\(\) blocks forever`
	}
	p.activateWait.L.Unlock()
}

// ok: ready has its Broadcast.
func (p *plugin) waitReady() {
	p.ready.L.Lock()
	for !p.done {
		p.ready.Wait()
	}
	p.ready.L.Unlock()
}

func (p *plugin) markReady() {
	p.ready.L.Lock()
	p.done = true
	p.ready.L.Unlock()
	p.ready.Broadcast()
}

// ok: exported.
func (p *plugin) waitChanged() { // want waitChanged:`mayBlock`
	p.Changed.L.Lock()
	p.Changed.Wait()
	p.Changed.L.Unlock()
}

// ok: handed to code that may Signal it.
func (p *plugin) waitHanded(notify func(*sync.Cond)) { // want waitHanded:`mayBlock`
	notify(p.handed)
	p.handed.L.Lock()
	p.handed.Wait()
	p.handed.L.Unlock()
}

func local() { // want local:`mayBlock`
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	c.Wait() // want `nothing in the program calls c.Signal\(\) or c.Broadcast\(\)`
	mu.Unlock()
}

// ok: a goroutine signals it.
func localSignalled() { // want localSignalled:`mayBlock`
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	go func() {
		mu.Lock()
		c.Signal()
		mu.Unlock()
	}()
	mu.Lock()
	c.Wait()
	mu.Unlock()
}

// ok: copied into another variable, which may be signalled.
func aliased() { // want aliased:`mayBlock`
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	d := c
	go d.Broadcast()
	mu.Lock()
	c.Wait()
	mu.Unlock()
}

// moby27782: the loop's condition is a local nothing changes.
type watcher struct {
	mu      sync.Mutex
	cv      *sync.Cond
	removed bool
}

func newWatcher() *watcher {
	w := &watcher{}
	w.cv = sync.NewCond(&w.mu)
	return w
}

func (w *watcher) notify() {
	w.mu.Lock()
	w.removed = true
	w.cv.Broadcast()
	w.mu.Unlock()
}

func (w *watcher) remove() {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := true
	for exists {
		w.cv.Wait() // want `the loop condition exists reads only local variables that nothing changes while the loop runs`
	}
}

func (w *watcher) countdown(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	left := n
	for left > 0 && true {
		w.cv.Wait() // want `the loop condition left > 0 && true reads only local variables`
	}
}

// ok: the condition reads the field the signaller changes.
func (w *watcher) waitRemoved() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for !w.removed {
		w.cv.Wait()
	}
}

// ok: the loop changes the local after each wake.
func (w *watcher) waitLocal() {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := true
	for exists {
		w.cv.Wait()
		exists = !w.removed
	}
}

// ok: a way out.
func (w *watcher) waitBreak() {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := true
	for exists {
		w.cv.Wait()
		if w.removed {
			break
		}
	}
}

// ok: a function literal may change it.
func (w *watcher) waitClosure() {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := true
	stop := func() { exists = false }
	_ = stop
	for exists {
		w.cv.Wait()
	}
}

// ok: its address is taken.
func (w *watcher) waitPointer(set func(*bool)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := true
	set(&exists)
	for exists {
		w.cv.Wait()
	}
}
