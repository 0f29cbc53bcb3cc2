// Package selfwait holds goroutines that wait for themselves: the only
// close of the channel is their own deferred one.
package selfwait

import "sync"

type model interface{ clusterConfig() }

type testModel struct{ ccFn func() }

func (t *testModel) clusterConfig() {
	if t.ccFn != nil {
		t.ccFn()
	}
}

type conn struct {
	receiver  model
	inbox     chan int
	stopped   chan struct{}
	closed    chan struct{}
	closeOnce sync.Once
}

func (c *conn) start() { go c.loop() }

func (c *conn) loop() {
	defer close(c.stopped)
	for {
		select {
		case <-c.inbox:
		case <-c.closed:
			return
		}
		c.receiver.clusterConfig() // want `c.receiver.clusterConfig\(\) can reach a receive from stopped \(selfwait.go:\d+\) that only this function's deferred close\(c.stopped\) ends`
	}
}

func (c *conn) close() {
	c.closeOnce.Do(func() {
		close(c.closed)
		<-c.stopped
	})
}

func newConn() *conn {
	m := &testModel{}
	c := &conn{receiver: m, inbox: make(chan int), stopped: make(chan struct{}), closed: make(chan struct{})}
	m.ccFn = c.close
	return c
}

// The receive in the function itself.
type job struct{ done chan struct{} }

func (j *job) run() {
	defer close(j.done)
	<-j.done // want `this receive from done waits for a close that only this function's deferred close\(j.done\) makes`
}

func newJob() *job { return &job{done: make(chan struct{})} }

// The twins: the callback does not wait; another close exists; the
// wait is in a goroutine of its own.
type connOK struct {
	stopped chan struct{}
	closed  chan struct{}
	onMsg   func()
}

func (c *connOK) loop() {
	defer close(c.stopped)
	<-c.closed
	c.onMsg()
	go c.wait()
}

func (c *connOK) wait() { <-c.stopped }

func (c *connOK) notify() {}

func (c *connOK) shutdown() { close(c.closed) }

func newConnOK() *connOK {
	c := &connOK{stopped: make(chan struct{}), closed: make(chan struct{})}
	c.onMsg = c.notify
	return c
}

type twoClosers struct{ done chan struct{} }

func (j *twoClosers) run() {
	defer close(j.done)
	j.stop()
}

func (j *twoClosers) stop() { <-j.done }

func (j *twoClosers) abort() { close(j.done) }

func newTwo() *twoClosers { return &twoClosers{done: make(chan struct{})} }
