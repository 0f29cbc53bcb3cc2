// want package:"hasSummaries"

// Package a holds the goroutine shapes waitgroup reports, and the correct
// shapes a naive check would report, in a module whose go line is 1.24
// (no WaitGroup.Go yet).
package a

import (
	"log"
	"runtime"
	"sync"
)

func step() error { return nil }
func work()       {}
func use(any)     {}

var register func(*sync.WaitGroup)

// ---- Done missing on some path ----

func earlyReturn() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := step(); err != nil {
			return // want `^the goroutine returns here without calling wg.Done\(\), which it calls on other paths, so wg.Wait\(\) blocks forever: defer wg.Done\(\) at the start of the goroutine$`
		}
		wg.Done()
	}()
	wg.Wait()
}

func endsWithout(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if ok {
			wg.Done()
		}
	}() // want `the goroutine ends here without calling wg.Done\(\)`
	wg.Wait()
}

func deferOnOneBranch(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if ok {
			defer wg.Done()
		}
		work()
	}() // want `the goroutine ends here without calling wg.Done\(\)`
	wg.Wait()
}

func goexit() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if step() != nil {
			runtime.Goexit() // want `runtime.Goexit ends the goroutine \(runtime.Goexit\) without calling wg.Done\(\), which it calls on other paths`
		}
		wg.Done()
	}()
	wg.Wait()
}

func recoveredPanic() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Print(r)
			}
		}()
		if step() != nil {
			panic("bad") // want `the deferred function on line 73 recovers this panic, and the goroutine then ends without calling wg.Done\(\)`
		}
		wg.Done()
	}()
	wg.Wait()
}

func inSelect(in <-chan int, quit <-chan struct{}) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for {
			select {
			case <-quit:
				return // want `the goroutine returns here without calling wg.Done\(\)`
			case v := <-in:
				if v == 0 {
					wg.Done()
					return
				}
			}
		}
	}()
	wg.Wait()
}

// A field of a struct, and a parameter of the literal.
type server struct {
	wg sync.WaitGroup
}

func (s *server) start() { // want start:"waitgroup\\(s.wg: Done unknown, adds\\)"
	s.wg.Add(1)
	go func() {
		if step() != nil {
			return // want `the goroutine returns here without calling s.wg.Done\(\)`
		}
		s.wg.Done()
	}()
}

func viaParam() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func(g *sync.WaitGroup) {
		if step() != nil {
			return // want `without calling g.Done\(\)`
		}
		g.Done()
	}(&wg)
	wg.Wait()
}

// An embedded WaitGroup.
type group struct {
	sync.WaitGroup
	n int
}

func embedded(g *group) { // want embedded:"waitgroup\\(g.WaitGroup: Done unknown, adds, waits\\)"
	g.Add(1)
	go func() {
		if g.n == 0 {
			return // want `without calling g.WaitGroup.Done\(\)`
		}
		g.Done()
	}()
	g.Wait()
}

// ---- silent: Done on every path ----

func deferred() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done() // ok: on every path
		if step() != nil {
			return
		}
		work()
	}()
	wg.Wait()
}

func everyBranch() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if step() != nil {
			wg.Done() // ok: Done on every branch explicitly
			return
		}
		work()
		wg.Done()
	}()
	wg.Wait()
}

func nilGuard(wg *sync.WaitGroup) {
	go func() {
		if wg != nil {
			defer wg.Done() // ok: no WaitGroup, no Done owed
		}
		work()
	}()
	go func() {
		if wg == nil {
			return // ok: nothing to call Done on
		}
		work()
		wg.Done()
	}()
}

func (s *server) nilReceiver() { // want nilReceiver:"waitgroup\\(s.wg: Done unknown\\)"
	go func() {
		if s != nil {
			s.wg.Done() // ok: the branch where s is nil owes nothing
		}
	}()
}

func unrecoveredPanic() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if step() != nil {
			panic("bad") // ok: nothing recovers it, the program crashes
		}
		wg.Done()
	}()
	wg.Wait()
}

func exits() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := step(); err != nil {
			log.Fatal(err) // ok: the process ends
		}
		wg.Done()
	}()
	wg.Wait()
}

func handedOn(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if ok {
			register(&wg) // ok: handed to code we can't see, which may call Done
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

func handedToGoroutine(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if ok {
			go func() { defer wg.Done(); work() }() // ok: the Done is handed to another goroutine
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

func consumer(jobs <-chan int, n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	go func() {
		for j := range jobs {
			use(j)
			wg.Done() // ok: one Done per job, not per goroutine
		}
	}()
	wg.Wait()
}

func forever(in <-chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for {
			if <-in == 0 {
				wg.Done() // ok: the only way out
				return
			}
		}
	}()
	wg.Wait()
}

func methodValue(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	done := wg.Done // the WaitGroup escapes through a method value
	go func() {
		if ok {
			return // ok: done may be called by anyone
		}
		done()
	}()
	wg.Wait()
}

// ---- Done twice ----

func deferAndExplicit() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if step() != nil {
			wg.Done() // want `^wg.Done\(\) is called twice on this path \(defer wg.Done\(\) on line 297, then wg.Done\(\) here\): the counter goes negative \(panic\), or wg.Wait\(\) returns before the other goroutines finish; keep one$`
			return
		}
	}()
	wg.Wait()
}

func twoExplicit() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		wg.Done()
		work()
		wg.Done() // want `wg.Done\(\) is called twice on this path \(wg.Done\(\) on line \d+, then wg.Done\(\) here\)`
	}()
	wg.Wait()
}

func twoExplicitCountedTwice() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		work()
		wg.Done()
		work()
		wg.Done() // ok: the goroutine is counted twice
	}()
	wg.Wait()
}

func twiceInDeclared(wg *sync.WaitGroup) {
	defer wg.Done()
	if step() != nil {
		wg.Done() // want `wg.Done\(\) is called twice on this path`
	}
}

// ---- Add inside the goroutine ----

func addInside() {
	var wg sync.WaitGroup
	go func() {
		wg.Add(1) // want `^wg.Add\(1\) inside the goroutine it accounts for races with wg.Wait\(\), which can return before it runs: call wg.Add\(1\) before the go statement$`
		defer wg.Done()
		work()
	}()
	wg.Wait()
}

func addInsideLater() {
	var wg sync.WaitGroup
	go func() {
		work()
		defer wg.Done()
		wg.Add(1) // want `wg.Add\(1\) inside the goroutine it accounts for`
	}()
	wg.Wait()
}

func (s *server) addInsideField() { // want addInsideField:"waitgroup\\(s.wg: Done unknown\\)"
	go func() {
		s.wg.Add(1) // want `s.wg.Add\(1\) inside the goroutine it accounts for races with s.wg.Wait\(\)`
		defer s.wg.Done()
	}()
}

func addForChildren(jobs []int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		wg.Add(1) // ok: this goroutine is counted, so the counter is not zero
		go func() { defer wg.Done() }()
	}()
	wg.Wait()
}

func manager(jobs []int, done chan struct{}) {
	var wg sync.WaitGroup
	go func() {
		defer close(done)
		for _, j := range jobs {
			wg.Add(1) // ok: adds for the goroutines it starts, not for itself
			go func() { defer wg.Done(); use(j) }()
		}
	}()
	<-done
	wg.Wait()
}

func addAlias(s *server) { // want addAlias:"waitgroup\\(s.wg: Done unknown\\)"
	wg := &s.wg
	go func() {
		wg.Add(1) // ok: wg may be an alias of a WaitGroup added elsewhere
		defer wg.Done()
	}()
}

// ---- self-wait ----

func selfWait() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		wg.Wait() // want `^wg.Wait\(\) inside a goroutine counted by wg waits for the goroutine's own wg.Done\(\), which has not run yet, so it blocks forever: wait outside the goroutines it counts$`
	}()
	wg.Wait()
}

func barrier(n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			work()
			wg.Done()
			wg.Wait() // ok: a barrier, the goroutine's own Done has run
		}()
	}
}

func closer(results chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); results <- 1 }()
	go func() {
		wg.Wait() // ok: this goroutine is not counted
		close(results)
	}()
}

// ---- suppressed ----

func suppressed() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if step() != nil {
			return //leaklint:ignore waitgroup the caller times out on Wait and reports the error
		}
		wg.Done()
	}()
	wg.Wait()
}

// A function literal at package level is a function of its own.
var startLater = func() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if step() != nil {
			return // want `the goroutine returns here without calling wg.Done\(\)`
		}
		wg.Done()
	}()
	wg.Wait()
}

func twiceInLoop(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if step() != nil {
				wg.Done() // want `wg.Done\(\) is called twice on this path`
			}
		}()
	}
	wg.Wait()
}
