package plugin

import (
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"

	"github.com/leaklint/leaklint/passes"
)

func names(t *testing.T, raw any) []string {
	t.Helper()
	p, err := New(raw)
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("leaklint")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Errorf("load mode %q, want %q", p.GetLoadMode(), register.LoadModeTypesInfo)
	}
}

// TestSelection: enable and disable choose passes; the directive
// analyzer, which reports malformed //leaklint:ignore comments, runs
// whatever is chosen.
func TestSelection(t *testing.T) {
	all := len(passes.All()) + 1 // and the directive analyzer
	if got := names(t, nil); len(got) != all || got[len(got)-1] != "directive" {
		t.Errorf("default: %d analyzers, want all %d passes and directive: %v", len(got), all, got)
	}
	if got := names(t, map[string]any{"enable": []any{"unlock"}}); strings.Join(got, ",") != "unlock,directive" {
		t.Errorf("enable [unlock]: %v", got)
	}
	got := names(t, map[string]any{"disable": []any{"unlock"}})
	for _, n := range got {
		if n == "unlock" {
			t.Errorf("disable [unlock] still runs unlock: %v", got)
		}
	}
	if len(got) != all-1 {
		t.Errorf("disable [unlock]: %v", got)
	}
}

func TestFlags(t *testing.T) {
	p, err := New(map[string]any{"timeafter": map[string]any{"all": true}})
	if err != nil {
		t.Fatal(err)
	}
	as, _ := p.BuildAnalyzers()
	for _, a := range as {
		want := "false"
		if a.Name == "timeafter" {
			want = "true"
		}
		if f := a.Flags.Lookup("all"); f != nil && f.Value.String() != want {
			t.Errorf("%s.all = %s, want %s", a.Name, f.Value, want)
		}
	}
	// The plugin's instances are its own: the binary's defaults are
	// untouched.
	if v := passes.Analyzers()[0].Flags.Lookup("all"); v != nil && v.Value.String() != "false" {
		t.Errorf("the default timeafter analyzer was changed: all = %s", v.Value)
	}
}

func TestStrictSettings(t *testing.T) {
	for _, tc := range []struct {
		raw  any
		want string // part of the error
	}{
		{map[string]any{"timeafter": map[string]any{"al": true}}, `unknown setting "timeafter.al" (timeafter's settings: all)`},
		{map[string]any{"nosuchpass": map[string]any{}}, `unknown setting "nosuchpass"`},
		{map[string]any{"enable": []any{"timeafterr"}}, `enable: unknown pass "timeafterr"`},
		{map[string]any{"enable": "unlock"}, `enable: want a list of pass names`},
		{map[string]any{"unlock": true}, `unlock: want a map of the pass's flags`},
		{map[string]any{"unlock": map[string]any{"defer": "maybe"}}, `unlock.defer: invalid value "maybe"`},
		{"unlock", `want a map of settings`},
	} {
		_, err := New(tc.raw)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%v): error %v, want it to contain %q", tc.raw, err, tc.want)
		}
	}
}
