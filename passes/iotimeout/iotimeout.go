package iotimeout

import (
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/cfgs"
	"github.com/leaklint/leaklint/internal/report"
)

//go:embed doc.go
var docText string

// Config holds the pass's settings.
type Config struct {
	// Extra adds calls to the table of flagged APIs, each in one of the
	// forms
	//
	//	SPEC            report every call of SPEC: it has no timeout
	//	SPEC=SAFER      the same, naming SAFER in the message
	//	ctx:SPEC=NAME   report calls of SPEC where a context.Context
	//	                variable is in scope, and offer NAME(ctx, ...)
	//
	// where SPEC is pkg/path.Func or (*pkg/path.Type).Method. The flag
	// -extra (-iotimeout.extra) takes a comma-separated list and may be
	// repeated.
	Extra []string
}

// New returns an iotimeout analyzer with its own copy of cfg. Its flag
// -extra (-iotimeout.extra on the command line) adds to Config.Extra.
// An Extra entry that does not parse makes every run of the analyzer
// fail with an error naming it.
func New(cfg Config) *analysis.Analyzer {
	return analysisutil.NewPass(analysisutil.PassSpec[Config]{
		Name:      "iotimeout",
		DocText:   docText,
		Requires:  []*analysis.Analyzer{cfgs.Analyzer, inspect.Analyzer},
		FactTypes: []analysis.Fact{new(untimedCtor), new(hasUntimedCtors)},
		Flags: func(fs *flag.FlagSet, c *Config) {
			c.Extra = append([]string(nil), c.Extra...)
			fs.Var(extraFlag{c}, "extra", "comma-separated APIs to report besides the built-in table: SPEC, SPEC=SAFER or ctx:SPEC=NAME (see the documentation)")
		},
		Run: func(pass *analysis.Pass, c *Config) (any, error) {
			t, err := newTable(c.Extra)
			if err != nil {
				return nil, fmt.Errorf("iotimeout: bad Extra entry: %v", err)
			}
			return run(pass, t)
		},
	}, cfg)
}

// Analyzer is the iotimeout analyzer with the default configuration.
var Analyzer = New(Config{})

// untimedCtor is the fact that a function returns a fresh http.Client,
// http.Server or net.Dialer (or http.DefaultClient) on which no timeout
// is set: its callers treat the call like a composite literal without
// the timeout field.
type untimedCtor struct {
	Type   string // "http.Client", "http.Server" or "net.Dialer"
	Result int    // the index of the value among the results
}

func (*untimedCtor) AFact()           {}
func (f *untimedCtor) String() string { return "untimed " + f.Type }

// hasUntimedCtors is the package fact that the package declares a
// function with an untimedCtor fact. It lets a package that imports none
// of the table's packages skip the pass unless it imports such a
// package.
type hasUntimedCtors struct{}

func (*hasUntimedCtors) AFact()         {}
func (*hasUntimedCtors) String() string { return "hasUntimedCtors" }

func run(pass *analysis.Pass, t *tableSet) (any, error) {
	r := report.New(pass)

	// Quick exit: nothing here can create a client, server or dialer or
	// call a listed API, and nothing imported returns an untimed one.
	pkgs := append([]string{"net/http", "net", "database/sql"}, t.pkgs...)
	if !analysisutil.Imports(pass.Pkg, pkgs...) && !slices.Contains(pkgs, pass.Pkg.Path()) && !analysisutil.ImportsFact(pass, new(hasUntimedCtors)) {
		return nil, nil
	}

	c := &checker{
		pass:  pass,
		r:     r,
		table: t,
		cfgs:  pass.ResultOf[cfgs.Analyzer].(*cfgs.CFGs),
		ctors: make(map[*types.Func]*untimedCtor),
	}
	for _, f := range c.cfgs.Funcs {
		root := f.Root()
		if root.Decl == nil {
			continue // a literal at package level: not looked at
		}
		c.funcs = append(c.funcs, &function{Func: f, root: root.Body})
	}
	c.defaultConfigured = defaultClientConfigured(pass)
	c.findCtors()
	for _, fn := range c.funcs {
		c.checkValues(fn)
	}
	c.checkCalls()
	return nil, nil
}

type checker struct {
	pass  *analysis.Pass
	r     *report.Reporter
	table *tableSet
	cfgs  *cfgs.CFGs
	funcs []*function
	// ctors holds the untimed constructors declared in this package.
	ctors map[*types.Func]*untimedCtor
	// defaultConfigured is set when the package assigns to
	// http.DefaultClient or its fields: its uses are then left alone.
	defaultConfigured bool
	// fieldValues memoises the constant values of private fields.
	fieldValues map[*types.Var]*fieldWrites
}

// A function is a function declaration or literal with a body (its CFG
// may be nil). Function literals are functions of their own; root is
// the body of the outermost declaration, where variables captured by a
// literal live.
type function struct {
	*cfgs.Func
	root *ast.BlockStmt
}

// report reports d unless it is in test code: a test binary runs under
// go test's own deadline (-timeout, ten minutes by default) and its
// servers and clients (httptest's above all) are torn down with it, so
// nothing piles up.
func (c *checker) report(d analysis.Diagnostic) {
	if c.testCode(d.Pos) {
		return
	}
	c.r.Report(d)
}

// testCode reports whether pos is in test code (analysisutil.IsTestCode).
func (c *checker) testCode(pos token.Pos) bool {
	return analysisutil.IsTestCode(c.pass, pos)
}

// defaultClientConfigured reports whether the package assigns to
// http.DefaultClient, to one of its fields, or takes the address of
// either (flag.DurationVar(&http.DefaultClient.Timeout, ...)): then the
// program may well have given the default client a timeout.
func defaultClientConfigured(pass *analysis.Pass) bool {
	found := false
	idents := []ast.Node{(*ast.SelectorExpr)(nil), (*ast.Ident)(nil)}
	analysisutil.Inspector(pass).WithStack(idents, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push || found {
			return false
		}
		if !isDefaultClient(pass.TypesInfo, n) {
			return true
		}
		// Walk up through selectors (http.DefaultClient.Timeout)
		// and see what the outermost one is used for.
		child := n
	up:
		for i := len(stack) - 2; i >= 0; i-- {
			switch p := stack[i].(type) {
			case *ast.SelectorExpr, *ast.ParenExpr, *ast.StarExpr:
				child = p
			case *ast.AssignStmt:
				found = slices.Contains(p.Lhs, child.(ast.Expr))
				break up
			case *ast.IncDecStmt:
				found = true
				break up
			case *ast.UnaryExpr:
				found = p.Op == token.AND
				break up
			default:
				break up
			}
		}
		return false
	})
	return found
}

// isDefaultClient reports whether n denotes the variable
// net/http.DefaultClient.
func isDefaultClient(info *types.Info, n ast.Node) bool {
	var id *ast.Ident
	switch n := n.(type) {
	case *ast.SelectorExpr:
		id = n.Sel
	case *ast.Ident:
		id = n
	default:
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	return ok && v.Name() == "DefaultClient" && v.Pkg() != nil && v.Pkg().Path() == "net/http" && v.Parent() == v.Pkg().Scope()
}

// render returns the source form of e, shortened for messages.
func render(e ast.Expr) string {
	s := types.ExprString(e)
	if len(s) > 40 {
		if sel, ok := e.(*ast.SelectorExpr); ok {
			return "..." + sel.Sel.Name
		}
		return s[:37] + "..."
	}
	return strings.TrimSpace(s)
}
