package waitgroup

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/cfgs"
	"github.com/leaklint/leaklint/internal/report"
)

//go:embed doc.go
var docText string

// Config holds the pass's settings. It has none yet; New takes it so
// that settings added later are bound to each analyzer instance.
type Config struct{}

// New returns a waitgroup analyzer with its own copy of cfg.
func New(cfg Config) *analysis.Analyzer {
	return analysisutil.NewPass(analysisutil.PassSpec[Config]{
		Name:      "waitgroup",
		DocText:   docText,
		Requires:  []*analysis.Analyzer{cfgs.Analyzer, inspect.Analyzer},
		FactTypes: []analysis.Fact{new(Summary), new(hasSummaries)},
		Run:       run,
	}, cfg)
}

// Analyzer is the waitgroup analyzer with the default configuration.
var Analyzer = New(Config{})

// goCutoff is the first Go version with sync.WaitGroup.Go.
const goCutoff = "go1.25"

type checker struct {
	pass *analysis.Pass
	r    *report.Reporter
	cfg  *Config
	cfgs *cfgs.CFGs

	decls   []*function // declarations with a body, in source order
	pkgLits []*function // function literals outside declarations
	all     []*function // declarations and literals
	byObj   map[*types.Func]*function
	lits    map[*ast.FuncLit]*function

	holds      map[holdKey]bool
	entryCache map[*function][]Entry
	defs       map[*types.Var][]ast.Expr
	params     map[*types.Var]bool
}

func run(pass *analysis.Pass, cfg *Config) (any, error) {
	r := report.New(pass)

	// Quick exit: nothing here can name a WaitGroup, and nothing
	// imported summarises a function that uses one.
	if !analysisutil.Imports(pass.Pkg, "sync") && !analysisutil.ImportsFact(pass, new(hasSummaries)) {
		return nil, nil
	}
	c := &checker{
		pass:       pass,
		r:          r,
		cfg:        cfg,
		cfgs:       pass.ResultOf[cfgs.Analyzer].(*cfgs.CFGs),
		byObj:      make(map[*types.Func]*function),
		lits:       make(map[*ast.FuncLit]*function),
		holds:      make(map[holdKey]bool),
		entryCache: make(map[*function][]Entry),
		params:     make(map[*types.Var]bool),
	}
	if !c.relevant() {
		return nil, nil // a package that imports sync for its Mutex only
	}
	c.collect()
	for _, fn := range c.decls {
		c.scan(fn)
	}
	for _, fn := range c.pkgLits {
		c.scan(fn) // var f = func() { ... }: a function of its own
	}
	c.exportFacts()
	for _, fn := range c.all {
		c.check(fn)
	}
	c.checkNoDone()
	return nil, nil
}

// relevant reports whether the package has a variable that can reach
// a WaitGroup, or uses a function of another package with a Summary.
// Most packages that import sync don't, and need no further work.
func (c *checker) relevant() bool {
	info := c.pass.TypesInfo
	check := func(obj types.Object) bool {
		switch obj := obj.(type) {
		case *types.Var:
			return c.mayHoldWaitGroup(obj.Type())
		case *types.Func:
			return obj.Pkg() != nil && obj.Pkg() != c.pass.Pkg && c.pass.ImportObjectFact(obj.Origin(), new(Summary))
		}
		return false
	}
	for _, obj := range info.Defs {
		if obj != nil && check(obj) {
			return true
		}
	}
	for _, obj := range info.Uses {
		if check(obj) {
			return true
		}
	}
	return false
}

// collect records the package's function declarations and literals,
// and the parameters of all of them.
func (c *checker) collect() {
	info := c.pass.TypesInfo
	addParams := func(fl ...*ast.FieldList) {
		for _, l := range fl {
			if l == nil {
				continue
			}
			for _, f := range l.List {
				for _, n := range f.Names {
					if v, ok := info.Defs[n].(*types.Var); ok {
						c.params[v] = true
					}
				}
			}
		}
	}
	for _, f := range c.cfgs.Funcs {
		fn := &function{Func: f}
		c.all = append(c.all, fn)
		if f.Decl != nil {
			c.decls = append(c.decls, fn)
			if f.Obj != nil {
				c.byObj[f.Obj] = fn
			}
			addParams(f.Decl.Recv, f.Type.Params)
			continue
		}
		c.lits[f.Lit] = fn
		if f.Root().Decl == nil {
			c.pkgLits = append(c.pkgLits, fn)
		}
		addParams(f.Type.Params)
	}
}

// since125 reports whether the file at pos is built with Go 1.25 or
// later, where sync.WaitGroup.Go exists.
func (c *checker) since125(pos token.Pos) bool {
	v := analysisutil.FileVersion(c.pass.TypesInfo, c.pass.Pkg, analysisutil.File(c.pass, pos))
	return analysisutil.AtLeast(v, goCutoff)
}
