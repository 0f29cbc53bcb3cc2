package triage

import (
	"slices"
	"sort"
	"strings"
)

// A Group is a set of goroutines waiting for the same reason at the same
// line, created by the same go statement: one bucket of a dump, as a
// person reading it would make.
type Group struct {
	Reason string `json:"reason"` // "" when the format does not say and the stack does not show it
	Leaked bool   `json:"leaked,omitempty"`
	Count  int    `json:"count"`
	// OldestMinutes is the longest wait in the group, when the runtime
	// printed one (it does from one minute on, in debug=2 dumps).
	OldestMinutes int `json:"oldest_minutes,omitempty"`
	// Blocking is the innermost frame of the program's own code: the
	// line that waits (the send, the Lock, the Wait call).
	Blocking Frame `json:"blocking"`
	// CreatedBy is the go statement that started the goroutines, when
	// the format records it.
	CreatedBy *Frame `json:"created_by,omitempty"`
	// Entry is the function the goroutines started in (the outermost
	// frame): what a debug=1 or protobuf profile says of where they come
	// from.
	Entry  Frame   `json:"entry"`
	Stack  []Frame `json:"stack"`            // one goroutine's stack, innermost first
	IDs    []int   `json:"ids,omitempty"`    // the first goroutine IDs, when the format has them
	Locked bool    `json:"locked,omitempty"` // some are locked to a thread
	// Passes are the leaklint passes that look for the causes of this
	// kind of wait.
	Passes []string `json:"passes,omitempty"`
}

// maxIDs is how many goroutine IDs a group keeps.
const maxIDs = 5

// Options adjust the grouping.
type Options struct {
	// Own reports whether a frame is the program's own code rather than
	// the standard library's (the blocking frame is the innermost one).
	// The default takes every function whose import path starts with a
	// domain (a dot in its first element), or is main, as the program's.
	Own func(Frame) bool
}

// DefaultOwn is the default of Options.Own.
func DefaultOwn(f Frame) bool {
	pkg := f.Package()
	if pkg == "main" || strings.HasPrefix(pkg, "command-line-arguments") {
		return true
	}
	first, _, _ := strings.Cut(pkg, "/")
	return strings.Contains(first, ".")
}

// GroupGoroutines buckets d's goroutines and returns the groups, the
// largest first, then the longest waiting.
func GroupGoroutines(d *Dump, opts Options) []*Group {
	own := opts.Own
	if own == nil {
		own = DefaultOwn
	}
	type key struct {
		reason   string
		leaked   bool
		blocking Frame
		created  Frame
	}
	byKey := make(map[key]*Group)
	var groups []*Group
	for _, g := range d.Goroutines {
		if len(g.Stack) == 0 {
			continue
		}
		blocking := g.Stack[0]
		for _, f := range g.Stack {
			if own(f) {
				blocking = f
				break
			}
		}
		k := key{reason: g.Reason, leaked: g.Leaked, blocking: blocking}
		if g.CreatedBy != nil {
			k.created = *g.CreatedBy
		}
		grp := byKey[k]
		if grp == nil {
			grp = &Group{
				Reason:    g.Reason,
				Leaked:    g.Leaked,
				Blocking:  blocking,
				CreatedBy: g.CreatedBy,
				Entry:     g.Stack[len(g.Stack)-1],
				Stack:     g.Stack,
				Passes:    dedupe(Passes(g.Reason, g.Stack)),
			}
			byKey[k] = grp
			groups = append(groups, grp)
		}
		grp.Count += g.Count
		grp.OldestMinutes = max(grp.OldestMinutes, g.Minutes)
		grp.Locked = grp.Locked || g.Locked
		if g.ID != 0 && len(grp.IDs) < maxIDs {
			grp.IDs = append(grp.IDs, g.ID)
		}
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.OldestMinutes != b.OldestMinutes {
			return a.OldestMinutes > b.OldestMinutes
		}
		return a.Blocking.Pos() < b.Blocking.Pos()
	})
	return groups
}

func dedupe(list []string) []string {
	var out []string
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
