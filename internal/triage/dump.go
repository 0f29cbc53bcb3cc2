// Package triage reads goroutine dumps and goroutine profiles, groups the
// goroutines the way a person reading them would (wait reason, the line
// they are blocked on, the go statement that created them), and names
// the leaklint passes that look for the causes of each kind of wait.
//
// It reads every format the Go runtime writes:
//
//   - debug=2 text (/debug/pprof/goroutine?debug=2, runtime.Stack with
//     all=true, a panic's or a fatal error's traceback, SIGQUIT): one
//     stack per goroutine with its wait reason, wait minutes, "locked to
//     thread", "created by" and, with GODEBUG=tracebackancestors, the
//     ancestors;
//   - debug=1 text (?debug=1): stacks aggregated with a count, without
//     wait reasons, which are then read off the stack's frames;
//   - protobuf profiles (?debug=0, the default, and the goroutine leak
//     profile of Go 1.26's GOEXPERIMENT=goroutineleakprofile), through
//     github.com/google/pprof/profile, the package go tool pprof uses.
//
// The goroutine leak profile marks the goroutines the garbage collector
// proved can never run again: "(leaked)" after the wait reason in text,
// and every sample of the goroutineleak profile.
package triage

import (
	"fmt"
	"strings"
)

// A Frame is one function call on a stack.
type Frame struct {
	Func string `json:"func"`
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// Pos returns "file:line", or "" when the file is not known.
func (f Frame) Pos() string {
	if f.File == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}

// Package returns the import path of the frame's function: the part of
// "example.com/a/b.(*T).M" before the first dot after the last slash.
func (f Frame) Package() string {
	name := f.Func
	slash := strings.LastIndexByte(name, '/')
	if dot := strings.IndexByte(name[slash+1:], '.'); dot >= 0 {
		return name[:slash+1+dot]
	}
	return name
}

// A Goroutine is one goroutine of a dump, or one stack of an aggregated
// profile with the number of goroutines that share it.
type Goroutine struct {
	ID      int     // 0 when the format has none
	Count   int     // goroutines with this stack (1 in debug=2 dumps)
	Reason  string  // wait reason as the runtime printed it ("chan send"), or inferred from the stack
	Minutes int     // how long it has been waiting, when the runtime said (it does from one minute)
	Locked  bool    // locked to thread
	Leaked  bool    // the goroutine leak profile proved it can never run again
	Stack   []Frame // innermost first
	// CreatedBy is the go statement that started the goroutine (the
	// frame of the creating function, at the line of the go statement),
	// when the format records it.
	CreatedBy *Frame
	// Ancestors are the stacks of the goroutines that created this one,
	// with GODEBUG=tracebackancestors=N.
	Ancestors [][]Frame
}

// A Dump is everything read from one input.
type Dump struct {
	Format     string // "debug=2", "debug=1", "proto"
	Profile    string // "goroutine" or "goroutineleak" when the input says
	Goroutines []*Goroutine
}

// Total returns the number of goroutines in d.
func (d *Dump) Total() int {
	n := 0
	for _, g := range d.Goroutines {
		n += g.Count
	}
	return n
}
