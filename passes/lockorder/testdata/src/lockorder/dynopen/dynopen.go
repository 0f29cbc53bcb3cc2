// want package:"orderEdges"

// Package dynopen: an exported interface of a package others import is
// open: code the package does not see may implement it, so a call of its
// method runs unknown code and makes no edge.
package dynopen

import "sync"

type Handler interface{ Handle() }

type local struct{ mu sync.Mutex }

func (l *local) Handle() { // want Handle:`acquires`
	l.mu.Lock()
	l.mu.Unlock()
}

type Server struct {
	mu sync.Mutex
	h  Handler
}

func (s *Server) Serve() { // want Serve:`^acquires\(\(\*lockorder/dynopen.Server\).mu\)$`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.h.Handle() // ok: another package's Handler may take nothing
}

func (l *local) Attach(s *Server) { // want Attach:`acquires`
	l.mu.Lock()
	defer l.mu.Unlock()
	s.mu.Lock()
	s.mu.Unlock()
}

// An exported function field is open too.
type Hooks struct {
	mu     sync.Mutex
	OnStop func()
}

func NewHooks(l *local) *Hooks {
	return &Hooks{OnStop: func() { l.Handle() }}
}

func (h *Hooks) Stop() { // want Stop:`^acquires\(\(\*lockorder/dynopen.Hooks\).mu\)$`
	h.mu.Lock()
	defer h.mu.Unlock()
	h.OnStop() // ok: other packages may set OnStop
}

func (l *local) Detach(h *Hooks) { // want Detach:`acquires`
	l.mu.Lock()
	defer l.mu.Unlock()
	h.mu.Lock()
	h.mu.Unlock()
}
