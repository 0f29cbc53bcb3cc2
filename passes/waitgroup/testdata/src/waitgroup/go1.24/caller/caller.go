// want package:"hasSummaries"

// Package caller starts the functions of package worker with go
// statements: their facts say what they do to the WaitGroup.
package caller

import (
	"sync"

	"example.com/waitgroup/worker"
)

func some() {
	var wg sync.WaitGroup
	wg.Add(1)
	go worker.Some(&wg, 1) // want `^worker.Some does not call wg.Done\(\) on every path \(it returns at worker.go:25 without it\), so wg.Wait\(\) can block forever: defer wg.Done\(\) at the start of Some$`
	wg.Wait()
}

func exitSome() {
	var wg sync.WaitGroup
	wg.Add(1)
	go worker.ExitSome(&wg) // want `worker.ExitSome does not call wg.Done\(\) on every path \(it ends the goroutine at worker.go:33 without it\)`
	wg.Wait()
}

func addsSelf() {
	var wg sync.WaitGroup
	go worker.AddsSelf(&wg) // want `^worker.AddsSelf calls wg.Add inside the goroutine it accounts for \(worker.go:45\), racing with wg.Wait\(\), which can return before it runs: call wg.Add\(1\) before this go statement and remove the Add from AddsSelf$`
	wg.Wait()
}

func waitsSelf() {
	var wg sync.WaitGroup
	wg.Add(1)
	go worker.WaitsSelf(&wg) // want `^worker.WaitsSelf waits on wg \(worker.go:53\) while this goroutine is counted by it, so it waits for itself forever: wait outside the goroutines it counts$`
	wg.Wait()
}

func pool(p *worker.Pool) { // want pool:"waitgroup\\(p.wg: Done unknown\\)"
	go p.RunSome() // want `p.RunSome does not call p.wg.Done\(\) on every path`
	go p.Loop()    // want `p.Loop calls p.wg.Add inside the goroutine it accounts for`
	go p.Serve()   // want `p.Serve waits on p.wg \(worker.go:\d+\) while this goroutine is counted by it`
}

func global() {
	worker.Global.Add(1)
	go worker.UseGlobal() // want `worker.UseGlobal does not call worker.Global.Done\(\) on every path`
	worker.Global.Wait()
}

// ---- helpers inside goroutine literals ----

func helperTwice() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		worker.Finish(&wg) // want `wg.Done\(\) is called twice on this path \(defer wg.Done\(\) on line \d+, then worker.Finish\(&wg\) here\)`
	}()
	wg.Wait()
}

func helperMissing(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if ok {
			worker.Through(&wg)
			return
		}
		if worker.Never(&wg, 0); !ok {
			return // want `the goroutine returns here without calling wg.Done\(\)`
		}
		wg.Done()
	}()
	wg.Wait()
}

// ---- silent ----

func ok() {
	var wg sync.WaitGroup
	wg.Add(3)
	go worker.Always(&wg)  // ok: Done on every path
	go worker.Through(&wg) // ok: through Finish
	go worker.NilSafe(&wg) // ok: nil-safe
	wg.Wait()

	var wg2 sync.WaitGroup
	wg2.Add(1)
	go func() {
		defer worker.Finish(&wg2) // ok: a deferred helper Done
		if worker.Never(&wg2, 1); true {
			return
		}
	}()
	wg2.Wait()

	var p worker.Pool
	go p.Run() // ok
	p.Close()
}

func handed(f func(*sync.WaitGroup)) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if f != nil {
			worker.Handed(&wg, f) // ok: handed on, may call Done
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

func addedBefore() {
	var wg sync.WaitGroup
	wg.Add(1)
	go worker.AddsSelf(&wg) // ok: the starter adds to wg too (a different bug, left alone)
	wg.Wait()
}
