package driver

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The runner keeps the types and facts of every package it has seen, and
// one package's syntax and SSA per worker; the rest is garbage the
// collector may let grow to twice the live heap (GOGC=100). On a build
// with about 1 GB live (traefik) that doubling is what pushes the peak
// past 2 GB. So, unless GOMEMLIMIT says otherwise, leaklint sets a soft
// memory limit: the collector works harder only once the heap nears it.
//
// A soft limit below the live heap would make the collector run
// without end, so a watcher raises the limit while the live heap
// approaches it, keeping a quarter of the live heap as headroom: a build
// that needs more memory gets it, at GOGC=25's cost rather than
// GOGC=100's size.
const (
	defaultMemoryLimit = 1536 << 20
	memoryWatch        = 200 * time.Millisecond
)

// limitMemory sets the default soft memory limit and starts its watcher,
// unless the user set GOMEMLIMIT. The returned function stops the
// watcher.
func limitMemory() (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := int64(defaultMemoryLimit)
	debug.SetMemoryLimit(limit)
	done := make(chan struct{})
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(memoryWatch)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			if next := raisedLimit(int64(sample[0].Value.Uint64()), limit); next != limit {
				limit = next
				debug.SetMemoryLimit(limit)
			}
		}
	}()
	return func() { close(done) }
}

// raisedLimit returns the soft limit to use when the live heap is live
// and the limit is limit: limit itself while the live heap stays below
// four fifths of it, else the live heap and a quarter of it again.
func raisedLimit(live, limit int64) int64 {
	if live <= limit/5*4 {
		return limit
	}
	return live + live/4
}
