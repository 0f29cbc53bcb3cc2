// Package dial holds the dialing shapes.
package dial

import (
	"context"
	"net"
	"time"
)

// ---- reported ----

func dial(addr string) (net.Conn, error) {
	return net.Dial("tcp", addr) // want `net.Dial has no timeout, so it waits for as long as the operating system keeps trying to connect \(minutes\): use net.DialTimeout or a net.Dialer with Timeout`
}

func dialNetwork(network, addr string) (net.Conn, error) {
	return net.Dial(network, addr) // want `net.Dial has no timeout`
}

func dialer(addr string) (net.Conn, error) {
	d := &net.Dialer{KeepAlive: time.Minute} // want `net.Dialer d has neither Timeout nor Deadline, so d.Dial waits for as long as the operating system keeps trying to connect \(minutes\): set Timeout, or call DialContext with a context that has a deadline`
	return d.Dial("tcp", addr)
}

func zeroDialer(addr string) (net.Conn, error) {
	var d net.Dialer // want `net.Dialer d has neither Timeout nor Deadline`
	return d.Dial("tcp4", addr)
}

func inPlace(addr string) {
	(&net.Dialer{}).Dial("tcp", addr) // want `this net.Dialer has neither Timeout nor Deadline`
}

// ---- silent ----

func dialTimeout(addr string) (net.Conn, error) {
	return net.DialTimeout("tcp", addr, time.Second) // ok
}

func udp(addr string) (net.Conn, error) {
	return net.Dial("udp", addr) // ok: nothing waits for a peer
}

func unix(path string) (net.Conn, error) {
	return net.Dial("unix", path) // ok: a local socket
}

func dialerTimeout(addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: 5 * time.Second} // ok
	return d.Dial("tcp", addr)
}

func dialerDeadline(addr string) (net.Conn, error) {
	d := net.Dialer{} // ok: Deadline assigned before use
	d.Deadline = time.Now().Add(time.Second)
	return d.Dial("tcp", addr)
}

func dialContext(ctx context.Context, addr string) (net.Conn, error) {
	var d net.Dialer // ok: DialContext takes its deadline from ctx
	return d.DialContext(ctx, "tcp", addr)
}

func dialContextValue() func(context.Context, string, string) (net.Conn, error) {
	return (&net.Dialer{}).DialContext // ok: a method value of DialContext
}

// syslogLocal is log/syslog's unixSyslog: the network ranges over a
// local slice of unix networks only (regression: std's log/syslog).
func syslogLocal() (net.Conn, error) {
	logTypes := []string{"unixgram", "unix"}
	for _, network := range logTypes {
		if conn, err := net.Dial(network, "/dev/log"); err == nil { // ok: unix sockets only
			return conn, nil
		}
	}
	return nil, nil
}

func rangeMixed(addr string) {
	for _, network := range []string{"unix", "tcp"} {
		net.Dial(network, addr) // want `net.Dial has no timeout`
	}
}

func reassignedNetwork(addr string, tcp bool) {
	network := "unix"
	if tcp {
		network = "tcp"
	}
	net.Dial(network, addr) // want `net.Dial has no timeout`
}
