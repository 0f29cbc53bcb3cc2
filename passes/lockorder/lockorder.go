package lockorder

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/locks"
	"github.com/leaklint/leaklint/internal/report"
	"github.com/leaklint/leaklint/internal/resolve"
)

//go:embed doc.go
var docText string

// Config holds the pass's settings. It has none yet.
type Config struct{}

// New returns a lockorder analyzer.
func New(cfg Config) *analysis.Analyzer {
	return analysisutil.NewPass(analysisutil.PassSpec[Config]{
		Name:      "lockorder",
		DocText:   docText,
		Requires:  []*analysis.Analyzer{locks.Analyzer, resolve.Analyzer},
		FactTypes: []analysis.Fact{new(acquires), new(orderEdges)},
		Run:       func(pass *analysis.Pass, _ *Config) (any, error) { return run(pass) },
	}, cfg)
}

// Analyzer is the lockorder analyzer with the default configuration.
var Analyzer = New(Config{})

// acquires is the fact that a function acquires locks of these classes,
// itself or through the functions it calls, and that it gives up locks of
// the Retakes classes, which its caller holds, and takes them back.
type acquires struct {
	Classes []string
	Retakes []string
}

func (*acquires) AFact() {}
func (f *acquires) String() string {
	s := "acquires(" + strings.Join(f.Classes, ", ") + ")"
	if len(f.Retakes) > 0 {
		s += " retakes(" + strings.Join(f.Retakes, ", ") + ")"
	}
	return s
}

// An edge of the lock-order graph: To is acquired while From is held.
type edge struct {
	From, To string // lock classes
	Func     string // the function where it happens
	At       string // base name and line of the acquisition of To
	Held     string // base name and line where From was taken
	Via      string // the call that acquires To, "" if direct
	Retake   bool   // Via gives To up (its caller held it) and takes it back
}

// orderEdges is the package fact listing the package's own lock-order
// edges, one witness per pair of classes.
type orderEdges struct {
	Edges []edge
}

func (*orderEdges) AFact() {}
func (f *orderEdges) String() string {
	var s []string
	for _, e := range f.Edges {
		s = append(s, e.From+"->"+e.To)
	}
	return "orderEdges(" + strings.Join(s, ", ") + ")"
}

// ownEdge is an edge of this package, with its positions.
type ownEdge struct {
	edge
	pos, heldPos token.Pos
	end          token.Pos
}

type checker struct {
	pass    *analysis.Pass
	r       *report.Reporter
	res     *locks.Result
	classes map[*locks.Func][]string // this package's functions' acquired classes
	retakes map[*locks.Func][]string // classes they release and take back
	ctors   map[*types.Func]bool     // memo of freshCtor
	byObj   map[*types.Func]*locks.Func
	// callTargets memoises targets; nil for a call whose targets are
	// unknown.
	callTargets map[*ast.CallExpr][]target
	// acquires reports whether some function of the package takes a
	// lock of a class, itself or through a call: dynamic calls resolve to the
	// package's own functions only, so without it they add nothing (and
	// the SSA form is not built).
	acquires bool
	// runsOf memoises each function's runs, built on first use: most
	// functions never need one.
	runsOf map[*locks.Func]*runs
}

// runs returns fn's runs (see runs), built once.
func (c *checker) runs(fn *locks.Func) *runs {
	rn := c.runsOf[fn]
	if rn == nil {
		rn = newRuns(c.pass.TypesInfo, fn)
		c.runsOf[fn] = rn
	}
	return rn
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	res := pass.ResultOf[locks.Analyzer].(*locks.Result)
	if res.Broken {
		return nil, nil
	}
	c := &checker{
		pass: pass, r: r, res: res,
		classes:     make(map[*locks.Func][]string),
		retakes:     make(map[*locks.Func][]string),
		ctors:       make(map[*types.Func]bool),
		byObj:       make(map[*types.Func]*locks.Func),
		callTargets: make(map[*ast.CallExpr][]target),
		runsOf:      make(map[*locks.Func]*runs),
	}
	for _, fn := range res.Funcs {
		if fn.Obj != nil {
			c.byObj[fn.Obj] = fn
		}
		for _, evs := range events(fn) {
			for _, e := range evs {
				if e.Op.Acquire() && e.Path.Class() != "" {
					c.acquires = true
				}
			}
		}
	}
	c.summarise()

	var own []*ownEdge
	seen := make(map[[2]string]bool)
	for _, fn := range res.Funcs {
		if len(fn.Events)+len(fn.Elems) == 0 && len(c.callsWithClasses(fn)) == 0 {
			continue
		}
		if analysisutil.IsTestFile(pass, fn.Body.Pos()) {
			continue // tests take locks in odd orders on purpose
		}
		own = append(own, c.edges(fn)...)
	}
	// One witness per pair of classes: the first in source order, so that
	// the facts and the reports do not depend on map order.
	sort.SliceStable(own, func(i, j int) bool { return own[i].pos < own[j].pos })
	dedup := own[:0]
	for _, e := range own {
		k := [2]string{e.From, e.To}
		if seen[k] {
			continue
		}
		seen[k] = true
		dedup = append(dedup, e)
	}
	own = dedup
	if len(own) > 0 {
		fact := &orderEdges{}
		for _, e := range own {
			fact.Edges = append(fact.Edges, e.edge)
		}
		pass.ExportPackageFact(fact)
	}
	c.reportCycles(own)
	return nil, nil
}

// ---- classes ----

// short renders a class for messages: (*Store).mu, pkg.mu.
func short(class string) string {
	if strings.HasPrefix(class, "(*") {
		inner := class[2:strings.Index(class, ")")]
		rest := class[strings.Index(class, ")"):]
		return "(*" + inner[strings.LastIndex(inner, ".")+1:] + rest
	}
	slash := strings.LastIndex(class, "/")
	return class[slash+1:]
}

func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

func (c *checker) shortPos(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
