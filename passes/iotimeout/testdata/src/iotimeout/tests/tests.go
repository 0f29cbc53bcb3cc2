// Package tests holds test code: nothing is reported in _test.go files
// and in files that import testing.
package tests

import "net"

// Dial is not test code: this file does not import testing.
func Dial(addr string) (net.Conn, error) {
	return net.Dial("tcp", addr) // want `net.Dial has no timeout`
}
