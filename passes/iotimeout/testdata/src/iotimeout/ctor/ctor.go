// want package:"hasUntimedCtors"

// Package ctor declares constructors of clients, servers and dialers.
// Those that set no timeout get an untimedCtor fact; their callers, here
// and in package ctoruser, are checked as if they had written the
// literal.
package ctor

import (
	"errors"
	"net"
	"net/http"
	"time"
)

func NewClient() *http.Client { // want NewClient:"untimed http.Client"
	return &http.Client{}
}

func NewClientVar(jar http.CookieJar) *http.Client { // want NewClientVar:"untimed http.Client"
	c := &http.Client{} // ok: returned
	c.Jar = jar
	return c
}

func NewClientErr(fail bool) (*http.Client, error) { // want NewClientErr:"untimed http.Client"
	if fail {
		return nil, errors.New("no")
	}
	return new(http.Client), nil
}

// Wrapped returns another constructor's client: the fact travels.
func Wrapped() *http.Client { // want Wrapped:"untimed http.Client"
	return NewClient()
}

func NewServer(h http.Handler) *http.Server { // want NewServer:"untimed http.Server"
	return &http.Server{Handler: h}
}

func NewDialer() *net.Dialer { // want NewDialer:"untimed net.Dialer"
	return &net.Dialer{}
}

type Service struct{ c *http.Client }

func (s *Service) Client() *http.Client { // ok: returns a field, not a fresh value
	return s.c
}

func Timed() *http.Client { // ok: sets Timeout, no fact
	return &http.Client{Timeout: time.Second}
}

func TimedVar(d time.Duration) *http.Client { // ok: sets Timeout, no fact
	c := &http.Client{}
	if d > 0 {
		c.Timeout = d
	}
	return c
}

func Mixed(fast bool) *http.Client { // ok: one path returns a timed client
	if fast {
		return &http.Client{Timeout: time.Second}
	}
	return &http.Client{}
}

func localUse(u string) {
	c := NewClient() // want `http.Client c, from NewClient, has no Timeout, so c.Get can wait`
	c.Get(u)
}
