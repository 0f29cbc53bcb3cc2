// Package extra is checked with -iotimeout.extra entries that add
// crypto/tls.Dial (no timeout) and a context variant to the table.
package extra

import (
	"context"
	"crypto/tls"
	"net"
)

type DB struct{}

func (*DB) Select(dest any, q string, args ...any) error                             { return nil }
func (*DB) SelectContext(ctx context.Context, dest any, q string, args ...any) error { return nil }

func dial(addr string) {
	tls.Dial("tcp", addr, nil) // want `tls.Dial has no timeout, so it can block the goroutine for as long as the peer does not answer: use tls.DialWithDialer`
}

func sel(ctx context.Context, db *DB, dest *[]string) {
	db.Select(dest, "q") // want `db.Select cannot be cancelled and has no deadline, though the context ctx is in scope: use db.SelectContext\(ctx, ...\)`
}

func selNoCtx(db *DB, dest *[]string) {
	db.Select(dest, "q") // ok: no context
}

// Dial is itself a listed API (-extra=iotimeout/extra.Dial): its body is
// not reported, its callers are (regression: the bodies of http.Get and
// net.Dial in std).
func Dial(addr string) (net.Conn, error) {
	return net.Dial("tcp", addr) // ok: the definition of a listed API
}

func callsDial() {
	Dial("host:1") // want `Dial has no timeout, so it can block the goroutine for as long as the peer does not answer: use a variant that takes a timeout or a context`
}
