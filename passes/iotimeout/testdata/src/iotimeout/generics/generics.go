// want package:"hasUntimedCtors"

// Package generics checks the shapes inside generic code.
package generics

import (
	"context"
	"database/sql"
	"net/http"
	"time"
)

func Fetch[T any](u string, decode func(*http.Response) T) T {
	c := &http.Client{} // want `http.Client c has no Timeout, so c.Get can wait`
	resp, _ := c.Get(u)
	return decode(resp)
}

func FetchTimed[T any](u string, decode func(*http.Response) T) T {
	c := &http.Client{Timeout: time.Second} // ok
	resp, _ := c.Get(u)
	return decode(resp)
}

type Repo[T any] struct{ db *sql.DB }

func (r *Repo[T]) Load(ctx context.Context, id int) {
	r.db.QueryRow("SELECT ...", id) // want `r.db.QueryRow cannot be cancelled and has no deadline, though the context ctx is in scope`
}

// NewClient is a generic constructor: its instantiations carry the fact
// of its origin.
func NewClient[T any]() *http.Client { // want NewClient:"untimed http.Client"
	return &http.Client{}
}

func useGeneric(u string) {
	c := NewClient[int]() // want `http.Client c, from NewClient, has no Timeout`
	c.Get(u)
}

// Getter is satisfied by *http.Client; calls through the type parameter
// are not followed.
type Getter interface {
	Get(string) (*http.Response, error)
}

func Through[G Getter](g G, u string) {
	g.Get(u) // ok: a type parameter, not a known client
}

func GetAll[C *http.Client](u string) {
	var c http.Client // want `http.Client c has no Timeout, so c.Get can wait`
	c.Get(u)
}
