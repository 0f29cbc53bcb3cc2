// Package runner analyses packages one at a time in dependency order,
// so that leaklint's memory is bounded by the packages in flight rather
// than by the whole build, and caches each package's facts and findings
// on disk, so that a re-run on unchanged code costs a cache read.
//
// It replaces x/tools' checker for the default command. The checker
// loads every package's syntax and type information up front
// (packages.LoadAllSyntax) and keeps it, with every analyzer's result
// (SSA included), until the end: 3 GB on grpc-go, 17 GB on telegraf.
// The runner asks go/packages for metadata only, then for each package,
// once its dependencies are done:
//
//   - parses and type-checks it from source, importing its dependencies'
//     types from memory (only types are kept; they are a small part of
//     what the checker keeps);
//   - runs the analyzers (on dependencies only those with facts, and
//     what they require, as the checker does), with the facts of its
//     dependencies visible exactly as the checker makes them visible;
//   - records its facts, its findings (positions resolved) and its
//     errors, and drops its syntax, types.Info and analyzer results.
//
// With a Cache, a package whose files, dependencies, flags and leaklint
// build are unchanged is not analysed at all: its record is read from
// disk, and it is type-checked only when a package that is analysed
// imports it (its facts are attached to its objects).
package runner

import (
	"fmt"
	"go/token"
	"go/types"
	"io"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// Options are the settings of one run.
type Options struct {
	Tests      bool     // analyse test files too
	Dir        string   // directory to load from ("" = the current one)
	Env        []string // the go command's environment
	BuildFlags []string // go build flags for go list
	Jobs       int      // packages analysed at once; 0 means GOMAXPROCS
	Cache      *Cache   // nil: analyse everything, write nothing
	// Salt distinguishes runs whose results differ for reasons other
	// than the code: the pass flags. The leaklint build is in the Cache.
	Salt string
	// FactLog, if set, receives a line for each fact exported.
	FactLog io.Writer
}

// A Diagnostic is a finding with its positions resolved, so that it
// outlives the package's syntax and can be cached.
type Diagnostic struct {
	Category  string
	Posn, End token.Position // End is the zero Position when unknown
	Message   string
	URL       string
	Related   []Related
	Fixes     []Fix
}

// Related is a diagnostic's related position.
type Related struct {
	Posn, End token.Position
	Message   string
}

// A Fix is a suggested fix.
type Fix struct {
	Message string
	Edits   []Edit
}

// An Edit replaces the text between Start and End (End is the zero
// Position for an insertion without an end) with New.
type Edit struct {
	Start, End token.Position
	New        string
}

// An Outcome is what one analyzer did on one package.
type Outcome struct {
	Analyzer    string
	Err         string       // "" when it ran
	Diagnostics []Diagnostic // of the selected analyzers on root packages
	Duration    time.Duration
}

// A Package is the result for one package of the build.
type Package struct {
	Meta     *packages.Package // metadata; Errors holds parse and type errors too
	Root     bool              // an initial package: every selected analyzer ran
	Cached   bool              // its record came from the cache
	IllTyped bool              // it or a dependency has errors
	Outcomes []Outcome         // one per analyzer that ran, in a fixed order
}

// Outcome returns the outcome of the named analyzer, or nil.
func (p *Package) Outcome(name string) *Outcome {
	for i := range p.Outcomes {
		if p.Outcomes[i].Analyzer == name {
			return &p.Outcomes[i]
		}
	}
	return nil
}

// A Result is the outcome of a run.
type Result struct {
	Initial  []*packages.Package // the metadata graph's roots
	Packages map[*packages.Package]*Package
	Order    []*Package // dependencies first
	Analysed int        // packages analysed in this run
	Cached   int        // packages whose record came from the cache
	TypeOnly int        // packages type-checked only to import facts from the cache
}

// Run loads the packages that patterns name and analyses them and their
// dependencies with the analyzers (the selected ones; what they require
// is run as needed).
func Run(analyzers []*analysis.Analyzer, patterns []string, opts Options) (*Result, error) {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedImports | packages.NeedDeps | packages.NeedModule |
			packages.NeedEmbedFiles | packages.NeedTypesSizes,
		Tests:      opts.Tests,
		Dir:        opts.Dir,
		Env:        opts.Env,
		BuildFlags: opts.BuildFlags,
	}
	initial, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	return analyse(analyzers, initial, opts), nil
}

// A unit is one package of the build in this run.
type unit struct {
	meta  *packages.Package
	root  bool
	imps  []*unit // in the order of sorted import paths
	files string  // digest of its files' names and contents (with a cache)
	key   string  // cache key of the dependency-mode record ("" without a cache)
	rec   *record // the cached record, if one was found
	need  bool    // analysed (no usable record)
	types bool    // type-checked (analysed, or a dependency of one that is)

	pkg      *Package
	tpkg     *types.Package
	facts    *factSet
	done     chan struct{}
	pending  int // dependencies not yet done (guarded by the scheduler)
	importer []*unit
}

func analyse(selected []*analysis.Analyzer, initial []*packages.Package, opts Options) *Result {
	rootSet, depSet := analyzerSets(selected)
	registerFacts(rootSet)

	// The units, dependencies first.
	units := make(map[*packages.Package]*unit)
	var order []*unit
	onStack := make(map[*unit]bool)
	var visit func(p *packages.Package) *unit
	visit = func(p *packages.Package) *unit {
		if u := units[p]; u != nil {
			return u
		}
		u := &unit{meta: p, done: make(chan struct{})}
		units[p] = u
		onStack[u] = true
		paths := make([]string, 0, len(p.Imports))
		for path := range p.Imports {
			paths = append(paths, path)
		}
		sort.Strings(paths)
		for _, path := range paths {
			// An import cycle (go list reports it as an error) is cut
			// here: the import is left out, and type-checking it fails.
			if d := visit(p.Imports[path]); !onStack[d] {
				u.imps = append(u.imps, d)
			}
		}
		delete(onStack, u)
		order = append(order, u)
		return u
	}
	for _, p := range initial {
		visit(p).root = true
	}

	res := &Result{Initial: initial, Packages: make(map[*packages.Package]*Package, len(units))}
	r := &run{opts: opts, selected: selected, rootSet: rootSet, depSet: depSet, depNames: names(depSet), fset: token.NewFileSet(), byTypes: make(map[*types.Package]*unit)}

	// Which records the cache has; which packages must be analysed, and
	// which type-checked to import facts into them.
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	if opts.Cache != nil {
		hashFiles(order, jobs)
		sets := names(rootSet) + "/" + r.depNames
		for _, u := range order {
			u.key = opts.Cache.key(u, opts.Salt, sets)
			u.rec = opts.Cache.get(u.key, u.root)
		}
	}
	for i := len(order) - 1; i >= 0; i-- {
		u := order[i]
		u.need = u.rec == nil
	}
	for i := len(order) - 1; i >= 0; i-- {
		u := order[i]
		if u.need || u.types {
			u.types = true
			for _, d := range u.imps {
				d.types = true
			}
		}
	}

	r.schedule(order, jobs)

	for _, u := range order {
		res.Packages[u.meta] = u.pkg
		res.Order = append(res.Order, u.pkg)
		switch {
		case u.need:
			res.Analysed++
		case u.types:
			res.TypeOnly++
			res.Cached++
		default:
			res.Cached++
		}
	}
	if opts.Cache != nil {
		opts.Cache.trim()
	}
	return res
}

// schedule processes the units, each once its dependencies are done, at
// most jobs at a time.
func (r *run) schedule(order []*unit, jobs int) {
	var mu sync.Mutex
	var ready []*unit
	for _, u := range order {
		u.pending = len(u.imps)
		for _, d := range u.imps {
			d.importer = append(d.importer, u)
		}
		if u.pending == 0 {
			ready = append(ready, u)
		}
	}
	work := make(chan *unit)
	var wg sync.WaitGroup
	remaining := len(order)
	finished := make(chan *unit)
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range work {
				r.process(u)
				finished <- u
			}
		}()
	}
	// Hand out ready units in the order they became ready, which keeps
	// the dependencies-first order of a sequential run.
	inFlight := 0
	for remaining > 0 {
		var send chan *unit
		var next *unit
		if len(ready) > 0 {
			send, next = work, ready[0]
		}
		select {
		case send <- next:
			ready = ready[1:]
			inFlight++
		case u := <-finished:
			inFlight--
			remaining--
			mu.Lock()
			for _, imp := range u.importer {
				imp.pending--
				if imp.pending == 0 {
					ready = append(ready, imp)
				}
			}
			u.importer = nil
			mu.Unlock()
		}
	}
	close(work)
	wg.Wait()
}

// A run is the state shared by the units of one run.
type run struct {
	opts     Options
	selected []*analysis.Analyzer
	rootSet  []*analysis.Analyzer // run on root packages, in dependency order
	depSet   []*analysis.Analyzer // run on the others
	depNames string               // names(depSet)
	fset     *token.FileSet

	mu      sync.Mutex
	byTypes map[*types.Package]*unit
}

// names lists the analyzers' names, for cache keys and records.
func names(list []*analysis.Analyzer) string {
	var b strings.Builder
	for _, a := range list {
		b.WriteString(a.Name)
		b.WriteByte(' ')
	}
	return b.String()
}

// analyzerSets returns the analyzers to run on root packages (the
// selected ones and what they require) and on dependencies (those of
// the root set that have facts, and what they require), each in an
// order where requirements come first.
func analyzerSets(selected []*analysis.Analyzer) (root, dep []*analysis.Analyzer) {
	var add func(list *[]*analysis.Analyzer, a *analysis.Analyzer)
	add = func(list *[]*analysis.Analyzer, a *analysis.Analyzer) {
		if slices.Contains(*list, a) {
			return
		}
		for _, req := range a.Requires {
			add(list, req)
		}
		*list = append(*list, a)
	}
	for _, a := range selected {
		add(&root, a)
	}
	for _, a := range root {
		if len(a.FactTypes) > 0 {
			add(&dep, a)
		}
	}
	return root, dep
}

// process type-checks and analyses u, or loads its facts from its
// cached record, or only takes its record.
func (r *run) process(u *unit) {
	defer close(u.done)
	u.pkg = &Package{Meta: u.meta, Root: u.root, Cached: !u.need}
	// Analyzers' panics are their actions' errors (runPass); a panic
	// anywhere else here (go/types on code no compiler accepts, a
	// corrupt cache record) must not take the other packages down: it
	// becomes this package's error, and its importers see it ill-typed.
	defer func() {
		if p := recover(); p != nil {
			u.pkg.IllTyped = true
			u.meta.Errors = append(u.meta.Errors, packages.Error{
				Pos:  "-",
				Msg:  fmt.Sprintf("internal error: leaklint panicked on package %s: %v", u.meta.ID, p),
				Kind: packages.UnknownError,
			})
		}
	}()
	if !u.types {
		u.pkg.IllTyped = u.rec.IllTyped
		u.rec.apply(u, r.depNames)
		return
	}
	tc := r.typecheck(u)
	r.mu.Lock()
	r.byTypes[tc.pkg] = u
	r.mu.Unlock()
	u.tpkg = tc.pkg
	if !u.need {
		u.pkg.IllTyped = u.rec.IllTyped
		u.rec.apply(u, r.depNames)
		u.facts = u.rec.decodeFacts(u.tpkg)
		return
	}
	u.pkg.IllTyped = tc.illTyped(u)
	u.meta.Errors = append(u.meta.Errors, tc.errors...)
	r.analyse(u, tc)
	if r.opts.Cache != nil {
		r.opts.Cache.put(u, tc.errors)
	}
}

// failedPrerequisites returns the checker's error for an action whose
// prerequisites failed, or nil.
func failedPrerequisites(failed []string) error {
	if len(failed) == 0 {
		return nil
	}
	sort.Strings(failed)
	return fmt.Errorf("failed prerequisites: %s", strings.Join(failed, ", "))
}
