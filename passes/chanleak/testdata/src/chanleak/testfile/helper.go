package testfile

import (
	"testing"
	"time"
)

// WaitReady is a test helper outside a _test.go file: reported with
// -chanleak.tests.
func WaitReady(t *testing.T, start func() error) {
	errc := make(chan error)
	go func() { errc <- start() }() // want `sending on errc: WaitReady can return without receiving from it`
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Second):
		t.Error("not ready")
	}
}
