package regress

import (
	"context"
	"time"
)

func cleanup() {}

// DataDog/datadog-agent#47044 (startCleanupInBackground in the
// cluster-agent's language detection handler; mihomo#2964 had the same
// bug): break in the ctx.Done() case leaves the select, not the loop,
// so after cancellation the goroutine spins on the closed Done channel
// forever. No fix: the case is there, it needs a return.
func startCleanupInBackground(ctx context.Context, cleanupTicker *time.Ticker) {
	go func() {
		for { // want `goroutine loops on select \(<-cleanupTicker.C, <-ctx.Done\(\)\) forever: the case <-ctx.Done\(\) does not leave the loop \(a break there leaves only the select\): return there instead`
			select {
			case <-cleanupTicker.C:
				cleanup()
			case <-ctx.Done():
				break
			}
		}
	}()
}

// The fixed version.
func startCleanupInBackgroundFixed(ctx context.Context, cleanupTicker *time.Ticker) {
	go func() {
		for { // ok: returns on ctx.Done()
			select {
			case <-cleanupTicker.C:
				cleanup()
			case <-ctx.Done():
				return
			}
		}
	}()
}
