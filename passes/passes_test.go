package passes_test

import (
	"flag"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/directive"
	"github.com/leaklint/leaklint/internal/doc"
	"github.com/leaklint/leaklint/passes"
)

func TestRegistry(t *testing.T) {
	all := passes.All()
	if len(all) == 0 {
		t.Fatal("empty registry")
	}
	if err := analysis.Validate(passes.Analyzers()); err != nil {
		t.Fatalf("analysis.Validate: %v", err)
	}
	// The directive checker's list of known passes must contain every
	// registered pass, in the same relative order.
	last := -1
	for _, p := range all {
		i := slices.Index(directive.Known, p.Name)
		if i < 0 {
			t.Errorf("pass %s is missing from directive.Known", p.Name)
		} else if i < last {
			t.Errorf("pass %s is out of order in directive.Known", p.Name)
		}
		last = i
	}
	for _, p := range all {
		t.Run(p.Name, func(t *testing.T) {
			a := p.Default
			if a.Name != p.Name {
				t.Errorf("analyzer name %q, registry name %q", a.Name, p.Name)
			}
			if got, ok := passes.Lookup(p.Name); !ok || got.Default != a {
				t.Errorf("Lookup(%q) failed", p.Name)
			}
			if !strings.HasSuffix(a.URL, "/passes/"+p.Name) {
				t.Errorf("URL %q does not point at the pass's package", a.URL)
			}
			title := doc.Title(a.Doc)
			if title == "" || len(title) > 65 || strings.HasSuffix(title, ".") || !unicode.IsLower(rune(title[0])) {
				t.Errorf("title %q: want lower case, no period, at most about 60 characters", title)
			}
			if !strings.Contains(a.Doc, "// WRONG") || !strings.Contains(a.Doc, "// RIGHT") {
				t.Errorf("doc of %s has no // WRONG and // RIGHT example", p.Name)
			}
			if !a.RunDespiteErrors {
				t.Errorf("%s does not run despite errors: a broken package would fail its importers", p.Name)
			}
			// New returns independent instances with the same flags.
			n1, n2 := p.New(), p.New()
			if n1 == n2 || n1 == a || n2 == a {
				t.Error("New returned a shared instance")
			}
			var f1, f2 []string
			n1.Flags.VisitAll(func(f *flag.Flag) { f1 = append(f1, f.Name) })
			a.Flags.VisitAll(func(f *flag.Flag) { f2 = append(f2, f.Name) })
			if !reflect.DeepEqual(f1, f2) {
				t.Errorf("New has flags %v, Default has %v", f1, f2)
			}
		})
	}
	if _, ok := passes.Lookup("nosuchpass"); ok {
		t.Error("Lookup found a pass that does not exist")
	}
}
