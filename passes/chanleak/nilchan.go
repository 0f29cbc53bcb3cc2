package chanleak

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// checkNil reports the sends and receives of fn on a channel that is
// certainly nil: they block forever. A select case on a nil channel is
// not reported: a select with other cases is the idiom to disable one.
func (c *checker) checkNil(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var v ssa.Value
			verb := ""
			switch instr := instr.(type) {
			case *ssa.Send:
				v, verb = instr.Chan, "send on"
			case *ssa.UnOp:
				if instr.Op != token.ARROW {
					continue
				}
				v, verb = instr.X, "receive from"
			default:
				continue
			}
			if !certainlyNil(v) {
				continue
			}
			node, expr := c.syn.op(instr)
			if node == nil {
				continue // no syntax for it (it should not happen)
			}
			pos, end := node.Pos(), node.End()
			if r, ok := node.(*ast.RangeStmt); ok {
				verb = "range over"
				pos, end = r.For, r.X.End()
			}
			name := types.ExprString(expr)
			typ := types.TypeString(v.Type(), types.RelativeTo(c.pass.Pkg))
			msg := fmt.Sprintf("%s nil channel %s blocks forever: %s is never assigned a channel; create it with make(%s)", verb, name, name, typ)
			if !isIdent(expr) {
				msg = fmt.Sprintf("%s nil channel %s blocks forever", verb, name)
			}
			c.r.Report(analysis.Diagnostic{Pos: pos, End: end, Message: msg})
		}
	}
}

// isIdent reports whether e is a plain identifier.
func isIdent(e ast.Expr) bool {
	_, ok := ast.Unparen(e).(*ast.Ident)
	return ok
}

// certainlyNil reports whether the channel value v is nil on every
// path: the nil constant (a local variable never assigned, lifted by the
// SSA builder, or an explicit nil), or a load of a captured variable
// that nothing ever stores into.
func certainlyNil(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Const:
		return v.IsNil()
	case *ssa.ChangeType:
		return certainlyNil(v.X)
	case *ssa.UnOp:
		if v.Op != token.MUL {
			return false
		}
		switch cell := v.X.(type) {
		case *ssa.Alloc:
			return neverStored(cell, 0)
		case *ssa.FreeVar:
			alloc := capturedAlloc(cell)
			return alloc != nil && neverStored(alloc, 0)
		}
	}
	return false
}

// neverStored reports whether nothing stores into the variable cell,
// neither in its function nor in the function literals that capture it,
// and its address goes nowhere else.
func neverStored(cell ssa.Value, depth int) bool {
	if depth > 8 {
		return false
	}
	for _, instr := range *cell.Referrers() {
		switch instr := instr.(type) {
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if instr.Op != token.MUL {
				return false
			}
		case *ssa.MakeClosure:
			fn, _ := instr.Fn.(*ssa.Function)
			if fn == nil {
				return false
			}
			for i, b := range instr.Bindings {
				if b == cell && (i >= len(fn.FreeVars) || !neverStored(fn.FreeVars[i], depth+1)) {
					return false
				}
			}
		default:
			return false // a store, or the address taken
		}
	}
	return true
}

// capturedAlloc returns the variable of the enclosing functions that the
// free variable fv of a function literal captures, or nil when it is not
// a local variable (or the literal is made more than once).
func capturedAlloc(fv *ssa.FreeVar) *ssa.Alloc {
	fn := fv.Parent()
	idx := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			idx = i
		}
	}
	parent := fn.Parent()
	if idx < 0 || parent == nil {
		return nil
	}
	var binding ssa.Value
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok || mc.Fn != fn {
				continue
			}
			if binding != nil {
				return nil
			}
			binding = mc.Bindings[idx]
		}
	}
	switch b := binding.(type) {
	case *ssa.Alloc:
		return b
	case *ssa.FreeVar:
		return capturedAlloc(b)
	}
	return nil
}
