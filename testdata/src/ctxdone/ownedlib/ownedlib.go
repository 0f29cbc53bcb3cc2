// want package:"hasDiscardLeaks"

// Package ownedlib returns objects whose goroutine only their Close ends.
package ownedlib

import "context"

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
