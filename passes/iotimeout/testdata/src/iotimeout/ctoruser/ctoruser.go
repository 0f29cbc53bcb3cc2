// Package ctoruser uses package ctor's constructors: the facts cross the
// package boundary.
package ctoruser

import (
	"net/http"
	"time"

	"iotimeout/ctor"
)

func use(u string, h http.Handler) {
	c := ctor.NewClient() // want `http.Client c, from NewClient, has no Timeout, so c.Get can wait`
	c.Get(u)

	c2, err := ctor.NewClientErr(false) // want `http.Client c2, from NewClientErr, has no Timeout, so c2.Head can wait`
	if err != nil {
		return
	}
	c2.Head(u)

	ctor.Wrapped().Get(u) // want `the http.Client from Wrapped has no Timeout, so ctor.Wrapped\(\).Get can wait`

	srv := ctor.NewServer(h) // want `http.Server srv, from NewServer, has neither ReadHeaderTimeout nor ReadTimeout`
	srv.ListenAndServe()

	d := ctor.NewDialer() // want `net.Dialer d, from NewDialer, has neither Timeout nor Deadline`
	d.Dial("tcp", u)
}

func configured(u string) {
	c := ctor.NewClient() // ok: the caller sets Timeout
	c.Timeout = time.Second
	c.Get(u)

	ctor.Timed().Get(u) // ok: no fact

	ctor.TimedVar(0).Get(u) // ok: no fact (the setting is conditional, but visible)

	var s ctor.Service
	s.Client().Get(u) // ok: a field, not a fresh value
}
