package tests

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHTTP(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	http.Get(ts.URL)        // ok: httptest server, and a test file
	ts.Client().Get(ts.URL) // ok: httptest client
	c := &http.Client{}     // ok: a test file
	c.Get(ts.URL)
	srv := &http.Server{Handler: http.NotFoundHandler()} // ok: a test file
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	go srv.Serve(l)
	net.Dial("tcp", l.Addr().String()) // ok: a test file
	http.Get("http://example.com")     // ok: a test file, under go test's own deadline
}

func TestSQL(t *testing.T) {
	ctx := context.Background()
	var db *sql.DB
	_ = ctx
	db.Exec("q") // ok: a test file
}
