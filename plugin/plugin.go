// Package plugin is leaklint's golangci-lint v2 module plugin: it
// registers one linter, "leaklint", that runs the passes of the registry
// (github.com/leaklint/leaklint/passes) with the settings of the
// golangci-lint configuration.
//
// Build a golangci-lint that includes it with `golangci-lint custom` and a
// .custom-gcl.yml (see docs/golangci/), then enable it:
//
//	version: "2"
//	linters:
//	  enable:
//	    - leaklint
//	  settings:
//	    custom:
//	      leaklint:
//	        type: module
//	        description: goroutine leaks and unbounded blocking
//	        settings:
//	          disable: [timeafter]     # or enable: [unlock] to run only those
//	          unlock:
//	            defer: true            # each pass's flags, as in leaklint help PASS
//
// The settings are decoded strictly: an unknown key, pass or flag is an
// error that names it, so a typo never silently turns a check off.
// Findings are reported as "PASS: message (leaklint)"; suppress them with
// //nolint:leaklint or with leaklint's own //leaklint:ignore PASS reason.
package plugin

import (
	"flag"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/directive"
	"github.com/leaklint/leaklint/passes"
)

func init() {
	register.Plugin("leaklint", New)
}

// Settings are the plugin's settings once validated.
type Settings struct {
	// Enable, if not empty, lists the only passes to run.
	Enable []string
	// Disable lists passes not to run.
	Disable []string
	// Flags holds each pass's flag values, by pass and flag name.
	Flags map[string]map[string]string
}

// New is the plugin's constructor, called by golangci-lint with the raw
// settings of the configuration file.
func New(raw any) (register.LinterPlugin, error) {
	s, err := Decode(raw)
	if err != nil {
		return nil, err
	}
	return &plugin{settings: s}, nil
}

// Decode validates raw settings (as golangci-lint decodes them from YAML
// or JSON: nested maps) and returns them.
func Decode(raw any) (Settings, error) {
	s := Settings{Flags: make(map[string]map[string]string)}
	if raw == nil {
		return s, nil
	}
	top, ok := raw.(map[string]any)
	if !ok {
		return s, fmt.Errorf("leaklint settings: want a map of settings, got %T", raw)
	}
	known := passNames()
	for _, key := range sortedKeys(top) {
		value := top[key]
		switch {
		case key == "enable" || key == "disable":
			list, err := stringList(value)
			if err != nil {
				return s, fmt.Errorf("leaklint settings: %s: %v", key, err)
			}
			for _, name := range list {
				if !slices.Contains(known, name) {
					return s, fmt.Errorf("leaklint settings: %s: unknown pass %q (passes: %s)", key, name, strings.Join(known, ", "))
				}
			}
			if key == "enable" {
				s.Enable = list
			} else {
				s.Disable = list
			}
		case slices.Contains(known, key):
			flags, ok := value.(map[string]any)
			if !ok {
				return s, fmt.Errorf("leaklint settings: %s: want a map of the pass's flags, got %T", key, value)
			}
			p, _ := passes.Lookup(key)
			a := p.New()
			for _, name := range sortedKeys(flags) {
				f := a.Flags.Lookup(name)
				if f == nil {
					return s, fmt.Errorf("leaklint settings: unknown setting %q (%s's settings: %s)", key+"."+name, key, flagNames(a))
				}
				v := fmt.Sprint(flags[name])
				if err := a.Flags.Set(name, v); err != nil {
					return s, fmt.Errorf("leaklint settings: %s.%s: invalid value %q: %v", key, name, v, err)
				}
				if s.Flags[key] == nil {
					s.Flags[key] = make(map[string]string)
				}
				s.Flags[key][name] = v
			}
		default:
			return s, fmt.Errorf("leaklint settings: unknown setting %q (settings: enable, disable, and one map per pass: %s)", key, strings.Join(known, ", "))
		}
	}
	return s, nil
}

type plugin struct {
	settings Settings
}

// BuildAnalyzers returns fresh analyzers of the selected passes, with the
// configured flags set on each instance.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	var out []*analysis.Analyzer
	for _, entry := range passes.All() {
		if len(p.settings.Enable) > 0 && !slices.Contains(p.settings.Enable, entry.Name) {
			continue
		}
		if slices.Contains(p.settings.Disable, entry.Name) {
			continue
		}
		a := entry.New()
		for name, value := range p.settings.Flags[entry.Name] {
			if err := a.Flags.Set(name, value); err != nil {
				return nil, fmt.Errorf("leaklint: %s.%s: %v", entry.Name, name, err)
			}
		}
		out = append(out, a)
	}
	// Malformed //leaklint:ignore directives are reported whichever
	// passes run.
	out = append(out, directive.Analyzer)
	return out, nil
}

// GetLoadMode asks for type information: the passes need types and
// facts.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

func passNames() []string {
	var names []string
	for _, p := range passes.All() {
		names = append(names, p.Name)
	}
	return names
}

func flagNames(a *analysis.Analyzer) string {
	var names []string
	a.Flags.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func stringList(v any) ([]string, error) {
	items, ok := v.([]any)
	if !ok {
		if strs, ok := v.([]string); ok {
			return strs, nil
		}
		return nil, fmt.Errorf("want a list of pass names, got %T", v)
	}
	var out []string
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("want pass names, got %v (%T)", it, it)
		}
		out = append(out, s)
	}
	return out, nil
}
