// Package passes is the registry of leaklint's passes: the one place that
// lists them, in the order the binary, the golangci-lint plugin and the
// documentation present them.
package passes

import (
	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/passes/chanleak"
	"github.com/leaklint/leaklint/passes/ctxdone"
	"github.com/leaklint/leaklint/passes/iotimeout"
	"github.com/leaklint/leaklint/passes/lockblock"
	"github.com/leaklint/leaklint/passes/lockorder"
	"github.com/leaklint/leaklint/passes/timeafter"
	"github.com/leaklint/leaklint/passes/unlock"
	"github.com/leaklint/leaklint/passes/waitgroup"
)

// A Pass is one registry entry.
type Pass struct {
	// Name is the analyzer's name, which is also its package name, its
	// command-line flag (-timeafter=false) and the name used in
	// //leaklint:ignore directives.
	Name string
	// Default is the analyzer with its default configuration, as the
	// leaklint binary and go vet -vettool run it.
	Default *analysis.Analyzer
	// New returns a fresh analyzer with the default configuration, whose
	// flags can be set without affecting any other instance.
	New func() *analysis.Analyzer
}

// registry lists every pass, in order.
var registry = []Pass{
	{"timeafter", timeafter.Analyzer, func() *analysis.Analyzer { return timeafter.New(timeafter.Config{}) }},
	{"waitgroup", waitgroup.Analyzer, func() *analysis.Analyzer { return waitgroup.New(waitgroup.Config{}) }},
	{"unlock", unlock.Analyzer, func() *analysis.Analyzer { return unlock.New(unlock.Config{}) }},
	{"ctxdone", ctxdone.Analyzer, func() *analysis.Analyzer { return ctxdone.New(ctxdone.Config{}) }},
	{"iotimeout", iotimeout.Analyzer, func() *analysis.Analyzer { return iotimeout.New(iotimeout.Config{}) }},
	{"chanleak", chanleak.Analyzer, func() *analysis.Analyzer { return chanleak.New(chanleak.Config{}) }},
	{"lockblock", lockblock.Analyzer, func() *analysis.Analyzer { return lockblock.New(lockblock.Config{}) }},
	{"lockorder", lockorder.Analyzer, func() *analysis.Analyzer { return lockorder.New(lockorder.Config{}) }},
}

// All returns the registry's entries, in order.
func All() []Pass {
	return append([]Pass(nil), registry...)
}

// Analyzers returns the default analyzer of every pass, in order.
func Analyzers() []*analysis.Analyzer {
	as := make([]*analysis.Analyzer, len(registry))
	for i, p := range registry {
		as[i] = p.Default
	}
	return as
}

// Lookup returns the entry of the pass called name.
func Lookup(name string) (Pass, bool) {
	for _, p := range registry {
		if p.Name == name {
			return p, true
		}
	}
	return Pass{}, false
}
