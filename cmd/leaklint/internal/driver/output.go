package driver

import (
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/leaklint/leaklint/cmd/leaklint/internal/runner"
)

// The JSON output is x/tools' (go vet -json's): package ID → analyzer →
// findings or {"error": ...}; findings of root packages only, errors of
// every package.
type (
	jsonTree       map[string]map[string]any
	jsonDiagnostic struct {
		Category       string        `json:"category,omitempty"`
		Posn           string        `json:"posn"`
		End            string        `json:"end"`
		Message        string        `json:"message"`
		SuggestedFixes []jsonFix     `json:"suggested_fixes,omitempty"`
		Related        []jsonRelated `json:"related,omitempty"`
	}
	jsonFix struct {
		Message string     `json:"message"`
		Edits   []jsonEdit `json:"edits"`
	}
	jsonEdit struct {
		Filename string `json:"filename"`
		Start    int    `json:"start"`
		End      int    `json:"end"`
		New      string `json:"new"`
	}
	jsonRelated struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	jsonError struct {
		Err string `json:"error"`
	}
)

// orPosn returns end, or posn when end is unknown.
func orPosn(end, posn token.Position) token.Position {
	if end.IsValid() {
		return end
	}
	return posn
}

// printRunnerJSON prints the runner's result in the JSON shape.
func printRunnerJSON(w io.Writer, res *runner.Result) error {
	tree := make(jsonTree)
	for _, pkg := range res.Order {
		for _, o := range pkg.Outcomes {
			var v any
			if o.Err != "" {
				v = jsonError{o.Err}
			} else if pkg.Root && len(o.Diagnostics) > 0 {
				list := make([]jsonDiagnostic, 0, len(o.Diagnostics))
				for _, d := range o.Diagnostics {
					jd := jsonDiagnostic{
						Category: d.Category,
						Posn:     d.Posn.String(),
						End:      orPosn(d.End, d.Posn).String(),
						Message:  d.Message,
					}
					for _, fix := range d.Fixes {
						jf := jsonFix{Message: fix.Message}
						for _, e := range fix.Edits {
							jf.Edits = append(jf.Edits, jsonEdit{Filename: e.Start.Filename, Start: e.Start.Offset, End: e.End.Offset, New: e.New})
						}
						jd.SuggestedFixes = append(jd.SuggestedFixes, jf)
					}
					for _, r := range d.Related {
						jd.Related = append(jd.Related, jsonRelated{Posn: r.Posn.String(), End: orPosn(r.End, r.Posn).String(), Message: r.Message})
					}
					list = append(list, jd)
				}
				v = list
			}
			if v == nil {
				continue
			}
			m := tree[pkg.Meta.ID]
			if m == nil {
				m = make(map[string]any)
				tree[pkg.Meta.ID] = m
			}
			m[o.Analyzer] = v
		}
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// printRunnerTiming prints what the cache saved, the actions that
// account for 90% of the analysis time, longest first, and each
// analyzer's total.
func printRunnerTiming(w io.Writer, res *runner.Result, sequential bool) {
	fmt.Fprintf(w, "packages: %d analysed, %d from the cache (%d of them type-checked to give their facts to an analysed importer)\n", res.Analysed, res.Cached, res.TypeOnly)
	if !sequential {
		fmt.Fprintln(w, "(times include GC and scheduler noise; use -debug=tp for sequential timing)")
	}
	type action struct {
		name string
		d    time.Duration
	}
	var list []action
	var total time.Duration
	per := make(map[string]time.Duration)
	for _, pkg := range res.Order {
		for _, o := range pkg.Outcomes {
			if o.Duration > 0 {
				list = append(list, action{o.Analyzer + "@" + pkg.Meta.ID, o.Duration})
				total += o.Duration
				per[o.Analyzer] += o.Duration
			}
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].d > list[j].d })
	var sum time.Duration
	for _, a := range list {
		if sum >= total*9/10 {
			break
		}
		fmt.Fprintf(w, "%s\t%s\n", a.d, a.name)
		sum += a.d
	}
	if total > sum {
		fmt.Fprintf(w, "%s\tall others\n", total-sum)
	}
	printPerAnalyzer(w, per)
}

// printText prints findings one per line as "file:line:col: message
// (pass)", each related position indented below, and with -c=N the
// source lines around the finding.
func printText(w io.Writer, findings []finding, contextLines int) {
	for _, f := range findings {
		fmt.Fprintf(w, "%s: %s (%s)\n", relativePosition(f.diag.Posn), f.diag.Message, f.analyzer)
		for _, r := range f.diag.Related {
			fmt.Fprintf(w, "\t%s: %s\n", relativePosition(r.Posn), r.Message)
		}
		if contextLines >= 0 {
			printContext(w, f.diag.Posn, f.diag.End, contextLines)
		}
	}
}

// printContext prints the lines of the finding with n lines around.
func printContext(w io.Writer, posn, end token.Position, n int) {
	data, err := os.ReadFile(posn.Filename)
	if err != nil {
		return
	}
	lines := strings.Split(string(data), "\n")
	last := max(end.Line, posn.Line)
	for l := max(posn.Line-n, 1); l <= min(last+n, len(lines)); l++ {
		fmt.Fprintf(w, "%d\t%s\n", l, lines[l-1])
	}
}

// relativePosition renders posn with a file name relative to the working
// directory when the file is below it.
func relativePosition(posn token.Position) string {
	p := posn
	p.Filename = relative(p.Filename)
	return p.String()
}

func relative(name string) string {
	wd, err := os.Getwd()
	if err != nil {
		return name
	}
	// name may carry a ":line:col" suffix; only rewrite the file part.
	if rel, err := filepath.Rel(wd, name); err == nil && !strings.HasPrefix(rel, "..") && filepath.IsAbs(name) {
		return rel
	}
	return name
}

// printPerAnalyzer prints each analyzer's total time over every package,
// the figure to compare passes by, in name order.
func printPerAnalyzer(w io.Writer, per map[string]time.Duration) {
	names := make([]string, 0, len(per))
	for name := range per {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "total per analyzer:")
	for _, name := range names {
		fmt.Fprintf(w, "\t%s\t%s\n", per[name], name)
	}
}
