// want package:"hasDiscardLeaks"

// Package ownedlib returns objects whose goroutine only their Close ends.
package ownedlib

import (
	"context"
	"time"
)

type Conn struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// Dial starts a goroutine that waits until Close.
func Dial() *Conn { // want Dial:"discardLeaks\\(monitor\\)"
	ctx, cancel := context.WithCancel(context.Background())
	c := &Conn{ctx: ctx, cancel: cancel}
	go c.monitor()
	return c
}

func (c *Conn) monitor() {
	<-c.ctx.Done()
}

// Close ends the goroutine.
func (c *Conn) Close() { c.cancel() }

var conns []*Conn

// DialKept keeps every connection it makes: discarding its result leaks
// nothing new.
func DialKept() *Conn {
	ctx, cancel := context.WithCancel(context.Background())
	c := &Conn{ctx: ctx, cancel: cancel}
	conns = append(conns, c)
	go c.monitor()
	return c
}

// DialWith derives from the caller's context.
func DialWith(ctx context.Context) *Conn { // want DialWith:"discardLeaks\\(monitor\\)"
	ctx, cancel := context.WithCancel(ctx)
	c := &Conn{ctx: ctx, cancel: cancel}
	go c.monitor()
	return c
}

// DialTimed cancels by itself after a while: discarding it leaks nothing
// for long.
func DialTimed() *Conn {
	ctx, cancel := context.WithCancel(context.Background())
	c := &Conn{ctx: ctx, cancel: cancel}
	go c.monitor()
	time.AfterFunc(time.Second, func() { c.cancel() })
	return c
}

// DialWatched starts a second goroutine that may close it.
func DialWatched() *Conn {
	ctx, cancel := context.WithCancel(context.Background())
	c := &Conn{ctx: ctx, cancel: cancel}
	go c.monitor()
	go c.closeLater()
	return c
}

func (c *Conn) closeLater() { c.Close() }
