// want package:"hasSummaries"

// Package fix checks the suggested fix that moves an Add out of the
// goroutine it accounts for.
package fix

import "sync"

func work() {}

func first() {
	var wg sync.WaitGroup
	go func() {
		wg.Add(1) // want `wg.Add\(1\) inside the goroutine it accounts for`
		defer wg.Done()
		work()
	}()
	wg.Wait()
}

func later(s *struct{ wg sync.WaitGroup }) { // want later:"waitgroup\\(s.wg: Done unknown, waits\\)"
	for i := 0; i < 3; i++ {
		go func() {
			work()
			s.wg.Add(1) // want `s.wg.Add\(1\) inside the goroutine it accounts for`
			defer s.wg.Done()
		}()
	}
	s.wg.Wait()
}

func noFixSharedLine() {
	var wg sync.WaitGroup
	go func() { wg.Add(1); defer wg.Done() }() // want `wg.Add\(1\) inside the goroutine it accounts for`
	wg.Wait()
}

func noFixForParameter() {
	var wg sync.WaitGroup
	go func(g *sync.WaitGroup) {
		g.Add(1) // want `g.Add\(1\) inside the goroutine it accounts for`
		defer g.Done()
	}(&wg)
	wg.Wait()
}
