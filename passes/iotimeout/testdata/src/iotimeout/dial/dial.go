// Package dial holds the dialing shapes.
package dial

import (
	"context"
	"fmt"
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

// pprofDialer is containerd's ctr pprof dialer: the network is a private
// field that the package only ever sets to "unix".
type pprofDialer struct {
	proto, addr string
}

func (d *pprofDialer) dial() (net.Conn, error) {
	return net.Dial(d.proto, d.addr) // ok: always a unix socket
}

func newPprofDialer(addr string) *pprofDialer { return &pprofDialer{"unix", addr} }

// peerDialer's network is set to tcp somewhere: it waits for a peer.
type peerDialer struct{ network string }

func (d *peerDialer) dial(addr string) (net.Conn, error) {
	return net.Dial(d.network, addr) // want `net.Dial has no timeout`
}

func newPeerDialer(local bool) *peerDialer {
	d := &peerDialer{network: "unix"}
	if !local {
		d.network = "tcp"
	}
	return d
}

// settableDialer's network is written through a pointer: unknown.
type settableDialer struct{ network string }

func (d *settableDialer) dial(addr string) (net.Conn, error) {
	return net.Dial(d.network, addr) // want `net.Dial has no timeout`
}

func networkField(d *settableDialer) *string {
	d.network = "unix"
	return &d.network
}

// Loopback: only a stuck local listener could keep the dial waiting.
func dialLocal(port int) (net.Conn, error) {
	return net.Dial("tcp4", fmt.Sprintf("localhost:%d", port)) // ok: loopback
}

func dialLoopbackConst() (net.Conn, error) {
	return net.Dial("tcp", "127.0.0.1:8080") // ok: loopback
}

func dialRemoteFormat(host string, port int) (net.Conn, error) {
	return net.Dial("tcp", fmt.Sprintf("%s:%d", host, port)) // want `net.Dial has no timeout`
}

// go-ethereum's p2p/pipes: the program dials its own listener.
func selfPipe() (net.Conn, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer l.Close()
	return net.Dial("tcp", l.Addr().String()) // ok: our own listener
}

// telegraf's phpfpm client: a configured timeout of zero means none.
func dialConfigured(addr string, timeout time.Duration) (net.Conn, error) {
	if timeout == 0 {
		return net.Dial("tcp", addr) // ok: the caller chose no timeout
	}
	return net.DialTimeout("tcp", addr, timeout)
}

func dialConfiguredElse(addr string, timeout time.Duration) (conn net.Conn, err error) {
	if timeout <= 0 {
		conn, err = net.Dial("tcp", addr) // ok: the caller chose no timeout
	} else {
		conn, err = net.DialTimeout("tcp", addr, timeout)
	}
	return
}

func dialZeroUnrelated(addr string, timeout, retry time.Duration) (net.Conn, error) {
	if retry == 0 {
		return net.Dial("tcp", addr) // want `net.Dial has no timeout`
	} else {
		return net.DialTimeout("tcp", addr, timeout)
	}
}
