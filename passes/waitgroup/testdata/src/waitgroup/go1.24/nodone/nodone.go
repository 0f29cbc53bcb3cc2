// want package:"hasSummaries"

// Package nodone holds WaitGroups that are added to and waited on but
// never Done anywhere (cockroach1055's drain), and the twins whose Done
// leaklint cannot see or that have one.
package nodone

import "sync"

type stopper struct {
	mu    sync.Mutex
	drain sync.WaitGroup
	stop  sync.WaitGroup
	Tasks sync.WaitGroup // exported: another package may call Done
}

func (s *stopper) startTask() { // want startTask:"s.drain: Done never, adds"
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drain.Add(1)
}

func (s *stopper) quiesce() { // want quiesce:"s.drain: Done never, waits"
	s.drain.Wait() // want `nothing in the program calls s.drain.Done\(\), and drain cannot be reached from outside the package: s.drain.Wait\(\) blocks forever once Add has run`
}

func (s *stopper) quiesceAgain() { // want quiesceAgain:"s.drain: Done never, waits"
	s.drain.Wait() // reported once, at the first Wait
}

// ok: stop has its Done.
func (s *stopper) addWorker()  { s.stop.Add(1) } // want addWorker:"s.stop: Done never, adds"
func (s *stopper) setStopped() { s.stop.Done() } // want setStopped:"s.stop: Done once on every path"
func (s *stopper) halt()       { s.stop.Wait() } // want halt:"s.stop: Done never, waits"

// ok: exported.
func (s *stopper) tasks() { // want tasks:"s.Tasks: Done never, adds, waits"
	s.Tasks.Add(1)
	s.Tasks.Wait()
}

var pending sync.WaitGroup

func enqueue() { pending.Add(2) } // want enqueue:"pending: Done never, adds"

func flush() { // want flush:"pending: Done never, waits"
	pending.Wait() // want `nothing in the program calls pending.Done\(\)`
}

// ok: handed to a function, which may call Done.
func handed(worker func(*sync.WaitGroup)) {
	var wg sync.WaitGroup
	wg.Add(1)
	go worker(&wg)
	wg.Wait()
}

// ok: Add(-1) is a Done.
func negative() {
	var wg sync.WaitGroup
	wg.Add(1)
	wg.Add(-1)
	wg.Wait()
}

// ok: Add with a count that may be zero.
func counted(n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	wg.Wait()
}

// ok: a method value of Done is handed on.
func methodValue(run func(func())) {
	var wg sync.WaitGroup
	wg.Add(1)
	go run(wg.Done)
	wg.Wait()
}

// ok: embedded, so its methods are promoted to group's.
type group struct {
	sync.WaitGroup
}

func (g *group) run() { // want run:"g.WaitGroup: Done never, adds, waits"
	g.Add(1)
	g.Wait()
}

// ok: only waited on, never added to: Wait returns at once.
func waitOnly() {
	var wg sync.WaitGroup
	wg.Wait()
}
