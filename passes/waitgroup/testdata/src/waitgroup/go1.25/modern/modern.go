// want package:"hasSummaries"

// Package modern is built with Go 1.25: the messages suggest
// WaitGroup.Go, and functions run by wg.Go are checked.
package modern

import "sync"

func step() error { return nil }
func work()       {}
func use(any)     {}

func earlyReturn() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := step(); err != nil {
			return // want `^the goroutine returns here without calling wg.Done\(\), which it calls on other paths, so wg.Wait\(\) blocks forever: defer wg.Done\(\) at the start of the goroutine, or start it with wg.Go\(func\(\) \{ ... \}\) and drop the Done calls$`
		}
		wg.Done()
	}()
	wg.Wait()
}

func withArgument() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func(n int) {
		if n == 0 {
			return // want `defer wg.Done\(\) at the start of the goroutine$`
		}
		wg.Done()
	}(1)
	wg.Wait()
}

func addInside() {
	var wg sync.WaitGroup
	go func() {
		wg.Add(1) // want `^wg.Add\(1\) inside the goroutine it accounts for races with wg.Wait\(\), which can return before it runs: call wg.Add\(1\) before the go statement, or start the goroutine with wg.Go\(func\(\) \{ ... \}\) and drop its Add and Done$`
		defer wg.Done()
		work()
	}()
	wg.Wait()
}

func addOnceLoop(jobs []int) {
	var wg sync.WaitGroup
	wg.Add(1) // want `call wg.Add\(1\) in the loop, just before the go statement, or start it with wg.Go\(func\(\) \{ ... \}\)$`
	for _, j := range jobs {
		go func() { defer wg.Done(); use(j) }()
	}
	wg.Wait()
}

func skipLaunch(jobs []*int) {
	var wg sync.WaitGroup
	wg.Add(len(jobs)) // want `call wg.Add\(1\) just before the go statement instead, or start it with wg.Go\(func\(\) \{ ... \}\)$`
	for _, j := range jobs {
		if j == nil {
			continue
		}
		go func() { defer wg.Done(); use(j) }()
	}
	wg.Wait()
}

// ---- wg.Go ----

func goAndDone() {
	var wg sync.WaitGroup
	wg.Go(func() {
		defer wg.Done() // want `^wg.Go already calls wg.Done\(\) when the function returns: this defer wg.Done\(\) makes the counter go negative \(panic\); remove it$`
		work()
	})
	wg.Go(func() {
		work()
		wg.Done() // want `wg.Go already calls wg.Done\(\) when the function returns: this wg.Done\(\) makes the counter go negative`
	})
	wg.Wait()
}

func finish(wg *sync.WaitGroup) { // want finish:"waitgroup\\(wg: Done once on every path\\)"
	wg.Done()
}

func goAndHelper() {
	var wg sync.WaitGroup
	wg.Go(func() {
		work()
		finish(&wg) // want `wg.Go already calls wg.Done\(\) when the function returns: this finish\(&wg\) makes the counter go negative`
	})
	wg.Wait()
}

func goAndWait() {
	var wg sync.WaitGroup
	wg.Go(func() {
		wg.Wait() // want `^wg.Wait\(\) inside a function run by wg.Go waits for that function itself and blocks forever: wait outside the goroutines it counts$`
	})
	wg.Wait()
}

func goOK(jobs []int) {
	var wg, other sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			if j == 0 {
				return // ok: wg.Go calls Done on every path
			}
			use(j)
		})
	}
	other.Add(1)
	wg.Go(func() {
		defer other.Done() // ok: another WaitGroup
	})
	other.Wait()
	wg.Wait()
}

func correct() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done() // ok: correct, if older than wg.Go
		work()
	}()
	wg.Wait()
}
