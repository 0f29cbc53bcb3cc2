// Package http2 is a stub of golang.org/x/net/http2 for the tests.
package http2

import "net/http"

type Server struct{ MaxConcurrentStreams uint32 }

func ConfigureServer(s *http.Server, conf *Server) error { return nil }
