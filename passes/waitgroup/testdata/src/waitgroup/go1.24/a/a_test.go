package a

import (
	"sync"
	"testing"
)

func TestFatalInGoroutine(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := step(); err != nil {
			t.Fatal(err) // want `t.Fatal ends the goroutine \(runtime.Goexit\) without calling wg.Done\(\), which it calls on other paths, so wg.Wait\(\) blocks forever`
		}
		wg.Done()
	}()
	wg.Wait()
}

func TestFatalWithDefer(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := step(); err != nil {
			t.Error(err) // ok: Done is deferred
			return
		}
	}()
	wg.Wait()
}

func TestFatalThroughTB(t *testing.T) {
	var tb testing.TB = t
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := step(); err != nil {
			tb.Fatal(err) // want `tb.Fatal ends the goroutine \(runtime.Goexit\) without calling wg.Done\(\)`
		}
		wg.Done()
	}()
	wg.Wait()
}
