package runner

import (
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"reflect"
	"runtime/debug"
	"slices"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// analyse runs the analyzers on u, whose syntax and types are c: all of
// them on a root package, those with facts (and what they require) on a
// dependency. It records u's outcomes and facts; c and the analyzers'
// results are garbage once it returns.
func (r *run) analyse(u *unit, c *checked) {
	list := r.depSet
	if u.root {
		list = r.rootSet
	}
	u.facts = newFactSet()
	results := make(map[*analysis.Analyzer]any)
	failedOn := make(map[*analysis.Analyzer]bool)
	module := &analysis.Module{}
	if u.meta.Module != nil {
		module = moduleOf(u.meta.Module)
	}
	vis := &visibility{r: r, u: u}
	for _, a := range list {
		t0 := time.Now()
		var failed []string
		for _, req := range a.Requires {
			if failedOn[req] {
				failed = append(failed, req.Name+"@"+u.meta.ID)
			}
		}
		if len(a.FactTypes) > 0 {
			for _, d := range u.imps {
				if o := d.pkg.Outcome(a.Name); o != nil && o.Err != "" {
					failed = append(failed, a.Name+"@"+d.meta.ID)
				}
			}
		}
		var diags []analysis.Diagnostic
		err := failedPrerequisites(failed)
		if err == nil && u.pkg.IllTyped && !a.RunDespiteErrors {
			err = errors.New("analysis skipped due to errors in package")
		}
		if err == nil {
			inputs := make(map[*analysis.Analyzer]any, len(a.Requires))
			for _, req := range a.Requires {
				inputs[req] = results[req]
			}
			pass := &analysis.Pass{
				Analyzer:     a,
				Fset:         r.fset,
				Files:        c.files,
				OtherFiles:   u.meta.OtherFiles,
				IgnoredFiles: u.meta.IgnoredFiles,
				Pkg:          c.pkg,
				TypesInfo:    c.info,
				TypesSizes:   u.meta.TypesSizes,
				TypeErrors:   c.typeErrors,
				Module:       module,
				ResultOf:     inputs,
				Report:       func(d analysis.Diagnostic) { diags = append(diags, d) },
				ReadFile:     readFileOf(u.meta),
			}
			vis.install(pass, a)
			var result any
			result, err = runPass(pass)
			pass.ExportObjectFact = nil
			pass.ExportPackageFact = nil
			if err == nil {
				results[a] = result
			}
		}
		out := Outcome{Analyzer: a.Name, Duration: time.Since(t0)}
		if err != nil {
			failedOn[a] = true
			out.Err = err.Error()
		} else if u.root && slices.Contains(r.selected, a) {
			for _, d := range diags {
				out.Diagnostics = append(out.Diagnostics, resolve(r.fset, d))
			}
		}
		u.pkg.Outcomes = append(u.pkg.Outcomes, out)
	}
}

// runPass runs the pass's analyzer; a panic is the action's error, as
// the binary must not crash on any package.
func runPass(pass *analysis.Pass) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %s panicked on package %s: %v\n%s", pass.Analyzer.Name, pass.Pkg.Path(), p, debug.Stack())
		}
	}()
	result, err = pass.Analyzer.Run(pass)
	if err != nil {
		return nil, err
	}
	if got, want := reflect.TypeOf(result), pass.Analyzer.ResultType; got != want {
		return nil, fmt.Errorf("internal error: on package %s, analyzer %s returned a result of type %v, but declared ResultType %v",
			pass.Pkg.Path(), pass.Analyzer, got, want)
	}
	return result, nil
}

// resolve turns a diagnostic into one that outlives the file set's
// package.
func resolve(fset *token.FileSet, d analysis.Diagnostic) Diagnostic {
	out := Diagnostic{
		Category: d.Category,
		Posn:     fset.Position(d.Pos),
		End:      fset.Position(d.End),
		Message:  d.Message,
		URL:      d.URL,
	}
	for _, rel := range d.Related {
		out.Related = append(out.Related, Related{Posn: fset.Position(rel.Pos), End: fset.Position(rel.End), Message: rel.Message})
	}
	for _, fix := range d.SuggestedFixes {
		f := Fix{Message: fix.Message}
		for _, e := range fix.TextEdits {
			f.Edits = append(f.Edits, Edit{Start: fset.Position(e.Pos), End: fset.Position(e.End), New: string(e.NewText)})
		}
		out.Fixes = append(out.Fixes, f)
	}
	return out
}

// Resolve is resolve for drivers that run x/tools' checker.
func Resolve(fset *token.FileSet, d analysis.Diagnostic) Diagnostic { return resolve(fset, d) }

// readFileOf returns a Pass.ReadFile that reads only the package's own
// files, as the checker's does.
func readFileOf(meta *packages.Package) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		for _, list := range [][]string{meta.GoFiles, meta.CompiledGoFiles, meta.OtherFiles, meta.IgnoredFiles, meta.EmbedFiles} {
			if slices.Contains(list, name) {
				return os.ReadFile(name)
			}
		}
		return nil, fmt.Errorf("Pass.ReadFile: %s is not among package %s's files", name, meta.ID)
	}
}

func moduleOf(m *packages.Module) *analysis.Module {
	if m == nil {
		return nil
	}
	var modErr *analysis.ModuleError
	if m.Error != nil {
		modErr = &analysis.ModuleError{Err: m.Error.Err}
	}
	return &analysis.Module{
		Path: m.Path, Version: m.Version, Replace: moduleOf(m.Replace), Time: m.Time,
		Main: m.Main, Indirect: m.Indirect, Dir: m.Dir, GoMod: m.GoMod,
		GoVersion: m.GoVersion, Error: modErr,
	}
}

// unitOf returns the unit whose types are pkg, or nil.
func (r *run) unitOf(pkg *types.Package) *unit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byTypes[pkg]
}
