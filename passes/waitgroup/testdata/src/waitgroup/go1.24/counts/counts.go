// want package:"hasSummaries"

// Package counts holds Adds whose counts don't match the goroutines
// started for them, and the matching shapes a naive check would report.
package counts

import (
	"sync"

	"example.com/waitgroup/worker"
)

func use(any)       {}
func skip(int) bool { return false }

var register func(*sync.WaitGroup)

// ---- a constant Add, then the goroutines, then Wait ----

func addTwoStartOne() {
	var wg sync.WaitGroup
	wg.Add(2) // want `^wg.Add adds 2 before wg.Wait\(\) on line 24, but the goroutines started in between make 1 Done call, so Wait blocks forever: call wg.Add\(1\) just before each go statement$`
	go func() { defer wg.Done() }()
	wg.Wait()
}

func addOneStartTwo() {
	var wg sync.WaitGroup
	wg.Add(1) // want `^wg.Add adds 1 before wg.Wait\(\) on line 32, but the goroutines started in between make 2 Done calls: the counter goes negative \(panic\), or Wait returns before they all finish; call wg.Add\(1\) just before each go statement$`
	go func() { defer wg.Done() }()
	go func() { defer wg.Done() }()
	wg.Wait()
}

func addThenWait() {
	var wg sync.WaitGroup
	wg.Add(1) // want `make 0 Done calls, so Wait blocks forever`
	wg.Wait()
}

func throughHelper() {
	wg := new(sync.WaitGroup)
	wg.Add(2) // want `wg.Add adds 2 before wg.Wait\(\) on line \d+, but the goroutines started in between make 1 Done call`
	go worker.Always(wg)
	go worker.Never(wg, 1)
	wg.Wait()
}

func matching() {
	var wg sync.WaitGroup
	wg.Add(2) // ok: two goroutines, one Done each
	go func() { defer wg.Done() }()
	go worker.Always(&wg)
	wg.Wait()

	wg.Add(2) // ok: one goroutine, and one Done in place
	go func() { defer wg.Done() }()
	wg.Done()
	wg.Wait()

	wg.Add(1) // ok: the other goroutine doesn't use wg
	go use(1)
	wg.Add(1)
	go func() { defer wg.Done() }()
	go func() { defer wg.Done() }()
	wg.Wait()
}

func escapes() {
	var wg sync.WaitGroup
	wg.Add(2) // ok: register may call Done
	register(&wg)
	go func() { defer wg.Done() }()
	wg.Wait()
}

// ---- a constant Add outside a loop that starts goroutines ----

func addOnceLoop(jobs []int) {
	var wg sync.WaitGroup
	wg.Add(1) // want `^wg.Add\(1\) is called once before the loop, but the loop starts a goroutine calling wg.Done\(\) on every iteration \(line \d+\): call wg.Add\(1\) in the loop, just before the go statement$`
	for _, j := range jobs {
		go func() {
			defer wg.Done()
			use(j)
		}()
	}
	wg.Wait()
}

func (p *pool) addOnceHelperLoop(n int) { // want addOnceHelperLoop:"waitgroup\\(p.wg: Done unknown, adds\\)"
	p.wg.Add(1) // want `p.wg.Add\(1\) is called once before the loop`
	for i := 0; i < n; i++ {
		go p.work(i)
	}
}

func constantLoop() {
	var wg sync.WaitGroup
	wg.Add(3) // ok: three iterations
	for i := 0; i < 3; i++ {
		go func() { defer wg.Done() }()
	}
	wg.Wait()
}

// goRedisWriters: two goroutines from a constant loop and one more
// (go-redis hooks_current_race_test.go).
func goRedisWriters() {
	const writers = 2
	var wg sync.WaitGroup
	wg.Add(writers + 1) // ok: 2 + 1
	for i := 0; i < writers; i++ {
		go func() { defer wg.Done() }()
	}
	go func() { defer wg.Done() }()
	wg.Wait()
}

func constantLoopMismatch() {
	var wg sync.WaitGroup
	wg.Add(2) // want `wg.Add adds 2 before wg.Wait\(\) on line \d+, but the goroutines started in between make 3 Done calls: the counter goes negative`
	for i := 0; i < 3; i++ {
		go func() { defer wg.Done() }()
	}
	wg.Wait()
}

func constantLoopEarlyExit(stop bool) {
	var wg sync.WaitGroup
	wg.Add(2) // ok: the loop may end before its third iteration
	for i := 0; i < 3; i++ {
		go func() { defer wg.Done() }()
		if stop {
			break
		}
	}
	wg.Wait()
}

func constantLoopSkips() {
	var wg sync.WaitGroup
	wg.Add(2) // ok: not counted, the loop skips an iteration
	for i := range 3 {
		if i == 1 {
			continue
		}
		go func() { defer wg.Done() }()
	}
	wg.Wait()
}

func startsOnce(jobs []int) {
	var wg sync.WaitGroup
	wg.Add(1) // ok: the loop starts one goroutine and leaves
	for _, j := range jobs {
		if j > 0 {
			go func() { defer wg.Done() }()
			break
		}
	}
	wg.Wait()
}

func perIteration(jobs []int) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1) // ok: Add per iteration before go
		go func() { defer wg.Done(); use(j) }()
	}
	wg.Wait()
}

// ---- Add of the iteration count, where an iteration can skip the launch ----

func skipWithContinue(jobs []*int) {
	var wg sync.WaitGroup
	wg.Add(len(jobs)) // want `^wg.Add\(len\(jobs\)\) counts every iteration of the loop, but an iteration can skip the go statement on line \d+ \(continue, break or a condition\), so wg.Wait\(\) blocks forever: call wg.Add\(1\) just before the go statement instead$`
	for _, j := range jobs {
		if j == nil {
			continue
		}
		go func() {
			defer wg.Done()
			use(j)
		}()
	}
	wg.Wait()
}

func skipWithBreak(jobs []int) {
	var wg sync.WaitGroup
	wg.Add(len(jobs)) // want `wg.Add\(len\(jobs\)\) counts every iteration of the loop`
	for _, j := range jobs {
		if skip(j) {
			break
		}
		go func() { defer wg.Done(); use(j) }()
	}
	wg.Wait()
}

func conditionalGo(n int) {
	var wg sync.WaitGroup
	wg.Add(n) // want `wg.Add\(n\) counts every iteration of the loop`
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			go func() { defer wg.Done(); use(i) }()
		}
	}
	wg.Wait()
}

type pool struct{ wg sync.WaitGroup }

func (p *pool) work(int) { // want work:"waitgroup\\(p.wg: Done once on every path\\)"
	defer p.wg.Done()
}

func (p *pool) rangeInt(n int) { // want rangeInt:"waitgroup\\(p.wg: Done unknown, adds, waits\\)"
	p.wg.Add(n) // want `p.wg.Add\(n\) counts every iteration of the loop`
	for i := range n {
		if skip(i) {
			continue
		}
		go p.work(i)
	}
	p.wg.Wait()
}

func unconditional(jobs []int) {
	var wg sync.WaitGroup
	wg.Add(len(jobs)) // ok: one launch per element
	for _, j := range jobs {
		go func() { defer wg.Done(); use(j) }()
	}
	wg.Wait()
}

func doneOnSkip(jobs []*int) {
	var wg sync.WaitGroup
	wg.Add(len(jobs)) // ok: the skipping path calls Done itself
	for _, j := range jobs {
		if j == nil {
			wg.Done()
			continue
		}
		go func() { defer wg.Done(); use(j) }()
	}
	wg.Wait()
}

func returnInLoop(jobs []int) {
	var wg sync.WaitGroup
	wg.Add(len(jobs)) // ok: returning does not reach Wait
	for _, j := range jobs {
		if skip(j) {
			return
		}
		go func() { defer wg.Done(); use(j) }()
	}
	wg.Wait()
}

// ---- Wait inside the loop that starts the goroutines ----

func waitInLoop(plugins []int) {
	var wg sync.WaitGroup
	wg.Add(len(plugins))
	for _, p := range plugins {
		go func() {
			defer wg.Done()
			use(p)
		}()
		wg.Wait() // want `^wg.Wait\(\) inside the loop that starts the goroutines it waits for, while nothing in the loop adds to wg: the first Wait waits for goroutines not started yet \(or the counter goes negative\); wait after the loop, or call wg.Add\(1\) before each go statement$`
	}
}

func waitPerIteration(jobs []int) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() { defer wg.Done(); use(j) }()
		wg.Wait() // ok: added in the loop, one at a time
	}
}

func waitAtTheEnd(jobs []int) {
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for i, j := range jobs {
		go func() { defer wg.Done(); use(j) }()
		if i == len(jobs)-1 {
			wg.Wait() // ok: waits once, after the last launch
			break
		}
	}
}
