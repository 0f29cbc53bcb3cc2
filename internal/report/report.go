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
//     directive without one silences nothing. Malformed directives are
//     reported by the directive analyzer (internal/directive), once,
//     whichever passes run.
//
//     Lines are the lines of the file as it is on disk: a //line
//     directive (yacc, templ and cgo output carry them) moves the
//     positions shown to the user, but "the line above" is still the
//     line above in the file that holds both comments.
//
//   - Fixes follow the code. A suggested fix whose edits fall in a part
//     of a file that a //line directive maps to another file (cmd/cgo's
//     output, a parser generated from a grammar) is dropped: the edit
//     would change the derived file, not the user's.
//
//   - Generated files. Nothing is reported in a file that carries the
//     standard "Code generated ... DO NOT EDIT." comment in the file its
//     positions name (analysisutil.IsGenerated): the fix belongs in the
//     generator.
package report

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/directive"
)

// A Reporter reports a pass's diagnostics through the shared policies.
// Create one per pass run with New.
type Reporter struct {
	pass  *analysis.Pass
	name  string
	files map[*token.File]*fileInfo
}

type fileInfo struct {
	generated  bool
	directives map[int][]*entry // by line, as on disk
}

// entry is a directive and where it stands.
type entry struct {
	*directive.Directive
	alone bool // the comment is the only thing on its line
}

// New returns a Reporter for pass. Call it first thing in a pass's run.
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
		info := &fileInfo{generated: analysisutil.IsGenerated(pass.Fset, f)}
		r.files[tf] = info
		if info.generated {
			continue
		}
		var found []*entry
		for _, group := range f.Comments {
			for _, c := range group.List {
				if d := directive.Parse(c); d != nil {
					found = append(found, &entry{Directive: d})
				}
			}
		}
		if len(found) == 0 {
			continue
		}
		info.directives = make(map[int][]*entry)
		for _, e := range found {
			line := rawLine(tf, e.Comment.Slash)
			info.directives[line] = append(info.directives[line], e)
		}
		markAlone(tf, f, info.directives)
	}
	return r
}

// rawLine returns the line of pos in the file itself, ignoring //line
// directives.
func rawLine(tf *token.File, pos token.Pos) int {
	return tf.PositionFor(pos, false).Line
}

// markAlone sets alone on each directive that is the first token on its
// line, so that it applies to the line below. One walk of the file
// answers for every directive in it: a directive is not alone when a
// node starts on its line before it.
func markAlone(tf *token.File, f *ast.File, byLine map[int][]*entry) {
	first := make(map[int]token.Pos) // the first node start on each directive line
	ast.Inspect(f, func(n ast.Node) bool {
		switch n.(type) {
		case nil:
			return false
		case *ast.File:
			return true
		case *ast.CommentGroup, *ast.Comment:
			return false
		}
		line := rawLine(tf, n.Pos())
		if _, ok := byLine[line]; ok {
			if p, seen := first[line]; !seen || n.Pos() < p {
				first[line] = n.Pos()
			}
		}
		return true
	})
	for line, entries := range byLine {
		p, ok := first[line]
		for _, e := range entries {
			e.alone = !ok || p > e.Comment.Slash
		}
	}
}

// Report reports d unless policy says otherwise: it is in a generated
// file, or a //leaklint:ignore directive with a reason names this pass on
// its line or alone on the line above.
func (r *Reporter) Report(d analysis.Diagnostic) {
	if r.suppressed(d.Pos) {
		return
	}
	if len(d.SuggestedFixes) > 0 && !r.editable(d.SuggestedFixes) {
		// The code the user sees is elsewhere: offer no fix rather
		// than one that edits cmd/cgo's copy in the build cache.
		d.SuggestedFixes = nil
	}
	r.pass.Report(d)
}

// editable reports whether every edit of fixes falls where a //line
// directive does not move positions to another file. In cmd/cgo's
// output, or a parser generated from a grammar, an edit would change the
// derived file, not the one the user reads and maintains.
func (r *Reporter) editable(fixes []analysis.SuggestedFix) bool {
	for _, fix := range fixes {
		for _, e := range fix.TextEdits {
			tf := r.pass.Fset.File(e.Pos)
			if tf == nil || tf.PositionFor(e.Pos, true).Filename != tf.Name() {
				return false
			}
		}
	}
	return true
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

// Generated reports whether pos is in a generated file, where nothing is
// reported: a pass can skip work that only serves its findings there.
func (r *Reporter) Generated(pos token.Pos) bool {
	info := r.files[r.pass.Fset.File(pos)]
	return info != nil && info.generated
}

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
	if len(info.directives) == 0 {
		return false
	}
	line := rawLine(tf, pos)
	for _, e := range info.directives[line] {
		if e.Silences(r.name) {
			return true
		}
	}
	for _, e := range info.directives[line-1] {
		if e.alone && e.Silences(r.name) {
			return true
		}
	}
	return false
}
