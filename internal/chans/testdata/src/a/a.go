package a

import "context"

type server struct {
	quitCh   chan struct{}
	closed   chan struct{}
	notify   chan struct{}
	wake     chan struct{}
	results  chan int
	stopping chan int
}

func (s *server) StopNotify() <-chan struct{} { return s.quitCh }
func (s *server) Events() <-chan struct{}     { return s.notify }

func (s *server) loop(ctx context.Context, in <-chan int) {
	var out chan int
	for {
		select {
		case <-ctx.Done(): // want `stop`
		case <-s.quitCh: // want `stop`
		case <-s.closed: // want `stop`
		case <-s.StopNotify(): // want `stop`
		case <-s.stopping: // want `stop`
		case <-s.wake: // want `stop`
		case <-s.notify: // want `other`
		case <-s.Events(): // want `other`
		case v := <-in: // want `other`
			_ = v
		case r, ok := <-s.results: // want `other`
			_, _ = r, ok
		case out <- 1: // want `send`
		}
	}
}

func (s *server) poke() {
	s.notify <- struct{}{}
}
