// Command leaky leaks goroutines on purpose, one kind of wait each, and a
// lock-order deadlock, then writes its goroutine dumps and profiles to
// the directory named by -out and exits. The leaklint triage tests run it
// and read what it wrote; each wait has a cause leaklint finds in this
// source.
package main

import (
	"errors"
	"flag"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"time"
)

// firstResult asks two workers and returns the first answer: the other
// worker blocks forever sending on the unbuffered channel (chanleak).
func firstResult() int {
	results := make(chan int)
	for i := 0; i < 2; i++ {
		go func(i int) {
			results <- i
		}(i)
	}
	return <-results
}

type cache struct {
	mu sync.Mutex
	m  map[string]int
}

// get returns with c.mu held when the key is missing (unlock): the next
// call blocks on the Lock.
func (c *cache) get(k string) (int, bool) {
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		return 0, false
	}
	c.mu.Unlock()
	return v, true
}

type account struct {
	mu      sync.Mutex
	balance int
}

// transfer locks from, then to: two transfers in opposite directions
// deadlock (lockorder).
func transfer(from, to *account, n int, ready *sync.WaitGroup) {
	from.mu.Lock()
	defer from.mu.Unlock()
	ready.Done()
	ready.Wait()
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= n
	to.balance += n
}

var errFailed = errors.New("failed")

func work(i int) error {
	if i == 1 {
		return errFailed
	}
	return nil
}

// runAll waits for jobs, one of which returns before Done (waitgroup).
func runAll() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			if err := work(i); err != nil {
				return
			}
			wg.Done()
		}(i)
	}
	wg.Wait()
}

// fetch asks a server with the default client, which has no timeout
// (iotimeout).
func fetch(url string) {
	resp, err := http.Get(url)
	if err == nil {
		resp.Body.Close()
	}
}

func main() {
	out := flag.String("out", ".", "directory for the dumps")
	flag.Parse()

	firstResult()

	c := &cache{m: map[string]int{}}
	c.get("missing")
	go func() { c.get("missing") }()

	a, b := &account{balance: 10}, &account{balance: 10}
	var ready sync.WaitGroup
	ready.Add(2)
	go transfer(a, b, 1, &ready)
	go transfer(b, a, 1, &ready)

	go runAll()

	// A server that accepts and never answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	go fetch("http://" + ln.Addr().String())

	// The deadlock needs no timeout to form; give every goroutine time
	// to reach its wait, then write what a person would fetch.
	time.Sleep(500 * time.Millisecond)
	write := func(name, profile string, debug int) {
		p := pprof.Lookup(profile)
		if p == nil {
			return // goroutineleak needs GOEXPERIMENT=goroutineleakprofile
		}
		f, err := os.Create(filepath.Join(*out, name))
		if err != nil {
			panic(err)
		}
		if err := p.WriteTo(f, debug); err != nil {
			panic(err)
		}
		if err := f.Close(); err != nil {
			panic(err)
		}
	}
	write("goroutine.txt", "goroutine", 2)
	write("goroutine-debug1.txt", "goroutine", 1)
	write("goroutine.pb.gz", "goroutine", 0)
	write("goroutineleak.txt", "goroutineleak", 2)
	write("goroutineleak.pb.gz", "goroutineleak", 0)
	os.Exit(0)
}
