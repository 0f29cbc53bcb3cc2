// Package directive parses leaklint's suppression comments and defines
// the analyzer that reports malformed ones.
//
// A comment
//
//	//leaklint:ignore <pass>[,<pass>...] <reason>
//
// on the line of a finding, or alone on the line above it, silences the
// named passes' findings there (internal/report applies it). A directive
// that names no pass, names a pass that does not exist or gives no reason
// silences nothing, and this package's analyzer reports it: once, under
// its own name, whichever passes run, so that a typo is never lost
// because the pass it concerns was disabled.
package directive

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
)

// Known lists the names of every leaklint pass, in registry order. It
// is how a directive is checked for typos; the registry test keeps it in
// step with the registry.
var Known = []string{"timeafter", "waitgroup", "unlock", "ctxdone", "iotimeout", "chanleak", "lockblock", "lockorder"}

// prefix starts a suppression comment. A space after "//" is tolerated,
// as people type it either way.
const prefix = "leaklint:ignore"

// A Directive is one parsed //leaklint:ignore comment.
type Directive struct {
	Comment *ast.Comment
	Passes  []string // pass names, as written
	Reason  string
}

// Parse returns the directive in comment c, or nil if c is not one.
func Parse(c *ast.Comment) *Directive {
	text, ok := strings.CutPrefix(c.Text, "//")
	if !ok {
		return nil // a /* */ comment
	}
	text, ok = strings.CutPrefix(strings.TrimLeft(text, " "), prefix)
	if !ok || (text != "" && text[0] != ' ' && text[0] != '\t') {
		return nil
	}
	fields := strings.Fields(text)
	d := &Directive{Comment: c}
	if len(fields) > 0 {
		for _, name := range strings.Split(fields[0], ",") {
			if name != "" {
				d.Passes = append(d.Passes, name)
			}
		}
		d.Reason = strings.Join(fields[1:], " ")
	}
	return d
}

// Silences reports whether d silences the pass called name: it names it
// and gives a reason.
func (d *Directive) Silences(name string) bool {
	return d.Reason != "" && slices.Contains(d.Passes, name)
}

// Analyzer reports malformed //leaklint:ignore directives.
var Analyzer = &analysis.Analyzer{
	Name: "directive",
	Doc: `report malformed //leaklint:ignore directives

A //leaklint:ignore directive must name one or more leaklint passes,
separated by commas, and give a reason:

	//leaklint:ignore timeafter fires within a millisecond, cannot pile up

One that names no pass, names an unknown pass or has no reason
suppresses nothing and is reported, whichever passes are enabled.
Nothing is reported in generated files.`,
	URL: "https://pkg.go.dev/github.com/leaklint/leaklint/internal/directive",
	Run: run,
	// Directives are comments: a package with type or syntax errors still
	// has them, and the mistakes in them are worth fixing too.
	RunDespiteErrors: true,
}

func run(pass *analysis.Pass) (any, error) {
	for _, f := range pass.Files {
		if analysisutil.IsGenerated(pass.Fset, f) {
			continue
		}
		for _, group := range f.Comments {
			for _, c := range group.List {
				if d := Parse(c); d != nil {
					check(pass, d)
				}
			}
		}
	}
	return nil, nil
}

// check reports what is wrong with d, if anything.
func check(pass *analysis.Pass, d *Directive) {
	var unknown []string
	for _, name := range d.Passes {
		if !slices.Contains(Known, name) {
			unknown = append(unknown, name)
		}
	}
	pos := d.Comment.Slash
	end := d.Comment.End()
	switch {
	case len(d.Passes) == 0:
		report(pass, pos, end, "leaklint:ignore directive names no pass: write //leaklint:ignore <pass>[,<pass>] <reason>")
	case len(unknown) > 0:
		report(pass, pos, end, fmt.Sprintf("leaklint:ignore directive names unknown pass %s (known passes: %s)", strings.Join(unknown, ", "), strings.Join(Known, ", ")))
	case d.Reason == "":
		report(pass, pos, end, "leaklint:ignore directive has no reason, so it suppresses nothing: add why the finding is safe after the pass names")
	}
}

func report(pass *analysis.Pass, pos, end token.Pos, msg string) {
	pass.Report(analysis.Diagnostic{Pos: pos, End: end, Message: msg})
}
