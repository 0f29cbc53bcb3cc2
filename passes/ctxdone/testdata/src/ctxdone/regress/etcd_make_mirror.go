// Package regress holds regression cases from the evaluation on real
// code, named after the project and the file.
package regress

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// etcd's etcdctl make_mirror_command.go: makeMirror is unexported and
// its only caller passes context.TODO(); the process exits when it
// returns. The progress printer has nothing to consult.
func makeMirrorCommand() {
	_ = makeMirror(context.TODO())
}

func makeMirror(ctx context.Context) error {
	total := int64(0)
	go func() {
		for { // ok: ctx is context.TODO() at every call
			time.Sleep(30 * time.Second)
			fmt.Println(atomic.LoadInt64(&total))
		}
	}()
	return sync(ctx)
}

func sync(context.Context) error { return nil }

// The same helper with one caller that passes a cancellable context is
// reported.
func mirrorAll(ctx context.Context) error {
	return mirror(context.Background()) // ctx here could be passed instead
}

func mirrorWith(ctx context.Context) error {
	return mirror(ctx)
}

func mirror(ctx context.Context) error {
	total := int64(0)
	go func() {
		for { // want `goroutine loops on time.Sleep\(30 \* time.Second\) forever; ctx is never consulted`
			time.Sleep(30 * time.Second)
			fmt.Println(atomic.LoadInt64(&total))
		}
	}()
	return sync(ctx)
}

// A function used as a value: its callers are unknown.
var hook = mirrorValue

func mirrorValue(ctx context.Context) error {
	go func() {
		for { // want `goroutine loops on time.Sleep\(time.Second\) forever; ctx is never consulted`
			time.Sleep(time.Second)
		}
	}()
	return sync(ctx)
}

func callValue() { _ = mirrorValue(context.TODO()) }
