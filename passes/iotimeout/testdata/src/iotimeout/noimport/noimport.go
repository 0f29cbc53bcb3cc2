// Package noimport imports none of net/http, net and database/sql, but
// uses a constructor of package ctor: the package fact hasUntimedCtors
// keeps the pass from exiting early.
package noimport

import "iotimeout/ctor"

func fetch(u string) {
	ctor.NewClient().Get(u) // want `the http.Client from NewClient has no Timeout`
}
