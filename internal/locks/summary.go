package locks

import (
	"go/ast"
	"go/types"
	"reflect"
	"sort"
	"strings"

	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/flow"
)

// Summary is the fact that a function operates on locks its callers can
// name.
type Summary struct {
	Acquires []Ref // returns holding these, on every path
	Releases []Ref // releases these, held by its caller, on every path
	Takes    []Ref // acquires and releases these itself
}

func (*Summary) AFact() {}

func (s *Summary) String() string {
	var parts []string
	add := func(name string, refs []Ref) {
		if len(refs) == 0 {
			return
		}
		var rs []string
		for _, r := range refs {
			rs = append(rs, r.String())
		}
		parts = append(parts, name+"("+strings.Join(rs, ",")+")")
	}
	add("acquires", s.Acquires)
	add("releases", s.Releases)
	add("takes", s.Takes)
	return "locks " + strings.Join(parts, " ")
}

func (s *Summary) empty() bool {
	return len(s.Acquires) == 0 && len(s.Releases) == 0 && len(s.Takes) == 0
}

func (s *Summary) equal(t *Summary) bool {
	return reflect.DeepEqual(s, t)
}

// ---- summaries ----

// summarise computes fn's Summary from its events.
func (b *builder) summarise(fn *Func) *Summary {
	s := new(Summary)
	ix := fn.Index()
	seenTake := make(map[Ref]bool)
	// A function named fooLocked is called with the lock held, by
	// convention: what it acquires is a re-acquisition after releasing
	// the caller's lock, never a lock it takes on its own.
	lockedName := false
	if fn.Obj != nil {
		lockedName = strings.HasSuffix(strings.ToLower(fn.Obj.Name()), "locked")
	}
	reacquired := b.reacquired(fn)
	for node, evs := range fn.Events {
		for _, e := range evs {
			r, ok := b.ref(fn, e.Path)
			if !ok {
				continue
			}
			r.Read = e.Op.Read()
			blk, i := ix.Locate(node.Pos())
			if blk == nil {
				continue
			}
			always := fn.OnEveryPath(node)
			switch {
			case e.Op.Acquire() && !e.Takes:
				// Returns holding it, if no path after it releases it
				// and the acquisition is on every path.
				releasedLater := flow.UncoveredExit(blk, i, func(n ast.Node) bool {
					return releases(fn.Events[n], e.Path)
				}) == nil
				if always && !releasedLater && !fn.Handed[e.Path] && !hasRelease(fn, e.Path) {
					add(&s.Acquires, r)
				} else if lockedName || reacquired[e] {
					// Released and taken back: the caller held it.
				} else {
					rt := r
					rt.Always = always && (e.Via == nil || e.Always)
					if !seenTake[rt] {
						seenTake[rt] = true
						add(&s.Takes, rt)
					}
				}
			case e.Op.Acquire() && e.Takes:
				if lockedName || reacquired[e] {
					break
				}
				rt := r
				rt.Always = always && e.Always
				if !seenTake[rt] {
					seenTake[rt] = true
					add(&s.Takes, rt)
				}
			case e.Op.Release():
				// Releases the caller's lock: no acquisition of it in fn,
				// and every path out of fn releases it (in one place or
				// in several branches: the "...AndUnlock" helpers).
				if b.releasedOnEveryPath(fn, e.Path) {
					add(&s.Releases, r)
				}
			}
		}
	}
	sortRefs(s.Acquires)
	sortRefs(s.Releases)
	sortRefs(s.Takes)
	// A lock that is both taken with Always and without is listed twice;
	// keep the stronger entry only.
	s.Takes = dedupeTakes(s.Takes)
	return s
}

// reacquired returns the acquisitions of fn that a release of the same
// lock in fn can reach: the function gives its caller's lock up for a
// while and takes it back (mu.Unlock(); slow(); mu.Lock()).
//
// One search per lock, from all its releases at once, keeps this linear
// in the size of the function: a search per release would cost the rest
// of the function each time.
func (b *builder) reacquired(fn *Func) map[*Event]bool {
	out := make(map[*Event]bool)
	ix := fn.Index()
	// The blocks, and the index within them, just after which each lock
	// is released.
	type point struct {
		blk *cfg.Block
		i   int
	}
	starts := make(map[Path][]point)
	var order []Path // for a deterministic walk
	for node, evs := range fn.Events {
		for _, rel := range evs {
			if !rel.Op.Release() || rel.Deferred {
				continue
			}
			blk, i := ix.Locate(node.Pos())
			if blk == nil {
				continue
			}
			if _, ok := starts[rel.Path]; !ok {
				order = append(order, rel.Path)
			}
			starts[rel.Path] = append(starts[rel.Path], point{blk, i})
		}
	}
	for _, p := range order {
		mark := func(n ast.Node) {
			for _, e := range fn.Events[n] {
				if e.Path == p && e.Op.Acquire() {
					out[e] = true
				}
			}
		}
		// The rest of each release's own block from its first release,
		// then the successors.
		first := make(map[*cfg.Block]int)
		var blocks []*cfg.Block
		for _, pt := range starts[p] {
			if i, ok := first[pt.blk]; !ok || pt.i < i {
				if !ok {
					blocks = append(blocks, pt.blk)
				}
				first[pt.blk] = pt.i
			}
		}
		var after []*cfg.Block
		for _, blk := range blocks {
			for _, n := range blk.Nodes[first[blk]+1:] {
				mark(n)
			}
			after = append(after, blk.Succs...)
		}
		flow.Walk(after, func(blk *cfg.Block) flow.Step {
			for _, n := range blk.Nodes {
				mark(n)
			}
			return flow.Next
		}, nil)
	}
	return out
}

// releasedOnEveryPath reports whether every path from fn's entry to a
// return releases p before acquiring it: fn releases its caller's lock,
// in one place or in several branches (the "...AndUnlock" helpers), and
// may take it again later (memoised per function and lock).
func (b *builder) releasedOnEveryPath(fn *Func, p Path) bool {
	if v, ok := fn.relAlways[p]; ok {
		return v
	}
	// No path reaches a return, or an acquisition, before a release.
	first := func(n ast.Node) *Event {
		for _, e := range fn.Events[n] {
			if e.Path == p && !e.Deferred {
				return e
			}
		}
		return nil
	}
	// defer mu.Unlock() before any acquisition releases the caller's lock
	// on every way out after it (pebble's tryGrantLockedAndUnlock).
	deferredRelease := func(n ast.Node) bool {
		d, ok := n.(*ast.DeferStmt)
		if !ok {
			return false
		}
		for _, e := range fn.Events[n] {
			// The deferred call itself (defer mu.Unlock(), defer
			// s.unlock()), not a release inside a deferred literal,
			// which may pair with its own Lock.
			if e.Path == p && e.Deferred && e.Op.Release() && e.Call == d.Call {
				return true
			}
		}
		return false
	}
	v := flow.Search{
		Covers: func(n ast.Node) bool {
			e := first(n)
			return e != nil && e.Op.Release() || deferredRelease(n)
		},
		Target: func(n ast.Node) bool {
			e := first(n)
			return e != nil && (e.Op.Acquire() && !e.Takes || e.Op == TryLock || e.Op == TryRLock)
		},
	}.From(fn.CFG.Blocks[0], -1) == nil
	if v {
		// Taking it back and returning with it (doTLSHandshake: unlock,
		// handshake, lock again for the caller) is no release at all.
		ix := fn.Index()
		for n, evs := range fn.Events {
			for _, e := range evs {
				if e.Path == p && e.Op.Acquire() && e.Deferred {
					// mu.Unlock(); defer mu.Lock(): taken back on the
					// way out (pebble's disableFileDeletions).
					v = false
				}
				if e.Path != p || !e.Op.Acquire() || e.Takes || e.Deferred {
					continue
				}
				blk, i := ix.Locate(n.Pos())
				if blk == nil {
					continue
				}
				target := n
				if (flow.Search{Covers: deferredRelease, Target: func(m ast.Node) bool { return m == target }}).From(fn.CFG.Blocks[0], -1) == nil {
					continue // a deferred release registered before it ends every path
				}
				if flow.UncoveredExit(blk, i, func(m ast.Node) bool { return releases(fn.Events[m], p) }) != nil {
					v = false
				}
			}
		}
	}
	if fn.relAlways == nil {
		fn.relAlways = make(map[Path]bool)
	}
	fn.relAlways[p] = v
	return v
}

func add(list *[]Ref, r Ref) {
	for _, x := range *list {
		if x == r {
			return
		}
	}
	*list = append(*list, r)
}

func sortRefs(rs []Ref) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].String() < rs[j].String() })
}

func dedupeTakes(rs []Ref) []Ref {
	always := make(map[Ref]bool)
	for _, r := range rs {
		if r.Always {
			k := r
			k.Always = false
			always[k] = true
		}
	}
	var out []Ref
	for _, r := range rs {
		if !r.Always && always[r] {
			continue
		}
		out = append(out, r)
	}
	return out
}

// ref expresses a lock path of fn relative to its parameters or as a
// global, if its callers can name it.
func (b *builder) ref(fn *Func, p Path) (Ref, bool) {
	if p.Root == nil {
		return Ref{}, false
	}
	if p.IsGlobal() {
		return Ref{Param: -1, Global: p.Root.Pkg().Path() + "." + p.Root.Name(), Fields: p.Fields}, true
	}
	if fn.Obj == nil {
		return Ref{}, false
	}
	sig := fn.Obj.Signature()
	i := 0
	if sig.Recv() != nil {
		if sig.Recv() == p.Root {
			return Ref{Param: 0, Fields: p.Fields}, true
		}
		i = 1
	}
	for j := 0; j < sig.Params().Len(); j++ {
		if sig.Params().At(j) == p.Root {
			// A parameter passed by value is a copy: its mutex is not
			// the caller's, unless it is a pointer.
			if _, isPtr := types.Unalias(p.Root.Type()).Underlying().(*types.Pointer); !isPtr && p.Fields == "" {
				if !isLockerInterface(p.Root.Type()) {
					return Ref{}, false
				}
			}
			return Ref{Param: i + j, Fields: p.Fields}, true
		}
	}
	return Ref{}, false
}

// releases reports whether evs release p (now or deferred).
func releases(evs []*Event, p Path) bool {
	for _, e := range evs {
		if e.Op.Release() && e.Path == p {
			return true
		}
	}
	return false
}

func hasRelease(fn *Func, p Path) bool {
	for _, evs := range fn.Events {
		if releases(evs, p) {
			return true
		}
	}
	return false
}

// callerHeld returns the locks fn releases, on some path from its entry,
// before acquiring them.
func callerHeld(fn *Func) map[Path]bool {
	out := make(map[Path]bool)
	seen := make(map[Path]bool)
	for _, evs := range fn.Events {
		for _, e := range evs {
			if !e.Op.Release() || e.Deferred || seen[e.Path] {
				continue
			}
			p := e.Path
			seen[p] = true
			hit := flow.Search{
				Target: func(n ast.Node) bool {
					for _, x := range fn.Events[n] {
						if x.Path == p && !x.Deferred {
							return x.Op.Release()
						}
					}
					return false
				},
				Covers: func(n ast.Node) bool {
					for _, x := range fn.Events[n] {
						if x.Path == p && !x.Deferred {
							return x.Op.Acquire() || x.Op == TryLock || x.Op == TryRLock
						}
					}
					return false
				},
				Exit: func(*cfg.Block) bool { return false },
			}.From(fn.CFG.Blocks[0], -1)
			if hit != nil {
				out[p] = true
			}
		}
	}
	return out
}
