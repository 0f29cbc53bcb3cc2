package timeafter

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/callee"
)

// returns reports whether fn can return normally. It refines the CFG's
// answer: a range loop over a ticker's channel (time.Tick(d),
// ticker.C, or a variable holding time.Tick(d)) never ends, because the
// time package never closes those channels, so the edge out of such a
// loop is not followed.
func (c *checker) returns(fn *function) bool {
	if fn.g.NoReturn() {
		return false
	}
	seen := make(map[*cfg.Block]bool)
	stack := []*cfg.Block{fn.g.Blocks[0]}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if b.Return() != nil {
			return true
		}
		for _, s := range b.Succs {
			if !c.infeasible(s) {
				stack = append(stack, s)
			}
		}
	}
	return false
}

// infeasible reports whether control never enters block b: b follows a
// range loop over a channel that is never closed.
func (c *checker) infeasible(b *cfg.Block) bool {
	return b.Kind == cfg.KindRangeDone && c.neverClosed(b.Stmt.(*ast.RangeStmt).X)
}

// neverClosed reports whether ch is a channel the time package creates
// and never closes.
func (c *checker) neverClosed(ch ast.Expr) bool {
	info := c.pass.TypesInfo
	switch ch := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		return callee.IsFunc(callee.Of(info, ch), "time", "Tick")
	case *ast.SelectorExpr:
		if ch.Sel.Name != "C" {
			return false
		}
		t := info.TypeOf(ch.X)
		return callee.IsNamed(t, "time", "Ticker") || callee.IsNamed(t, "time", "Timer")
	case *ast.Ident:
		// tick := time.Tick(d); for range tick { ... }
		v, ok := info.Uses[ch].(*types.Var)
		if !ok {
			return false
		}
		only := false
		// Look for the definition among assignments in the file: cheap
		// enough, as this runs only for range loops over variables.
		for _, f := range c.pass.Files {
			if f.FileStart > v.Pos() || v.Pos() > f.FileEnd {
				continue
			}
			ast.Inspect(f, func(n ast.Node) bool {
				as, ok := n.(*ast.AssignStmt)
				if !ok || len(as.Lhs) != len(as.Rhs) {
					return true
				}
				for i, lhs := range as.Lhs {
					if id, ok := lhs.(*ast.Ident); ok && info.ObjectOf(id) == v {
						call, ok := ast.Unparen(as.Rhs[i]).(*ast.CallExpr)
						only = ok && callee.IsFunc(callee.Of(info, call), "time", "Tick")
						return false
					}
				}
				return true
			})
		}
		return only
	}
	return false
}
