package locks_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/leaklint/leaklint/internal/locks"
)

const elemsLib = `package p

import "sync"

type Table struct {
	sync.RWMutex
	m map[string]*sync.Mutex
	e map[int]*Entry
	l map[int]sync.Locker
	a [4]sync.Mutex
	s []*Entry
}

type Entry struct {
	mu sync.Mutex
	n  int
}

var Global map[string]*sync.Mutex

// KeyLock returns holding the key's mutex.
func (t *Table) KeyLock(k string) {
	t.Lock()
	t.m[k].Lock()
	t.Unlock()
}

func (t *Table) Inc(k int) {
	t.e[k].mu.Lock()
	t.e[k].n++
	t.e[k].mu.Unlock()
}

func (t *Table) Any(k int) {
	t.l[k].Lock()
	t.l[k].Unlock()
}

func (t *Table) Stripe(i int) {
	t.a[i].Lock()
	t.s[i].mu.Lock()
	t.s[i].mu.Unlock()
	t.a[i].Unlock()
}

func G(k string) {
	Global[k].Lock()
	Global[k].Unlock()
}
`

const elemsSrc = `package q

import "m/p"

func Use(t *p.Table) {
	t.KeyLock("a")
	t.Inc(1) // @inc
}
`

// TestElems checks that an element of a map, slice or array is a Path
// of its own kind: one for every key (Elem), of the class of the owner
// of the field or of the element's own type, kept out of Events and held
// only for HeldAllAt, and carried through Summary facts across packages.
func TestElems(t *testing.T) {
	f := analyse(t, map[string]string{"p/p.go": elemsLib, "q/q.go": elemsSrc})
	elems := func(fn *locks.Func) []string {
		var out []string
		for _, evs := range fn.Elems {
			for _, e := range evs {
				s := fmt.Sprintf("%d %s %s [%s]", f.line(e.Pos()), e.Op, e.Path, e.Path.Class())
				if e.Via != nil {
					s += " via " + e.Via.Name()
				}
				if !e.Path.Elem() {
					s += " NOT ELEM"
				}
				out = append(out, s)
			}
		}
		sort.Strings(out)
		return out
	}
	at := func(src, marker string, offset int) int { return lineOf(t, src, marker) + offset }
	for _, tc := range []struct {
		pkg, fn string
		events  []string // Events: the table's own lock only
		elems   []string
	}{
		{"m/p", "Table.KeyLock",
			[]string{fmt.Sprintf("%d Lock t.RWMutex", at(elemsLib, "func (t *Table) KeyLock", 1)), fmt.Sprintf("%d Unlock t.RWMutex", at(elemsLib, "func (t *Table) KeyLock", 3))},
			[]string{fmt.Sprintf("%d Lock t.m[] [(*m/p.Table).m[]]", at(elemsLib, "func (t *Table) KeyLock", 2))}},
		// An element with a mutex field of its own: that field's class.
		{"m/p", "Table.Inc", nil, []string{
			fmt.Sprintf("%d Lock t.e[].mu [(*m/p.Entry).mu]", at(elemsLib, "func (t *Table) Inc", 1)),
			fmt.Sprintf("%d Unlock t.e[].mu [(*m/p.Entry).mu]", at(elemsLib, "func (t *Table) Inc", 3)),
		}},
		// A sync.Locker element is any lock: no class.
		{"m/p", "Table.Any", nil, []string{
			fmt.Sprintf("%d Lock t.l[] []", at(elemsLib, "func (t *Table) Any", 1)),
			fmt.Sprintf("%d Unlock t.l[] []", at(elemsLib, "func (t *Table) Any", 2)),
		}},
		// Arrays and slices: the same, per index.
		{"m/p", "Table.Stripe", nil, []string{
			fmt.Sprintf("%d Lock t.a[] [(*m/p.Table).a[]]", at(elemsLib, "func (t *Table) Stripe", 1)),
			fmt.Sprintf("%d Lock t.s[].mu [(*m/p.Entry).mu]", at(elemsLib, "func (t *Table) Stripe", 2)),
			fmt.Sprintf("%d Unlock t.s[].mu [(*m/p.Entry).mu]", at(elemsLib, "func (t *Table) Stripe", 3)),
			fmt.Sprintf("%d Unlock t.a[] [(*m/p.Table).a[]]", at(elemsLib, "func (t *Table) Stripe", 4)),
		}},
		{"m/p", "G", nil, []string{
			fmt.Sprintf("%d Lock Global[] [m/p.Global[]]", at(elemsLib, "func G", 1)),
			fmt.Sprintf("%d Unlock Global[] [m/p.Global[]]", at(elemsLib, "func G", 2)),
		}},
		// Through KeyLock's fact, in another package.
		{"m/q", "Use",
			[]string{fmt.Sprintf("%d Lock t.RWMutex via KeyLock takes", at(elemsSrc, "func Use", 1))},
			[]string{
				fmt.Sprintf("%d Lock t.m[] [(*m/p.Table).m[]] via KeyLock", at(elemsSrc, "func Use", 1)),
				fmt.Sprintf("%d Lock t.e[].mu [(*m/p.Entry).mu] via Inc", at(elemsSrc, "func Use", 2)),
			}},
	} {
		fn := f.fn(tc.pkg, tc.fn)
		if got := f.events(fn); strings.Join(got, "|") != strings.Join(tc.events, "|") {
			t.Errorf("%s: Events\n%q\nwant\n%q", tc.fn, got, tc.events)
		}
		if got := elems(fn); strings.Join(got, "|") != strings.Join(tc.elems, "|") {
			t.Errorf("%s: Elems\n%q\nwant\n%q", tc.fn, got, tc.elems)
		}
	}
	if got := f.facts("m/p")["Table.KeyLock"]; got != "locks acquires($0.m[]) takes($0.RWMutex)" {
		t.Errorf("KeyLock's fact: %q", got)
	}

	// Held: the key's mutex after KeyLock for HeldAllAt, not for HeldAt.
	use := f.fn("m/q", "Use")
	n := f.node(use, lineOf(t, elemsSrc, "@inc"))
	if h := use.HeldAt(f.info("m/q"), n); len(h) != 0 {
		t.Errorf("HeldAt after KeyLock: %v, want none (map elements are not Events)", h)
	}
	var all []string
	for _, h := range use.HeldAllAt(f.info("m/q"), n) {
		all = append(all, h.Path.String())
	}
	if strings.Join(all, ",") != "t.m[]" {
		t.Errorf("HeldAllAt after KeyLock: %v, want t.m[]", all)
	}
}
