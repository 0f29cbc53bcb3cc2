// Package server holds the server shapes.
package server

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"time"
)

// ---- reported ----

func listen(mux *http.ServeMux) {
	log.Fatal(http.ListenAndServe(":8080", mux)) // want `http.ListenAndServe serves with no ReadHeaderTimeout or ReadTimeout, so a client that never finishes sending its request headers holds a connection and a goroutine forever: use an http.Server with ReadHeaderTimeout`
}

func others(l net.Listener, h http.Handler) {
	http.ListenAndServeTLS(":8443", "c", "k", h) // want `http.ListenAndServeTLS serves with no ReadHeaderTimeout`
	http.Serve(l, h)                             // want `http.Serve serves with no ReadHeaderTimeout`
	http.ServeTLS(l, h, "c", "k")                // want `http.ServeTLS serves with no ReadHeaderTimeout`
}

func serverValue(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h, WriteTimeout: time.Second} // want `http.Server srv has neither ReadHeaderTimeout nor ReadTimeout, so with srv.ListenAndServe a client that never finishes sending its request headers holds a connection and a goroutine forever: set ReadHeaderTimeout`
	return srv.ListenAndServe()
}

// shutdownInGoroutine: a literal that only shuts the server down is
// followed; it sets no timeout.
func shutdownInGoroutine(l net.Listener, stop <-chan struct{}) error {
	srv := &http.Server{} // want `http.Server srv has neither ReadHeaderTimeout nor ReadTimeout, so with srv.Serve`
	go func() {
		<-stop
		srv.Close()
	}()
	srv.Handler = http.NotFoundHandler()
	return srv.Serve(l)
}

func zeroServer(l net.Listener) {
	var srv http.Server // want `http.Server srv has neither`
	srv.ServeTLS(l, "c", "k")
}

func inPlace(h http.Handler) {
	(&http.Server{Addr: ":1", Handler: h}).ListenAndServe() // want `this http.Server has neither ReadHeaderTimeout nor ReadTimeout`
}

// ---- silent ----

func headerTimeout(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h, ReadHeaderTimeout: 5 * time.Second} // ok
	return srv.ListenAndServe()
}

func readTimeout(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h} // ok: ReadTimeout assigned before use
	srv.ReadTimeout = time.Minute
	return srv.ListenAndServe()
}

type app struct{ srv *http.Server }

func stored(a *app, h http.Handler) error {
	srv := &http.Server{Handler: h} // ok: stored in a field, may be configured elsewhere
	a.srv = srv
	return srv.ListenAndServe()
}

func NewServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: time.Second} // ok: a constructor that sets the timeout
}

func useNewServer(h http.Handler) error {
	srv := NewServer(h) // ok: the constructor sets ReadHeaderTimeout
	return srv.ListenAndServe()
}

func notServed() {
	srv := &http.Server{} // ok: never serves
	srv.Close()
}

// pprofLocal serves on the loopback interface only: only local processes
// can connect (regression: grpc-go's benchmark/worker pprof server).
func pprofLocal(port string) {
	go http.ListenAndServe("localhost:"+port, nil)                 // ok: loopback
	go http.ListenAndServe(fmt.Sprintf("127.0.0.1:%s", port), nil) // ok: loopback
	go http.ListenAndServe(net.JoinHostPort("::1", port), nil)     // ok: loopback
	srv := &http.Server{Addr: "localhost:6060"}                    // ok: loopback
	srv.ListenAndServe()
	http.ListenAndServe(net.JoinHostPort("0.0.0.0", port), nil) // want `http.ListenAndServe serves with no ReadHeaderTimeout`
}
