package iotimeout

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/leaklint/leaklint/internal/callee"
)

// A rule says what is wrong with a call listed in the table, and so how
// the call is checked and reported.
type rule int

const (
	// defaultClient: the call sends a request through http.DefaultClient,
	// which has no Timeout. Reported wherever it appears.
	defaultClient rule = iota
	// serveNoTimeout: the call serves HTTP with an http.Server that has
	// no read timeouts. Reported wherever it appears.
	serveNoTimeout
	// noTimeout: the call waits on the network with no bound of its own.
	// Reported wherever it appears.
	noTimeout
	// needsContext: the call has a variant that takes a context.
	// Reported when a context.Context variable is in scope, with a fix
	// that calls the variant with it.
	needsContext
)

// An entry is one row of the table.
type entry struct {
	spec callee.Spec
	rule rule
	// safer names the safer API in messages. For needsContext it is the
	// name of the context variant, which the fix writes in place of the
	// called name.
	safer string
	// args are the arguments the context variant needs after ctx when
	// the original call has none (BeginTx's nil options).
	args string
}

// A row is one line of the table as written: a spec in the notation of
// callee.Spec, the rule, the safer API and, for BeginTx, the arguments
// after ctx.
type row struct {
	spec  string
	rule  rule
	safer string
	args  string
}

// builtin is the table of the calls the pass reports by name. Adding an
// API is one line. Users add their own without rebuilding through
// Config.Extra (-iotimeout.extra).
var builtin = []row{
	// http.DefaultClient has no Timeout.
	{"net/http.Get", defaultClient, "", ""},
	{"net/http.Head", defaultClient, "", ""},
	{"net/http.Post", defaultClient, "", ""},
	{"net/http.PostForm", defaultClient, "", ""},
	// The package-level servers have no read timeouts.
	{"net/http.ListenAndServe", serveNoTimeout, "", ""},
	{"net/http.ListenAndServeTLS", serveNoTimeout, "", ""},
	{"net/http.Serve", serveNoTimeout, "", ""},
	{"net/http.ServeTLS", serveNoTimeout, "", ""},
	// Dialing with no timeout waits as long as the OS keeps trying.
	{"net.Dial", noTimeout, "net.DialTimeout or a net.Dialer with Timeout", ""},
	// database/sql without a context. (*sql.Conn has context methods
	// only.)
	{"(*database/sql.DB).Query", needsContext, "QueryContext", ""},
	{"(*database/sql.DB).QueryRow", needsContext, "QueryRowContext", ""},
	{"(*database/sql.DB).Exec", needsContext, "ExecContext", ""},
	{"(*database/sql.DB).Prepare", needsContext, "PrepareContext", ""},
	{"(*database/sql.DB).Begin", needsContext, "BeginTx", "nil"},
	{"(*database/sql.DB).Ping", needsContext, "PingContext", ""},
	{"(*database/sql.Tx).Query", needsContext, "QueryContext", ""},
	{"(*database/sql.Tx).QueryRow", needsContext, "QueryRowContext", ""},
	{"(*database/sql.Tx).Exec", needsContext, "ExecContext", ""},
	{"(*database/sql.Tx).Prepare", needsContext, "PrepareContext", ""},
	{"(*database/sql.Tx).Stmt", needsContext, "StmtContext", ""},
	{"(*database/sql.Stmt).Query", needsContext, "QueryContext", ""},
	{"(*database/sql.Stmt).QueryRow", needsContext, "QueryRowContext", ""},
	{"(*database/sql.Stmt).Exec", needsContext, "ExecContext", ""},
}

// A tableSet is a parsed table, indexed by function name for a cheap
// first test.
type tableSet struct {
	byName map[string][]entry
	pkgs   []string // the packages the entries belong to, for the quick exit
}

// newTable parses the builtin rows and the extra entries (already
// validated by the flag or by New).
func newTable(extra []string) (*tableSet, error) {
	t := &tableSet{byName: make(map[string][]entry)}
	for _, r := range builtin {
		t.add(entry{spec: callee.ParseSpec(r.spec), rule: r.rule, safer: r.safer, args: r.args})
	}
	for _, s := range extra {
		e, err := parseExtra(s)
		if err != nil {
			return nil, err
		}
		t.add(e)
	}
	return t, nil
}

func (t *tableSet) add(e entry) {
	t.byName[e.spec.Name] = append(t.byName[e.spec.Name], e)
	if !slices.Contains(t.pkgs, e.spec.Pkg) {
		t.pkgs = append(t.pkgs, e.spec.Pkg)
	}
}

// lookup returns the entry for the function or method fn.
func (t *tableSet) lookup(fn *types.Func) (entry, bool) {
	for _, e := range t.byName[fn.Name()] {
		if e.spec.Match(fn) {
			return e, true
		}
	}
	return entry{}, false
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
func parseExtra(s string) (entry, error) {
	s = strings.TrimSpace(s)
	r := noTimeout
	if rest, ok := strings.CutPrefix(s, "ctx:"); ok {
		r, s = needsContext, rest
	}
	spec, safer, _ := strings.Cut(s, "=")
	spec, safer = strings.TrimSpace(spec), strings.TrimSpace(safer)
	parsed, err := parseSpec(spec)
	if err != nil {
		return entry{}, err
	}
	if r == needsContext && !token.IsIdentifier(safer) {
		return entry{}, fmt.Errorf("%q: a ctx: entry needs =NAME, the name of the context variant (as in ctx:(*pkg.Type).Query=QueryContext)", s)
	}
	return entry{spec: parsed, rule: r, safer: safer}, nil
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
