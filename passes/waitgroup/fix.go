package waitgroup

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// moveAddFix returns the rewrite that moves the Add event a out of the
// goroutine literal g to just before g's go statement:
//
//	go func() {            wg.Add(1)
//		wg.Add(1)     =>    go func() {
//		defer wg.Done()         defer wg.Done()
//		...                     ...
//	}()                    }()
//
// It keeps the meaning of everything but the race only when the Add is
// a statement of the literal's own body (not inside a branch), its
// argument is a constant (evaluated earlier, it has the same value), and
// the WaitGroup is captured (sameKey), not a parameter of the literal,
// so the same expression names it outside. The Add must also be alone on
// its line (a line comment after it moves with it).
func (c *checker) moveAddFix(g *function, a *event, sameKey bool) (analysis.SuggestedFix, bool) {
	stmt, ok := a.node.(*ast.ExprStmt)
	if !ok || !a.explicit() || !sameKey || g.goStmt == nil {
		return analysis.SuggestedFix{}, false
	}
	top := false
	for _, s := range g.Body.List {
		top = top || s == ast.Stmt(stmt)
	}
	if _, isConst := c.constInt(a.arg); !top || !isConst {
		return analysis.SuggestedFix{}, false
	}
	tf := c.pass.Fset.File(stmt.Pos())
	src, ok := c.source(tf)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	line := tf.Line(stmt.Pos())
	start := tf.LineStart(line)
	end := token.Pos(tf.Base() + tf.Size())
	if line < tf.LineCount() {
		end = tf.LineStart(line + 1)
	}
	before := string(src[tf.Offset(start):tf.Offset(stmt.Pos())])
	after := string(src[tf.Offset(stmt.End()):tf.Offset(end)])
	comment := strings.TrimSpace(after)
	if strings.TrimSpace(before) != "" || comment != "" && !strings.HasPrefix(comment, "//") {
		return analysis.SuggestedFix{}, false // shares its line with other code
	}
	var call bytes.Buffer
	if err := printer.Fprint(&call, c.pass.Fset, stmt.X); err != nil {
		return analysis.SuggestedFix{}, false
	}
	moved := call.String()
	if comment != "" {
		moved += " " + comment // a line comment moves with the Add
	}
	goLine := tf.LineStart(tf.Line(g.goStmt.Pos()))
	indent := string(src[tf.Offset(goLine):tf.Offset(g.goStmt.Pos())])
	if strings.TrimSpace(indent) != "" {
		return analysis.SuggestedFix{}, false // the go statement does not start its line
	}
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Move %s before the go statement", call.String()),
		TextEdits: []analysis.TextEdit{
			{Pos: g.goStmt.Pos(), End: g.goStmt.Pos(), NewText: []byte(moved + "\n" + indent)},
			{Pos: start, End: end},
		},
	}, true
}

// source returns the content of the file tf.
func (c *checker) source(tf *token.File) ([]byte, bool) {
	if c.pass.ReadFile == nil {
		return nil, false
	}
	b, err := c.pass.ReadFile(tf.Name())
	if err != nil || len(b) != tf.Size() {
		return nil, false
	}
	return b, true
}
