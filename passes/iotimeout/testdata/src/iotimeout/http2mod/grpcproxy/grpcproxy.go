// want package:"hasUntimedCtors"

// Package grpcproxy: handing a server to http2.ConfigureServer, which
// sets no timeout, is not an escape (regression: etcd's
// etcdmain/grpc_proxy.go mustHTTPListener, which gosec's G112 reports).
package grpcproxy

import (
	"net"
	"net/http"

	"golang.org/x/net/http2"
)

func newServer(h http.Handler) *http.Server { // want newServer:"untimed http.Server"
	srv := &http.Server{Handler: h}
	if err := http2.ConfigureServer(srv, &http2.Server{MaxConcurrentStreams: 10}); err != nil {
		panic(err)
	}
	return srv
}

func serve(l net.Listener, h http.Handler) error {
	srv := newServer(h) // want `http.Server srv, from newServer, has neither ReadHeaderTimeout nor ReadTimeout`
	return srv.Serve(l)
}

func inPlace(l net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h} // want `http.Server srv has neither ReadHeaderTimeout nor ReadTimeout`
	http2.ConfigureServer(srv, nil)
	return srv.Serve(l)
}
