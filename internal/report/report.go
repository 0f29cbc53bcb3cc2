// Package report is the one way leaklint passes report diagnostics. It
// applies the policies every driver must agree on (the leaklint binary,
// go vet -vettool, golangci-lint, nogo):
//
//   - Suppression. A comment
//
//     //leaklint:ignore <pass>[,<pass>...] <reason>
//
//     on the line of a finding, or alone on the line above it, silences
//     the named passes' findings there. The reason is mandatory: a
//     directive without one is itself reported (by each pass it names)
//     and silences nothing. A directive that names no known pass is
//     reported by the first pass in Known.
//
//   - Generated files. Nothing is reported in a file that carries the
//     standard "Code generated ... DO NOT EDIT." comment: the fix belongs
//     in the generator.
package report

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Known lists the names of every leaklint pass, in registry order. It
// is how a directive is checked for typos; the registry test keeps it in
// step with the registry.
var Known = []string{"timeafter", "waitgroup", "unlock", "ctxdone", "iotimeout", "chanleak", "lockblock", "lockorder"}

// directivePrefix starts a suppression comment. A space after "//" is
// tolerated, as people type it either way.
const directivePrefix = "leaklint:ignore"

// A directive is one parsed //leaklint:ignore comment.
type directive struct {
	pos    token.Pos
	line   int
	alone  bool     // the comment is the only thing on its line
	passes []string // pass names, as written
	reason string
}

// A Reporter reports a pass's diagnostics through the shared policies.
// Create one per pass run with New.
type Reporter struct {
	pass  *analysis.Pass
	name  string
	files map[*token.File]*fileInfo
}

type fileInfo struct {
	generated  bool
	directives map[int][]*directive // by line
}

// New returns a Reporter for pass and reports the malformed suppression
// directives that concern it. Call it first thing in a pass's run, before
// any quick exit, so that directive mistakes are reported in every
// package.
func New(pass *analysis.Pass) *Reporter {
	r := &Reporter{
		pass:  pass,
		name:  pass.Analyzer.Name,
		files: make(map[*token.File]*fileInfo, len(pass.Files)),
	}
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.FileStart)
		if tf == nil {
			continue
		}
		info := &fileInfo{generated: ast.IsGenerated(f)}
		r.files[tf] = info
		if info.generated {
			continue
		}
		for _, group := range f.Comments {
			for _, c := range group.List {
				d := parse(c)
				if d == nil {
					continue
				}
				d.line = tf.Line(d.pos)
				d.alone = aloneOnLine(tf, f, c)
				if info.directives == nil {
					info.directives = make(map[int][]*directive)
				}
				info.directives[d.line] = append(info.directives[d.line], d)
				r.check(d)
			}
		}
	}
	return r
}

// parse returns the directive in comment c, or nil if c is not one.
func parse(c *ast.Comment) *directive {
	text, ok := strings.CutPrefix(c.Text, "//")
	if !ok {
		return nil // a /* */ comment
	}
	text, ok = strings.CutPrefix(strings.TrimLeft(text, " "), directivePrefix)
	if !ok || (text != "" && text[0] != ' ' && text[0] != '\t') {
		return nil
	}
	fields := strings.Fields(text)
	d := &directive{pos: c.Slash}
	if len(fields) > 0 {
		for _, name := range strings.Split(fields[0], ",") {
			if name != "" {
				d.passes = append(d.passes, name)
			}
		}
		d.reason = strings.Join(fields[1:], " ")
	}
	return d
}

// aloneOnLine reports whether comment c is the first token on its line,
// so that it applies to the line below.
func aloneOnLine(tf *token.File, f *ast.File, c *ast.Comment) bool {
	line := tf.Line(c.Slash)
	start := tf.LineStart(line)
	// Any node starting on this line before the comment means code shares
	// the line. Checking the declarations' extents keeps this cheap.
	alone := true
	ast.Inspect(f, func(n ast.Node) bool {
		if !alone || n == nil {
			return false
		}
		if n.End() < start || n.Pos() > c.Slash {
			return false // entirely before the line, or after the comment
		}
		if _, isGroup := n.(*ast.CommentGroup); isGroup {
			return false
		}
		if n.Pos() >= start && n.Pos() < c.Slash {
			if _, isFile := n.(*ast.File); !isFile {
				alone = false
				return false
			}
		}
		return true
	})
	return alone
}

// check reports a directive that is malformed in a way that concerns
// this pass.
func (r *Reporter) check(d *directive) {
	var known, unknown []string
	for _, name := range d.passes {
		if slices.Contains(Known, name) {
			known = append(known, name)
		} else {
			unknown = append(unknown, name)
		}
	}
	// Who reports: each pass the directive names; a directive naming no
	// known pass at all is reported by the first known pass only, so the
	// problem appears once.
	mine := slices.Contains(d.passes, r.name) || (len(known) == 0 && r.name == Known[0])
	if !mine {
		return
	}
	switch {
	case len(d.passes) == 0:
		r.pass.Report(analysis.Diagnostic{
			Pos:     d.pos,
			Message: "leaklint:ignore directive names no pass: write //leaklint:ignore <pass>[,<pass>] <reason>",
		})
	case len(unknown) > 0 && (len(known) == 0 || r.name == known[0]):
		r.pass.Report(analysis.Diagnostic{
			Pos:     d.pos,
			Message: fmt.Sprintf("leaklint:ignore directive names unknown pass %s (known passes: %s)", strings.Join(unknown, ", "), strings.Join(Known, ", ")),
		})
	case d.reason == "":
		r.pass.Report(analysis.Diagnostic{
			Pos:     d.pos,
			Message: "leaklint:ignore directive has no reason, so it suppresses nothing: add why the finding is safe after the pass names",
		})
	}
}

// Report reports d unless policy says otherwise: it is in a generated
// file, or a //leaklint:ignore directive with a reason names this pass on
// its line or alone on the line above.
func (r *Reporter) Report(d analysis.Diagnostic) {
	if r.suppressed(d.Pos) {
		return
	}
	r.pass.Report(d)
}

// Reportf is like Report for a diagnostic with a message and the range
// of rng (a node or any analysis.Range).
func (r *Reporter) Reportf(rng analysis.Range, format string, args ...any) {
	r.Report(analysis.Diagnostic{
		Pos:     rng.Pos(),
		End:     rng.End(),
		Message: fmt.Sprintf(format, args...),
	})
}

// Suppressed reports whether a diagnostic at pos would be dropped. A pass
// can use it to skip expensive work, such as building a suggested fix.
func (r *Reporter) Suppressed(pos token.Pos) bool { return r.suppressed(pos) }

func (r *Reporter) suppressed(pos token.Pos) bool {
	tf := r.pass.Fset.File(pos)
	if tf == nil {
		return false
	}
	info := r.files[tf]
	if info == nil {
		return false // a position outside the package's files
	}
	if info.generated {
		return true
	}
	line := tf.Line(pos)
	for _, d := range info.directives[line] {
		if d.reason != "" && slices.Contains(d.passes, r.name) {
			return true
		}
	}
	for _, d := range info.directives[line-1] {
		if d.alone && d.reason != "" && slices.Contains(d.passes, r.name) {
			return true
		}
	}
	return false
}
