// Package nowaker holds receives from channels that nothing in the
// program sends on or closes (grpc1275, cockroach25456), and the twins
// whose waker leaklint cannot see or that have one.
package nowaker

import "os"

type recvBuffer struct {
	c chan bool
}

func (b *recvBuffer) get() <-chan bool {
	return b.c
}

func newBuffer() *recvBuffer {
	return &recvBuffer{c: make(chan bool)}
}

// grpc1275: received through a getter, in a select with one case.
func read(b *recvBuffer) {
	select {
	case <-b.get(): // want `nothing in the program sends on or closes c, and no other package can`
	}
}

// Stopper is exported, quiescer is not; ShouldQuiesce hands it out
// receive-only: no other package can close it.
type Stopper struct {
	quiescer chan struct{}
	stopper  chan struct{}
	Events   chan int // exported: another package may send
}

func NewStopper() *Stopper {
	return &Stopper{quiescer: make(chan struct{}), stopper: make(chan struct{}), Events: make(chan int)}
}

func (s *Stopper) ShouldQuiesce() <-chan struct{} { return s.quiescer }

func (s *Stopper) ShouldStop() <-chan struct{} { return s.stopper }

// ok: stopper is closed.
func (s *Stopper) Stop() { close(s.stopper) }

func process(s *Stopper) {
	<-s.ShouldQuiesce() // want `nothing in the program sends on or closes quiescer`
	<-s.ShouldStop()
	<-s.Events
}

func local() int {
	ch := make(chan int)
	return <-ch // want `nothing in the program sends on or closes ch`
}

// ok: a goroutine sends.
func localSent() int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	return <-ch
}

// ok: handed to a function, which may send.
func handed(start func(chan<- int)) int {
	ch := make(chan int)
	start(ch)
	return <-ch
}

// ok: a parameter: the caller may send.
func param(ch chan int) int {
	return <-ch
}

// ok: a select with another case that may fire.
func otherCase(b *recvBuffer, quit chan struct{}) {
	select {
	case <-b.c:
	case <-quit:
	}
}

type pipe struct {
	in  chan int
	out chan int
}

// ok: in is sent on; out comes from elsewhere.
func newPipe(out chan int) *pipe {
	p := &pipe{in: make(chan int), out: out}
	go func() { p.in <- 1 }()
	return p
}

func (p *pipe) drain() {
	for v := range p.in {
		_ = v
	}
	<-p.out
}

var quit chan struct{}

func init() { quit = make(chan struct{}) }

func waitQuit() {
	<-quit // want `nothing in the program sends on or closes quit`
}

// grpc1424: the channel is handed to a goroutine whose function never
// uses it; nothing else can send on or close it.
type conn struct{ addrs []string }

func (c *conn) watch(done chan bool) {
	for range c.addrs {
	}
}

func dial(c *conn) {
	done := make(chan bool)
	go c.watch(done)
	<-done // want `nothing in the program sends on or closes done`
}

// Passed on twice, and only received from down there.
func relay(done chan bool)  { receiveOnly(done) }
func receiveOnly(c chan bool) { <-c }

func dialRelay() {
	done := make(chan bool)
	go relay(done)
	<-done // want `nothing in the program sends on or closes done`
}

// ok: the callee closes its parameter.
func (c *conn) watchAndClose(done chan bool) {
	defer close(done)
	for range c.addrs {
	}
}

func dialClosed(c *conn) {
	done := make(chan bool)
	go c.watchAndClose(done)
	<-done
}

// ok: a function literal that sends on its parameter.
func dialLit() bool {
	done := make(chan bool)
	go func(d chan bool) { d <- true }(done)
	return <-done
}

// ok: the callee hands it on to a function value, which may send.
func handOn(done chan bool, f func(chan bool)) { f(done) }

func dialHanded(f func(chan bool)) {
	done := make(chan bool)
	go handOn(done, f)
	<-done
}

// ok: the callee stores it where others can reach it.
type registry struct{ waiting []chan bool }

func (r *registry) add(done chan bool) { r.waiting = append(r.waiting, done) }

func (r *registry) wait() {
	done := make(chan bool)
	r.add(done)
	<-done
}

// ok: variadic parameters are not followed.
func many(chs ...chan bool) {}

func dialMany() {
	done := make(chan bool)
	many(done)
	<-done
}

// kubernetes38669: results is sent on, never received, and unbuffered:
// the only constructor call passes 0.
type watcher struct {
	input   chan int
	results chan int
}

func newWatcher(size int) *watcher {
	w := &watcher{input: make(chan int, size), results: make(chan int, size)}
	go w.process([]int{1, 2})
	return w
}

func startWatcher() *watcher { return newWatcher(0) }

func (w *watcher) process(events []int) {
	for _, e := range events {
		w.send(e)
	}
	for range w.input {
	}
}

func (w *watcher) send(e int) {
	w.results <- e // want `nothing in the program receives from results, an unbuffered channel`
}

func (w *watcher) stop() { close(w.input) }

// ok: a buffer sized by the caller may hold every value sent.
type sized struct{ out chan int }

func newSized(n int) *sized { return &sized{out: make(chan int, n)} }

func startSized() *sized { return newSized(len(os.Args)) }

func (s *sized) put(v int) { s.out <- v }

// ok: a getter hands it out: someone receives.
type feed struct{ events chan int }

func newFeed() *feed { return &feed{events: make(chan int)} }

func (f *feed) Events() <-chan int { return f.events }

func (f *feed) publish(v int) { f.events <- v }

// ok: the send is one case of a select; the other may fire.
type ticker struct {
	ticks chan int
	quit  chan struct{}
}

func newTicker() *ticker { return &ticker{ticks: make(chan int), quit: make(chan struct{})} }

func (t *ticker) tick(v int) {
	select {
	case t.ticks <- v:
	case <-t.quit:
	}
}

func (t *ticker) stop() { close(t.quit) }

// ok: received in a select with other cases somewhere.
type pump struct {
	out  chan int
	quit chan struct{}
}

func newPump() *pump { return &pump{out: make(chan int), quit: make(chan struct{})} }

func (p *pump) push(v int) { p.out <- v }

func (p *pump) loop() {
	for {
		select {
		case <-p.out:
		case <-p.quit:
			return
		}
	}
}

// ok: the field is set by a literal without keys, to a channel that
// goes elsewhere too (go-ethereum's sharedUDPConn).
type shared struct {
	name      string
	unhandled chan int
}

func newShared(register func(chan int)) *shared {
	unhandled := make(chan int, 100)
	register(unhandled)
	return &shared{"udp", unhandled}
}

func (s *shared) read() int {
	return <-s.unhandled
}

// ok: a generic type's fields are one object across its instances
// (pebble's genericcache shard).
type shard[V any] struct {
	releasing chan *V
}

func (s *shard[V]) init() {
	s.releasing = make(chan *V, 100)
	go s.loop()
}

func (s *shard[V]) loop() {
	for v := range s.releasing {
		_ = v
	}
}

func (s *shard[V]) release(v *V) {
	s.releasing <- v
}

func use() {
	var s shard[int]
	s.init()
	s.release(new(int))
}
