// want package:"hasSummaries"

// Package worker declares functions that receive a WaitGroup. Each gets
// a summary fact; package caller starts them with go statements.
package worker

import (
	"runtime"
	"sync"
)

func step() error { return nil }

// Always calls Done once on every path.
func Always(wg *sync.WaitGroup) { // want Always:"waitgroup\\(wg: Done once on every path\\)"
	defer wg.Done()
	if step() != nil {
		return
	}
}

// Some returns early without Done.
func Some(wg *sync.WaitGroup, n int) { // want Some:"waitgroup\\(wg: Done on some paths\\)"
	if n == 0 {
		return
	}
	wg.Done()
}

// ExitSome ends its goroutine with runtime.Goexit without Done.
func ExitSome(wg *sync.WaitGroup) { // want ExitSome:"waitgroup\\(wg: Done on some paths\\)"
	if step() != nil {
		runtime.Goexit()
	}
	wg.Done()
}

// Never does not touch its WaitGroup.
func Never(wg *sync.WaitGroup, n int) { // want Never:"waitgroup\\(wg: Done never\\)"
	_ = n
}

// AddsSelf counts itself: a race with Wait when started with go.
func AddsSelf(wg *sync.WaitGroup) { // want AddsSelf:"waitgroup\\(wg: Done unknown, adds for itself\\)"
	wg.Add(1)
	defer wg.Done()
	_ = step()
}

// WaitsSelf waits for itself when started as a counted goroutine.
func WaitsSelf(wg *sync.WaitGroup) { // want WaitsSelf:"waitgroup\\(wg: Done once on every path, waits for itself\\)"
	defer wg.Done()
	wg.Wait()
}

// Finish is a helper that calls Done: it counts as a Done at its calls.
func Finish(wg *sync.WaitGroup) { // want Finish:"waitgroup\\(wg: Done once on every path\\)"
	wg.Done()
}

// Through calls Done through Finish.
func Through(wg *sync.WaitGroup) { // want Through:"waitgroup\\(wg: Done once on every path\\)"
	Finish(wg)
}

// NilSafe calls Done on every path where there is a WaitGroup.
func NilSafe(wg *sync.WaitGroup) { // want NilSafe:"waitgroup\\(wg: Done once on every path\\)"
	if wg != nil {
		wg.Done()
	}
}

// Handed hands the WaitGroup to a function value: nothing to say, no
// fact.
func Handed(wg *sync.WaitGroup, f func(*sync.WaitGroup)) {
	f(wg)
}

// WaitAll waits on every path.
func WaitAll(wg *sync.WaitGroup) { // want WaitAll:"waitgroup\\(wg: Done never, waits\\)"
	wg.Wait()
}

// Pool keeps its WaitGroup in a field: methods are summarised through
// their receiver.
type Pool struct {
	wg   sync.WaitGroup
	jobs chan func()
}

func (p *Pool) Run() { // want Run:"waitgroup\\(p.wg: Done once on every path\\)"
	defer p.wg.Done()
	for j := range p.jobs {
		j()
	}
}

func (p *Pool) RunSome() { // want RunSome:"waitgroup\\(p.wg: Done on some paths\\)"
	for j := range p.jobs {
		if j == nil {
			return
		}
		j()
	}
	p.wg.Done()
}

func (p *Pool) Loop() { // want Loop:"waitgroup\\(p.wg: Done unknown, adds for itself\\)"
	p.wg.Add(1)
	defer p.wg.Done()
	for j := range p.jobs {
		j()
	}
}

func (p *Pool) Close() { // want Close:"waitgroup\\(p.wg: Done never, waits\\)"
	close(p.jobs)
	p.wg.Wait()
}

// Serve closes the pool it is counted by: it waits for itself.
func (p *Pool) Serve() { // want Serve:"waitgroup\\(p.wg: Done once on every path, waits for itself\\)"
	defer p.wg.Done()
	p.Close()
}

// Global is a package-level WaitGroup.
var Global sync.WaitGroup

func UseGlobal() { // want UseGlobal:"waitgroup\\(Global: Done on some paths\\)"
	if step() != nil {
		return
	}
	Global.Done()
}
