package regress

import (
	"context"
	"sync/atomic"
)

// go-ethereum's eth/filters/api.go (and node/api.go,
// eth/downloader/api.go): a subscription goroutine ends when the
// subscription's error channel fires (unsubscribe, connection closed).
// ctx is the subscribe call's context, which the RPC server cancels as
// soon as the call returns: a ctx.Done case would end every
// subscription at once. A loop with a way out has a lifetime of its own.
type Subscription struct{ err chan error }

func (s *Subscription) Err() <-chan error { return s.err }

func notify(int) {}

func NewPendingTransactions(ctx context.Context, txs <-chan int) *Subscription {
	rpcSub := &Subscription{err: make(chan error)}
	go func() {
		for { // ok: ends on rpcSub.Err()
			select {
			case tx := <-txs:
				notify(tx)
			case <-rpcSub.Err():
				return
			}
		}
	}()
	return rpcSub
}

// go-ethereum's eth/gasprice/feehistory.go: fetchers share a counter
// and return when it passes the last block; the sends go to a channel
// buffered for every block.
func FeeHistory(ctx context.Context, blocks uint64) {
	var next atomic.Uint64
	results := make(chan uint64, blocks)
	for i := 0; i < 4; i++ {
		go func() {
			for { // ok: returns when the counter passes the last block
				n := next.Add(1) - 1
				if n >= blocks {
					return
				}
				results <- n
			}
		}()
	}
	_ = ctx
}
