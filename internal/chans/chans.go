// Package chans classifies channel operations the way several leaklint
// passes need to: which receives are stop signals.
package chans

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/leaklint/leaklint/internal/analysisutil"
)

// stopWords are the name fragments that mark a channel as a stop signal
// in the code leaklint has read: ctx.Done(), done, stopCh, quit,
// shutdownCh, closing, exitC, cancelled, dying, abort, kill.
var stopWords = []string{"done", "stop", "quit", "shutdown", "clos", "exit", "cancel", "kill", "dying", "die", "abort", "halt", "terminat"}

// Signals tells stop signals from other channels in one package.
type Signals struct {
	info *types.Info
	sent map[types.Object]bool // channels (variables, fields) sent on in the package
}

// NewSignals scans pass's files for the channels that are sent on.
func NewSignals(pass *analysis.Pass) *Signals {
	s := &Signals{info: pass.TypesInfo, sent: make(map[types.Object]bool)}
	analysisutil.Inspector(pass).Preorder([]ast.Node{(*ast.SendStmt)(nil)}, func(n ast.Node) {
		if obj := s.object(n.(*ast.SendStmt).Chan); obj != nil {
			s.sent[obj] = true
		}
	})
	return s
}

// object returns the variable or field that ch names, or nil.
func (s *Signals) object(ch ast.Expr) types.Object {
	switch ch := ast.Unparen(ch).(type) {
	case *ast.Ident:
		return s.info.Uses[ch]
	case *ast.SelectorExpr:
		return s.info.Uses[ch.Sel]
	}
	return nil
}

// IsStop reports whether receiving from ch means "stop": ch is a call of
// a method named for an end (ctx.Done(), s.StopNotify()) that returns a
// chan struct{}, or a channel
// whose name says it signals an end (done, stopCh, quit, shutdownCh,
// closing, ...), or a chan struct{} variable or field that nothing in the
// package sends on, so it can only be closed.
//
// Once such a channel is ready it stays ready (it is closed), so a loop
// that took that case and went round again would spin: code written that
// way leaves the loop after a stop signal, and passes treat the case as
// leaving.
func (s *Signals) IsStop(ch ast.Expr) bool {
	ch = ast.Unparen(ch)
	if call, ok := ch.(*ast.CallExpr); ok {
		// ctx.Done(), s.StopNotify(), w.Closing(): a method named for an
		// end that returns a chan struct{}.
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		return ok && len(call.Args) == 0 && stopName(sel.Sel.Name) && isStructChan(s.info.TypeOf(call))
	}
	var name string
	switch ch := ch.(type) {
	case *ast.Ident:
		name = ch.Name
	case *ast.SelectorExpr:
		name = ch.Sel.Name
	default:
		return false
	}
	if stopName(name) {
		return true
	}
	obj := s.object(ch)
	return obj != nil && isStructChan(obj.Type()) && !s.sent[obj]
}

// stopName reports whether name says it signals an end.
func stopName(name string) bool {
	lower := strings.ToLower(name)
	for _, w := range stopWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// isStructChan reports whether t is a channel of struct{}.
func isStructChan(t types.Type) bool {
	if t == nil {
		return false
	}
	c, ok := t.Underlying().(*types.Chan)
	if !ok {
		return false
	}
	st, ok := c.Elem().Underlying().(*types.Struct)
	return ok && st.NumFields() == 0
}

// Received returns the channel expression that comm (a select case's
// statement) receives from, or nil for a send case or the default case.
func Received(comm ast.Stmt) ast.Expr {
	var x ast.Expr
	switch comm := comm.(type) {
	case *ast.ExprStmt:
		x = comm.X
	case *ast.AssignStmt:
		if len(comm.Rhs) == 1 {
			x = comm.Rhs[0]
		}
	}
	if u, ok := ast.Unparen(x).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u.X
	}
	return nil
}

// NeverClosed reports whether ch is a channel the time package creates
// and never closes: time.Tick(d), or the C of a *time.Ticker or
// *time.Timer — or, with body given, a local variable of body only ever
// assigned one of those. A range over such a channel never ends.
func NeverClosed(info *types.Info, body *ast.BlockStmt, ch ast.Expr) bool {
	switch ch := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		fn, _ := typeutil.Callee(info, ch).(*types.Func)
		return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "time" && fn.Name() == "Tick" && fn.Signature().Recv() == nil
	case *ast.SelectorExpr:
		if ch.Sel.Name != "C" {
			return false
		}
		return isTimeType(info.TypeOf(ch.X), "Ticker") || isTimeType(info.TypeOf(ch.X), "Timer")
	case *ast.Ident:
		v, ok := info.Uses[ch].(*types.Var)
		if body == nil || !ok || v.Pos() < body.Pos() || v.Pos() >= body.End() {
			return false // not a local variable of body
		}
		defs, only := 0, true
		ast.Inspect(body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok {
				return true
			}
			for i, lhs := range as.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && info.ObjectOf(id) == v {
					defs++
					only = only && len(as.Lhs) == len(as.Rhs) && NeverClosed(info, nil, as.Rhs[i])
				}
			}
			return true
		})
		return defs > 0 && only
	}
	return false
}

// isTimeType reports whether t is time.name or a pointer to it.
func isTimeType(t types.Type, name string) bool {
	if t == nil {
		return false
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == name && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time"
}
