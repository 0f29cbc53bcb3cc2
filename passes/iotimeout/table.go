package iotimeout

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/knowledge"
)

// A tableSet is the calls the pass reports by themselves: the rows of
// knowledge.APIs whose Timeout is a rule for calls (DefaultClient,
// ServerDefaults, NoTimeout, ContextVariant), then the user's own
// through Config.Extra (-iotimeout.extra). Teaching the pass an API is
// one row in knowledge.APIs.
type tableSet struct {
	*knowledge.Table
	pkgs []string // the packages the entries belong to, for the quick exit
}

// newTable builds the table from knowledge.APIs and the extra entries
// (already validated by the flag or by New).
func newTable(extra []string) (*tableSet, error) {
	var apis []knowledge.API
	for _, a := range knowledge.APIs {
		if a.Timeout.ReportsCalls() {
			apis = append(apis, a)
		}
	}
	for _, s := range extra {
		e, err := parseExtra(s)
		if err != nil {
			return nil, err
		}
		apis = append(apis, e)
	}
	t := &tableSet{Table: knowledge.NewTable(apis)}
	for _, a := range apis {
		if !slices.Contains(t.pkgs, a.Spec.Pkg) {
			t.pkgs = append(t.pkgs, a.Spec.Pkg)
		}
	}
	return t, nil
}

// parseExtra parses one entry of Config.Extra:
//
//	SPEC              report every call of SPEC (it has no timeout)
//	SPEC=SAFER        the same, naming SAFER as the API to use instead
//	ctx:SPEC=NAME     report calls of SPEC when a context.Context is in
//	                  scope, and offer to call NAME(ctx, ...) instead
//
// SPEC is in the notation of callee.Spec: pkg/path.Func or
// (*pkg/path.Type).Method.
func parseExtra(s string) (knowledge.API, error) {
	s = strings.TrimSpace(s)
	r := knowledge.NoTimeout
	if rest, ok := strings.CutPrefix(s, "ctx:"); ok {
		r, s = knowledge.ContextVariant, rest
	}
	spec, safer, _ := strings.Cut(s, "=")
	spec, safer = strings.TrimSpace(spec), strings.TrimSpace(safer)
	parsed, err := parseSpec(spec)
	if err != nil {
		return knowledge.API{}, err
	}
	if r == knowledge.ContextVariant && !token.IsIdentifier(safer) {
		return knowledge.API{}, fmt.Errorf("%q: a ctx: entry needs =NAME, the name of the context variant (as in ctx:(*pkg.Type).Query=QueryContext)", s)
	}
	return knowledge.API{Spec: parsed, Timeout: r, Safer: safer}, nil
}

// parseSpec parses a user's spec: an error, not a panic, when malformed.
func parseSpec(s string) (callee.Spec, error) {
	return callee.ParseSpecErr(s)
}

// extraFlag is the flag.Value behind -extra: a comma-separated list of
// entries, appended to Config.Extra (the flag may be repeated).
type extraFlag struct{ c *Config }

func (f extraFlag) String() string {
	if f.c == nil {
		return ""
	}
	return strings.Join(f.c.Extra, ",")
}

func (f extraFlag) Set(v string) error {
	for _, item := range strings.Split(v, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		if _, err := parseExtra(item); err != nil {
			return err
		}
		f.c.Extra = append(f.c.Extra, strings.TrimSpace(item))
	}
	return nil
}

// calledName returns the identifier that names the function in a call's
// Fun (x.Name or Name), or nil.
func calledName(fun ast.Expr) *ast.Ident {
	switch f := ast.Unparen(fun).(type) {
	case *ast.SelectorExpr:
		return f.Sel
	case *ast.Ident:
		return f
	case *ast.IndexExpr: // an explicitly instantiated generic function
		return calledName(f.X)
	case *ast.IndexListExpr:
		return calledName(f.X)
	}
	return nil
}
