package runner

import (
	"encoding/gob"
	"fmt"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// A factSet holds the facts one package exported, of every analyzer
// (each fact type belongs to one analyzer). It is written only while
// its package is analysed, and read only after.
type factSet struct {
	objects  map[objectKey]analysis.Fact
	packages map[reflect.Type]analysis.Fact
}

type objectKey struct {
	obj types.Object
	t   reflect.Type
}

func newFactSet() *factSet {
	return &factSet{objects: make(map[objectKey]analysis.Fact), packages: make(map[reflect.Type]analysis.Fact)}
}

// visibility gives a pass the facts the checker would give it: its own
// package's, and those its dependencies' actions pass on. The checker
// passes a dependency's facts up the import graph, dropping at each
// step the facts on objects that are not in the importer's view of
// that package's export data: a non-method function is seen only when
// exported and imported directly, a non-field variable only when
// imported directly; methods, fields, types and constants from any
// dependency; package facts from any dependency.
type visibility struct {
	r       *run
	u       *unit
	closure map[*unit]bool // u's transitive dependencies, computed when first needed
}

func (v *visibility) install(pass *analysis.Pass, a *analysis.Analyzer) {
	u := v.u
	pass.ImportObjectFact = func(obj types.Object, ptr analysis.Fact) bool {
		if obj == nil {
			panic("nil object")
		}
		set := v.setFor(obj)
		if set == nil {
			return false
		}
		f, ok := set.objects[objectKey{obj, reflect.TypeOf(ptr)}]
		if ok {
			reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(f).Elem())
		}
		return ok
	}
	pass.ExportObjectFact = func(obj types.Object, fact analysis.Fact) {
		if obj.Pkg() != u.tpkg {
			panic(fmt.Sprintf("internal error: in analysis %s of package %s: Fact.Set(%s, %T): can't set facts on objects belonging another package", a, u.meta.ID, obj, fact))
		}
		u.facts.objects[objectKey{obj, reflect.TypeOf(fact)}] = fact
		if w := v.r.opts.FactLog; w != nil {
			fmt.Fprintf(w, "%s: object %s has fact %s\n", v.r.fset.Position(obj.Pos()), types.ObjectString(obj, (*types.Package).Name), fact)
		}
	}
	pass.ImportPackageFact = func(pkg *types.Package, ptr analysis.Fact) bool {
		var set *factSet
		if pkg == u.tpkg {
			set = u.facts
		} else if d := v.r.unitOf(pkg); d != nil && v.deps()[d] {
			set = d.facts
		}
		if set == nil {
			return false
		}
		f, ok := set.packages[reflect.TypeOf(ptr)]
		if ok {
			reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(f).Elem())
		}
		return ok
	}
	pass.ExportPackageFact = func(fact analysis.Fact) {
		u.facts.packages[reflect.TypeOf(fact)] = fact
		if w := v.r.opts.FactLog; w != nil {
			fmt.Fprintf(w, "%s: package %s has fact %s\n", v.r.fset.Position(firstPos(pass)), u.tpkg.Path(), fact)
		}
	}
	owned := make(map[reflect.Type]bool)
	for _, f := range a.FactTypes {
		owned[reflect.TypeOf(f)] = true
	}
	pass.AllObjectFacts = func() []analysis.ObjectFact {
		var out []analysis.ObjectFact
		for _, set := range v.sets() {
			for k, f := range set.objects {
				if owned[k.t] && (set == u.facts || v.visible(k.obj)) {
					out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
				}
			}
		}
		return out
	}
	pass.AllPackageFacts = func() []analysis.PackageFact {
		var out []analysis.PackageFact
		for i, set := range v.sets() {
			pkg := u.tpkg
			if i > 0 {
				pkg = v.sortedDeps()[i-1].tpkg
			}
			for t, f := range set.packages {
				if owned[t] {
					out = append(out, analysis.PackageFact{Package: pkg, Fact: f})
				}
			}
		}
		return out
	}
}

func firstPos(pass *analysis.Pass) token.Pos {
	if len(pass.Files) > 0 {
		return pass.Files[0].Package
	}
	return 0
}

// setFor returns the fact set that may hold obj's facts for this pass,
// or nil when the checker would not show them.
func (v *visibility) setFor(obj types.Object) *factSet {
	if obj.Pkg() == v.u.tpkg {
		return v.u.facts
	}
	if !v.visible(obj) {
		return nil
	}
	return v.r.unitOf(obj.Pkg()).facts
}

// visible reports whether facts on obj, from another package, reach u.
func (v *visibility) visible(obj types.Object) bool {
	pkg := obj.Pkg()
	if pkg == nil {
		return false
	}
	d := v.r.unitOf(pkg)
	if d == nil || d.facts == nil {
		return false
	}
	direct := false
	for _, imp := range v.u.imps {
		if imp == d {
			direct = true
			break
		}
	}
	switch obj := obj.(type) {
	case *types.Func:
		if obj.Signature().Recv() == nil {
			return direct && obj.Exported()
		}
	case *types.Var:
		if !obj.IsField() {
			return direct
		}
	case *types.TypeName, *types.Const:
	default:
		return false
	}
	return v.deps()[d]
}

func (v *visibility) deps() map[*unit]bool {
	if v.closure == nil {
		v.closure = make(map[*unit]bool)
		var walk func(u *unit)
		walk = func(u *unit) {
			for _, d := range u.imps {
				if !v.closure[d] {
					v.closure[d] = true
					walk(d)
				}
			}
		}
		walk(v.u)
	}
	return v.closure
}

// sortedDeps returns u's transitive dependencies that have facts, by ID.
func (v *visibility) sortedDeps() []*unit {
	var list []*unit
	for d := range v.deps() {
		if d.facts != nil {
			list = append(list, d)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].meta.ID < list[j].meta.ID })
	return list
}

// sets returns u's own fact set, then its dependencies' by ID.
func (v *visibility) sets() []*factSet {
	out := []*factSet{v.u.facts}
	for _, d := range v.sortedDeps() {
		out = append(out, d.facts)
	}
	return out
}

var registered sync.Map // reflect.Type → true

// registerFacts tells gob about the analyzers' fact types, so that
// records can hold them as interface values.
func registerFacts(analyzers []*analysis.Analyzer) {
	for _, a := range analyzers {
		for _, f := range a.FactTypes {
			t := reflect.TypeOf(f)
			if _, loaded := registered.LoadOrStore(t, true); !loaded {
				gob.RegisterName(t.String()+"@"+a.Name, f)
			}
		}
	}
}
