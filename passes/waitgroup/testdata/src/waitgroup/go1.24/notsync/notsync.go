// want package:"hasSummaries"

// Package notsync does not import sync, but calls functions that use a
// WaitGroup: it is analysed because worker exports summaries.
package notsync

import "example.com/waitgroup/worker"

func start(p *worker.Pool) { // want start:"waitgroup\\(p.wg: Done unknown\\)"
	go p.Loop() // want `p.Loop calls p.wg.Add inside the goroutine it accounts for \(worker.go:\d+\)`
}
