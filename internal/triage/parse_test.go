package triage

import (
	"bytes"
	"compress/gzip"
	"net"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"
)

// markers returns the line of each "// block: REASON" comment in this
// file: where the goroutines of leakAll wait.
func markers(t *testing.T) map[string]int {
	t.Helper()
	src, err := os.ReadFile("parse_test.go")
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]int)
	for i, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue // a comment, not a marked line
		}
		if _, reason, ok := strings.Cut(line, "// block: "); ok && !strings.Contains(line, "Cut") {
			out[reason] = i + 1
		}
	}
	return out
}

// leakAll starts goroutines that wait, one kind of wait each (two for a
// channel send), and returns a function that releases them.
func leakAll(t *testing.T) (release func()) {
	t.Helper()
	send, recv := make(chan int), make(chan int)
	var mu sync.Mutex
	var rw sync.RWMutex
	var wg sync.WaitGroup
	cond := sync.NewCond(&sync.Mutex{})
	condDone := false
	stop := make(chan struct{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}

	for range 2 {
		go func() {
			send <- 1 // block: chan send
		}()
	}
	go func() {
		<-recv // block: chan receive
	}()
	go func() {
		select { // block: select
		case <-stop:
		case <-recv:
		}
	}()
	mu.Lock()
	go func() {
		mu.Lock() // block: sync.Mutex.Lock
		mu.Unlock()
	}()
	rw.Lock()
	go func() {
		rw.RLock() // block: sync.RWMutex.RLock
		rw.RUnlock()
	}()
	wg.Add(1)
	go func() {
		wg.Wait() // block: sync.WaitGroup.Wait
	}()
	go func() {
		cond.L.Lock()
		for !condDone {
			cond.Wait() // block: sync.Cond.Wait
		}
		cond.L.Unlock()
	}()
	go func() {
		buf := make([]byte, 1)
		client.Read(buf) // block: IO wait
	}()
	go func() {
		time.Sleep(time.Hour) // block: sleep
	}()
	time.Sleep(200 * time.Millisecond) // let every goroutine reach its wait
	return func() {
		<-send
		<-send
		close(recv)
		close(stop)
		mu.Unlock()
		rw.Unlock()
		wg.Done()
		cond.L.Lock()
		condDone = true
		cond.Broadcast()
		cond.L.Unlock()
		client.Close()
		server.Close()
		ln.Close()
	}
}

// capture writes the goroutine profile in one format.
func capture(t *testing.T, debug int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, debug); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRealDumps parses real dumps of this test process, in every format
// runtime/pprof writes, and checks that each kind of wait is one group
// at its line with the right count.
func TestRealDumps(t *testing.T) {
	lines := markers(t)
	if len(lines) != 9 {
		t.Fatalf("found %d marked waits in parse_test.go, want 9: %v", len(lines), lines)
	}
	release := leakAll(t)
	dumps := map[string][]byte{
		"debug=2": capture(t, 2),
		"debug=1": capture(t, 1),
		"proto":   capture(t, 0),
	}
	release()

	for format, data := range dumps {
		d, err := Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if d.Format != format || d.Profile != "goroutine" {
			t.Errorf("%s: read as %s %s", format, d.Format, d.Profile)
		}
		groups := GroupGoroutines(d, Options{})
		for reason, line := range lines {
			want := reason
			if format == "debug=1" && strings.HasPrefix(reason, "chan ") || format == "debug=1" && reason == "select" {
				want = "" // debug=1 hides the runtime's frames
			}
			var found *Group
			for _, g := range groups {
				if g.Blocking.Line == line && strings.HasSuffix(g.Blocking.File, "parse_test.go") {
					found = g
				}
			}
			if found == nil {
				t.Errorf("%s: no group blocked at parse_test.go:%d (%s)", format, line, reason)
				continue
			}
			if found.Reason != want {
				t.Errorf("%s: the group at line %d has reason %q, want %q", format, line, found.Reason, want)
			}
			count := 1
			if reason == "chan send" {
				count = 2
			}
			if found.Count != count {
				t.Errorf("%s: %d goroutines at line %d, want %d", format, found.Count, line, count)
			}
			if format == "debug=2" {
				if found.CreatedBy == nil || !strings.HasSuffix(found.CreatedBy.File, "parse_test.go") || len(found.IDs) != count {
					t.Errorf("debug=2: the group at line %d: created by %+v, IDs %v", line, found.CreatedBy, found.IDs)
				}
			}
			if !slicesContains(found.Passes, map[string]string{
				"chan send": "chanleak", "chan receive": "chanleak", "select": "ctxdone",
				"sync.Mutex.Lock": "unlock", "sync.RWMutex.RLock": "lockorder", "sync.WaitGroup.Wait": "waitgroup",
				"sync.Cond.Wait": "lockblock", "IO wait": "iotimeout", "sleep": "ctxdone",
			}[reason]) {
				t.Errorf("%s: the group at line %d (%s) names passes %v", format, line, reason, found.Passes)
			}
		}
	}
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestTraceback reads the parts of a debug=2 dump and of tracebacks that
// a test process does not produce by itself: wait minutes, locked to
// thread, the leak marker, gp= fields, elided frames, ancestors, and the
// text before the first goroutine of a panic.
func TestTraceback(t *testing.T) {
	const dump = `panic: boom

goroutine 1 gp=0xc000002380 m=0 mp=0x6f7a40 [running]:
main.main()
	/src/app/main.go:10 +0x25

goroutine 7 [chan send, 42 minutes, locked to thread]:
example.com/app/worker.(*Pool).run(0xc0000a0000, {0x5, 0x6})
	/src/app/worker/pool.go:88 +0x25
...additional frames elided...
created by example.com/app/server.Start in goroutine 1
	/src/app/server/server.go:40 +0x3c
[originating from goroutine 1]:
main.main()
	/src/app/main.go:9 +0x1

goroutine 8 [chan send, 3 minutes]:
example.com/app/worker.(*Pool).run(0xc0000a0000, {0x5, 0x6})
	/src/app/worker/pool.go:88 +0x25
created by example.com/app/server.Start in goroutine 1
	/src/app/server/server.go:40 +0x3c

goroutine 9 [select (no cases) (leaked)]:
example.com/app/worker.idle()
	C:/src/app/worker/idle.go:5
created by example.com/app/worker.Start
	C:/src/app/worker/idle.go:3 +0x1
`
	d, err := Parse(strings.NewReader(dump))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Goroutines) != 4 {
		t.Fatalf("%d goroutines, want 4", len(d.Goroutines))
	}
	g := d.Goroutines[1]
	if g.ID != 7 || g.Reason != "chan send" || g.Minutes != 42 || !g.Locked || g.Leaked ||
		len(g.Stack) != 1 || g.Stack[0] != (Frame{"example.com/app/worker.(*Pool).run", "/src/app/worker/pool.go", 88}) ||
		g.CreatedBy == nil || *g.CreatedBy != (Frame{"example.com/app/server.Start", "/src/app/server/server.go", 40}) ||
		len(g.Ancestors) != 1 || len(g.Ancestors[0]) != 1 || g.Ancestors[0][0].Line != 9 {
		t.Errorf("goroutine 7: %+v", g)
	}
	if g := d.Goroutines[3]; g.Reason != "select (no cases)" || !g.Leaked || g.Stack[0].File != "C:/src/app/worker/idle.go" || g.Stack[0].Line != 5 {
		t.Errorf("goroutine 9: %+v", g)
	}
	groups := GroupGoroutines(d, Options{})
	if len(groups) != 3 || groups[0].Count != 2 || groups[0].OldestMinutes != 42 || groups[0].Blocking.Line != 88 || len(groups[0].IDs) != 2 {
		t.Errorf("groups: %+v", groups[0])
	}
	if groups[1].Reason != "running" || Blocked(groups[1].Reason) {
		t.Errorf("the running goroutine: %+v", groups[1])
	}
}

// TestNotADump: anything but a goroutine dump or profile is an error
// that says what the input is.
func TestNotADump(t *testing.T) {
	var heapText, heapProto bytes.Buffer
	pprof.Lookup("heap").WriteTo(&heapText, 1)
	pprof.Lookup("heap").WriteTo(&heapProto, 0)
	dump2 := capture(t, 2)
	cut := bytes.Index(dump2, []byte("\n\t")) // after the first function line
	proto := capture(t, 0)
	var truncatedGzip bytes.Buffer
	zw := gzip.NewWriter(&truncatedGzip)
	zw.Write(proto)
	zw.Close()
	for _, tc := range []struct {
		name  string
		input []byte
		want  string
	}{
		{"empty", nil, "empty"},
		{"an HTML page", []byte("<!DOCTYPE html>\n<html><body>/debug/pprof/</body></html>"), "HTML page"},
		{"a heap profile (text)", heapText.Bytes(), "heap profile"},
		{"a heap profile (proto)", heapProto.Bytes(), "not a goroutine profile"},
		{"a truncated dump", dump2[:cut], "truncated"},
		{"a truncated profile", proto[:len(proto)/2], "not a readable profile"},
		{"text", []byte("hello\nworld\n"), `no goroutine found: the input is not a goroutine dump or profile (it starts with "hello")`},
	} {
		_, err := Parse(bytes.NewReader(tc.input))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestEnclosingOwn(t *testing.T) {
	for _, tc := range []struct {
		f   Frame
		own bool
	}{
		{Frame{Func: "main.main.func1"}, true},
		{Frame{Func: "example.com/a/b.(*T).M"}, true},
		{Frame{Func: "net/http.(*persistConn).readLoop"}, false},
		{Frame{Func: "sync.(*Mutex).Lock"}, false},
		{Frame{Func: "internal/poll.runtime_pollWait"}, false},
	} {
		if got := DefaultOwn(tc.f); got != tc.own {
			t.Errorf("DefaultOwn(%s) = %v", tc.f.Func, got)
		}
	}
	if p := (Frame{Func: "example.com/a/b.(*T).M"}).Package(); p != "example.com/a/b" {
		t.Errorf("Package = %q", p)
	}
}
