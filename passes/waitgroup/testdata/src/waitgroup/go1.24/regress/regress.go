// want package:"hasSummaries"

// Package regress holds the correct shapes that earlier versions of the
// pass reported in real projects, each named after the code it comes
// from.
package regress

import (
	"errors"
	"net"
	"sync"
	"testing"
	"time"
)

func use(any) {}

// natsGatewayAddFive: wg.Add(5) before a range over five connections
// built just before (nats-server gateway_test.go). A count for several
// goroutines before a loop is left to the author.
func natsGatewayAddFive(conns []net.Conn) {
	var wg sync.WaitGroup
	wg.Add(5) // ok: conns has five elements
	for _, c := range conns {
		go func() {
			defer wg.Done()
			use(c)
		}()
	}
	wg.Wait()
}

// natsTickerLoop: a goroutine ranging over a ticker's channel, which is
// never closed, leaves only through its select case (nats-server
// gateway_test.go, routes_test.go).
func natsTickerLoop(done <-chan struct{}) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for range time.NewTicker(time.Millisecond).C {
			select {
			case <-done:
				wg.Done()
				return
			default:
			}
			use(1)
		}
	}() // ok: the loop never ends by itself
	wg.Wait()
}

// requireNoError is a test helper that never returns when err is not
// nil (nats-server's require_NoError calls t.Fatalf on a testing.TB).
func requireNoError(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// natsRequireNoError: Done before a helper that fails the test, then a
// deferred Done on the path where the helper returned (nats-server
// routes_test.go).
func natsRequireNoError(t *testing.T, l net.Listener) {
	var ready sync.WaitGroup
	ready.Add(1)
	go func() {
		conn, err := l.Accept()
		if err != nil {
			ready.Done()
			requireNoError(t, err)
		}
		defer conn.Close()
		defer ready.Done() // ok: the path above ends in requireNoError
	}()
	ready.Wait()
}

var start func(func()) bool

// natsRollback: a goroutine adds for a worker it starts through a
// callback, and calls Done only to roll the Add back when the start
// fails (nats-server stream.go). Its Done calls are not owed to whoever
// started it.
func natsRollback(fail bool) {
	var wg sync.WaitGroup
	go func() {
		if fail {
			return // ok: nothing added yet
		}
		wg.Add(1)
		if !start(func() { defer wg.Done() }) {
			wg.Done()
		}
	}()
	wg.Wait()
}

type server struct {
	mu      sync.Mutex
	lis     net.Listener
	serveWG sync.WaitGroup
}

var errStopped = errors.New("stopped")

// Serve counts itself, after checking under its lock that the server is
// not stopped: Stop takes the lock before waiting (grpc-go server.go).
func (s *server) Serve(l net.Listener) error { // want Serve:"waitgroup\\(s.serveWG: Done unknown, adds\\)"
	s.mu.Lock()
	if s.lis == nil {
		s.mu.Unlock()
		return errStopped
	}
	s.serveWG.Add(1)
	s.mu.Unlock()
	defer s.serveWG.Done()
	return nil
}

func (s *server) Stop() { // want Stop:"waitgroup\\(s.serveWG: Done never, waits\\)"
	s.mu.Lock()
	s.lis = nil
	s.mu.Unlock()
	s.serveWG.Wait()
}

func grpcServe(s *server, l net.Listener) { // want grpcServe:"waitgroup\\(s.serveWG: Done unknown, waits\\)"
	go s.Serve(l) // ok: the Add is synchronised with Stop through s.mu and s.lis
	s.Stop()
}

// goRedisHandshake: the goroutine calls Done once started and once
// finished; its starter waits for the first, adds again, and waits for
// the second (go-redis pubsub_test.go).
func goRedisHandshake(stop func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		wg.Done()
		defer wg.Done() // ok: the starter adds again after the first Done
		use(1)
	}()
	wg.Wait()
	wg.Add(1) // ok: the goroutine started above owes this Done
	stop()
	wg.Wait()
}

// telegrafUDPServer: the same handshake in a declared function started
// with go (telegraf net_response_test.go): Done when listening, deferred
// Done when finished; every starter adds again after its first Wait.
func telegrafUDPServer(t *testing.T, wg *sync.WaitGroup) {
	defer wg.Done()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Error(err)
		return
	}
	wg.Done() // ok: the starters add again after the first Done
	use(conn)
}

func telegrafTestUDP(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go telegrafUDPServer(t, &wg)
	wg.Wait()
	wg.Add(1)
	use(2)
	wg.Wait()
}

// doneTwiceWorker is started by a starter that adds only once: its two
// Done calls make the counter negative.
func doneTwiceWorker(wg *sync.WaitGroup) {
	defer wg.Done()
	use(3)
	wg.Done() // want `wg.Done\(\) is called twice on this path`
}

func startDoneTwice() {
	var wg sync.WaitGroup
	wg.Add(1)
	go doneTwiceWorker(&wg)
	wg.Wait()
}
