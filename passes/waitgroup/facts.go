package waitgroup

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
)

// Summary is the fact that a function receives a WaitGroup, through a
// *sync.WaitGroup parameter, a field of its receiver or of a pointer
// parameter, or uses a package-level one, and what it does to it. A go
// statement that starts the function is checked with it as precisely as
// a function literal would be, across packages.
type Summary struct {
	Entries []Entry
}

// An Entry summarises what a function does to one WaitGroup.
type Entry struct {
	// Param is the index of the parameter that leads to the WaitGroup,
	// -1 for the receiver, -2 for a package-level variable named
	// Global in the function's package.
	Param  int
	Global string
	// Path is the field path from the parameter to the WaitGroup
	// (".wg"), or "" for the parameter itself.
	Path string
	// Name is the WaitGroup as the function writes it, for messages.
	Name string

	Done     DoneKind
	Adds     bool // calls Add on it
	AddsSelf bool // calls Add before its own Done: it counts itself
	Waits    bool // waits on it on every path
	SelfWait bool // waits on it while its own Done is still to come

	// Where, as "file.go:line": a path that ends without Done
	// (DoneSome), the Add (AddsSelf), the Wait (SelfWait).
	EndAt, AddAt, WaitAt string
	// EndGoexit says the path ends in runtime.Goexit (t.Fatal...), not
	// a return.
	EndGoexit bool
}

func (*Summary) AFact() {}

// String lists the entries, as in "wg: Done once on every path" or
// "s.wg: Done never, adds".
func (f *Summary) String() string {
	var parts []string
	for _, e := range f.Entries {
		s := e.Name + ": " + e.Done.String()
		if e.AddsSelf {
			s += ", adds for itself"
		} else if e.Adds {
			s += ", adds"
		}
		if e.SelfWait {
			s += ", waits for itself"
		} else if e.Waits {
			s += ", waits"
		}
		parts = append(parts, s)
	}
	return "waitgroup(" + strings.Join(parts, "; ") + ")"
}

// hasSummaries is the package fact that a package declares at least one
// function with a Summary. A package that imports neither sync nor such
// a package can't touch a WaitGroup.
type hasSummaries struct{}

func (*hasSummaries) AFact()         {}
func (*hasSummaries) String() string { return "hasSummaries" }

// entriesOf returns the summary entries of the function f. known is
// false when f is being summarised (a recursive call).
func (c *checker) entriesOf(f *types.Func) (entries []Entry, known bool) {
	if fn, ok := c.byObj[f]; ok {
		if fn.state == 1 {
			return nil, false
		}
		return c.entries(fn), true
	}
	fact := new(Summary)
	if f.Pkg() != c.pass.Pkg && c.pass.ImportObjectFact(f, fact) {
		// Read only: the entries are shared with the other package's
		// fact.
		entries = fact.Entries
	}
	return entries, true
}

// entries computes the summary entries of the declared function fn,
// once.
func (c *checker) entries(fn *function) []Entry {
	if e, ok := c.entryCache[fn]; ok {
		return e
	}
	c.scan(fn)
	var out []Entry
	for _, k := range fn.keys {
		param, global, ok := c.summarisable(fn, k)
		if !ok {
			continue
		}
		s := c.summarize(fn, k)
		e := Entry{Param: param, Global: global, Path: k.path, Name: k.String(), Done: s.done, Adds: s.adds, Waits: s.waitsAlways}
		if s.done == DoneSome {
			e.EndAt = c.shortPos(s.end.node.Pos())
			e.EndGoexit = s.end.kind == endGoexit
		}
		if s.addSelf != nil {
			e.AddsSelf, e.AddAt = true, c.shortPos(s.addSelf.at.Pos())
		}
		if s.selfWait != nil {
			e.SelfWait, e.WaitAt = true, c.shortPos(s.selfWait.at.Pos())
		}
		if e.Done == DoneUnknown && !e.Adds && !e.Waits && !e.AddsSelf && !e.SelfWait && param >= 0 && k.path == "" {
			// Nothing to say about a *sync.WaitGroup parameter: its
			// callers treat a WaitGroup passed without an entry as
			// handed on anyway.
			continue
		}
		out = append(out, e)
	}
	c.entryCache[fn] = out
	return out
}

// summarisable reports whether the WaitGroup k of the declared function
// fn can be named by a caller: it is reached from a parameter or the
// receiver through a pointer (a copy would be another WaitGroup), or it
// is a package-level variable.
func (c *checker) summarisable(fn *function, k key) (param int, global string, ok bool) {
	if k.root.Parent() == c.pass.Pkg.Scope() {
		return -2, k.root.Name(), true
	}
	i, ok := fn.paramIndex(k.root)
	if !ok {
		return 0, "", false
	}
	if !c.shared(k) {
		return 0, "", false
	}
	return i, "", true
}

// shared reports whether the WaitGroup k is reached from its root
// through a pointer somewhere on the way, so that the root's caller
// sees the same WaitGroup.
func (c *checker) shared(k key) bool {
	t := k.root.Type()
	if _, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		return true
	}
	for _, name := range splitPath(k.path) {
		st, ok := types.Unalias(t).Underlying().(*types.Struct)
		if !ok {
			return false
		}
		var next types.Type
		for i := 0; i < st.NumFields(); i++ {
			if st.Field(i).Name() == name {
				next = st.Field(i).Type()
			}
		}
		if next == nil {
			return false
		}
		if _, ok := types.Unalias(next).Underlying().(*types.Pointer); ok {
			return true
		}
		t = next
	}
	return false
}

// exportFacts exports the summaries of the package's functions.
func (c *checker) exportFacts() {
	exported := false
	for _, fn := range c.decls {
		if fn.Obj == nil {
			continue
		}
		if entries := c.entries(fn); len(entries) > 0 {
			c.pass.ExportObjectFact(fn.Obj, &Summary{Entries: entries})
			exported = true
		}
	}
	if exported {
		c.pass.ExportPackageFact(new(hasSummaries))
	}
}

// shortPos returns "file.go:line" for pos.
func (c *checker) shortPos(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// worth returns how many Done calls a goroutine running the function
// summarised by e makes on its WaitGroup: 1, 0, or -1 if unknown.
func (e *Entry) worth() int {
	switch {
	case e.Adds:
		return -1
	case e.Done == DoneOnce:
		return 1
	case e.Done == DoneNever:
		return 0
	}
	return -1
}
