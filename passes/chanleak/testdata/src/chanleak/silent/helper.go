package silent

import (
	"testing"
	"time"
)

// WaitReady is a test helper outside a _test.go file (nomad's
// client/testing.go): its file imports testing, so it is test code,
// exempt by default like _test.go files.
func WaitReady(t *testing.T, start func() error) {
	errc := make(chan error)
	go func() { errc <- start() }() // ok: test code
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Second):
		t.Error("not ready")
	}
}
