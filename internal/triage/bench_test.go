package triage

import (
	"bytes"
	"fmt"
	"testing"
)

// syntheticDump writes a debug=2 dump of n goroutines in 100 kinds of
// wait, each with a six-frame stack, the size of a big service's dump.
func syntheticDump(n int) []byte {
	var b bytes.Buffer
	reasons := []string{"chan send", "chan receive", "select", "sync.Mutex.Lock", "IO wait"}
	for i := range n {
		kind := i % 100
		fmt.Fprintf(&b, "goroutine %d [%s, %d minutes]:\n", i+1, reasons[kind%len(reasons)], i%60)
		for depth := range 5 {
			fmt.Fprintf(&b, "example.com/svc/pkg%d.(*Worker).step%d(0xc000%06x, {0x1, 0x2})\n\t/src/svc/pkg%d/worker.go:%d +0x%x\n",
				kind, depth, i, kind, 10*depth+kind, depth)
		}
		fmt.Fprintf(&b, "created by example.com/svc/server.Start in goroutine 1\n\t/src/svc/server/server.go:%d +0x3c\n\n", 40+kind)
	}
	return b.Bytes()
}

// BenchmarkParse100k parses and groups a 100,000-goroutine dump (about
// 75 MB of text).
//
//	go test -run='^$' -bench=Parse100k -benchmem ./internal/triage
func BenchmarkParse100k(b *testing.B) {
	data := syntheticDump(100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := Parse(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		groups := GroupGoroutines(d, Options{})
		if d.Total() != 100_000 || len(groups) != 100 {
			b.Fatalf("%d goroutines in %d groups, want 100,000 in 100", d.Total(), len(groups))
		}
	}
}
