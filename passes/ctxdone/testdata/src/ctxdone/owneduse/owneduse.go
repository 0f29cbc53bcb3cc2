// Package owneduse calls ownedlib from another package.
package owneduse

import (
	"context"

	"example.com/ctxdone/ownedlib"
)

func ping() {
	ownedlib.Dial() // want `Dial starts a goroutine \(monitor, ownedlib.go:\d+\) .* call its Close when done`
}

func pingWith(ctx context.Context) {
	ownedlib.DialWith(context.Background()) // want `DialWith starts a goroutine`
	ownedlib.DialWith(ctx)                   // ok: ctx may end
}

// ok: kept, or kept by the library.
func use() {
	c := ownedlib.Dial()
	defer c.Close()
	ownedlib.DialKept()
}

// ok: these end by themselves.
func timed() {
	ownedlib.DialTimed()
	ownedlib.DialWatched()
}
