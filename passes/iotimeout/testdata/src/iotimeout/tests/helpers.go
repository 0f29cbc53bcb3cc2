package tests

import (
	"net"
	"testing"
	"time"
)

// WaitForSocket is a test helper outside a _test.go file: the file
// imports testing, so it is test code (regression: nats-server's
// test/test.go checkSocket).
func WaitForSocket(t testing.TB, addr string) {
	for i := 0; i < 10; i++ {
		if c, err := net.Dial("tcp", addr); err == nil { // ok: test code
			c.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no socket")
}
