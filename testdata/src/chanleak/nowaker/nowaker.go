// Package nowaker holds receives from channels that nothing in the
// program sends on or closes (grpc1275, cockroach25456), and the twins
// whose waker leaklint cannot see or that have one.
package nowaker

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
