package driver

import (
	"regexp"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestDelegated(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"./..."}, false},
		{[]string{"std"}, false},
		{[]string{"help"}, false}, // our own help
		{[]string{"-fix", "./..."}, true},
		{[]string{"--fix", "./..."}, true},
		{[]string{"-fix=true", "./..."}, true},
		{[]string{"-fix=false", "./..."}, false},
		{[]string{"-diff", "-fix", "./..."}, true},
		{[]string{"-flags"}, true},
		{[]string{"-timeafter.all", "/tmp/vet123/vet.cfg"}, true},
		{[]string{"-c", "2", "./..."}, false},
		{[]string{"-c", "2", "x.cfg"}, true}, // the value of -c is not the package
		{[]string{"-format", "json", "a.cfg", "b.cfg"}, false},
		{[]string{"-V=full"}, false},
		{[]string{"--", "-fix"}, false},
	} {
		if got := Delegated(tc.args); got != tc.want {
			t.Errorf("Delegated(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestSelectAnalyzers(t *testing.T) {
	a := &analysis.Analyzer{Name: "a"}
	b := &analysis.Analyzer{Name: "b"}
	c := &analysis.Analyzer{Name: "c"}
	all := []*analysis.Analyzer{a, b, c}
	names := func(as []*analysis.Analyzer) string {
		s := ""
		for _, x := range as {
			s += x.Name
		}
		return s
	}
	for _, tc := range []struct {
		set  map[string]string
		want string
	}{
		{nil, "abc"},
		{map[string]string{"b": "false"}, "ac"},
		{map[string]string{"b": "true"}, "b"},
		{map[string]string{"a": "true", "c": "true"}, "ac"},
		{map[string]string{"a": "true", "b": "false"}, "a"},
	} {
		enabled := map[*analysis.Analyzer]*triState{a: new(triState), b: new(triState), c: new(triState)}
		for _, x := range all {
			if v, ok := tc.set[x.Name]; ok {
				if err := enabled[x].Set(v); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := names(selectAnalyzers(all, enabled)); got != tc.want {
			t.Errorf("flags %v select %q, want %q", tc.set, got, tc.want)
		}
	}
	var ts triState
	if ts.Set("maybe") == nil {
		t.Error("triState accepted a non-boolean")
	}
}

func TestVersions(t *testing.T) {
	// A test binary has no module version: the devel form, with a hash
	// of the executable, is what go vet needs to key its cache.
	if v := vetVersion("leaklint"); !regexp.MustCompile(`^leaklint version devel ` + regexp.QuoteMeta(Version) + ` buildID=[0-9a-f]{64}$`).MatchString(v) {
		t.Errorf("vetVersion = %q", v)
	}
	if v := humanVersion("leaklint"); !regexp.MustCompile(`^leaklint ` + regexp.QuoteMeta(Version) + ` \(.*go1\.\d+.*\)$`).MatchString(v) {
		t.Errorf("humanVersion = %q", v)
	}
}

func TestRaisedLimit(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct{ live, limit, want int64 }{
		{100 * mb, 1536 * mb, 1536 * mb},  // far below: unchanged
		{1000 * mb, 1250 * mb, 1250 * mb}, // exactly four fifths: unchanged
		{1300 * mb, 1536 * mb, 1625 * mb}, // above: live and a quarter again
		{4000 * mb, 1536 * mb, 5000 * mb}, // a live heap over the limit: never below it
	} {
		if got := raisedLimit(c.live, c.limit); got != c.want {
			t.Errorf("raisedLimit(%d MB, %d MB) = %d MB, want %d MB", c.live/mb, c.limit/mb, got/mb, c.want/mb)
		}
	}
}
