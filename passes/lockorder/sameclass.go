package lockorder

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/locks"
	"github.com/leaklint/leaklint/internal/uses"
)

// sameClass reports the acquisition e of a lock of the same class as the
// held h, on another instance, unless the function orders the two
// instances or one is reached from the other.
func (c *checker) sameClass(fn *locks.Func, h locks.Held, e *locks.Event) {
	info := c.pass.TypesInfo
	a, b := h.Path.Root, e.Path.Root
	if a == nil || b == nil || c.r.Suppressed(e.Pos()) {
		return
	}
	if a == b || reachedFrom(info, fn.Body, a, b) || reachedFrom(info, fn.Body, b, a) || h.Path.IsGlobal() {
		return // hand-over-hand down a structure, or the same variable
	}
	if ordered(info, fn.Body, a, b) {
		return // if a.id < b.id { ... }: an ordering rule
	}
	class := short(e.Path.Class())
	c.r.Report(analysis.Diagnostic{
		Pos: e.Call.Pos(),
		End: e.Call.End(),
		Message: fmt.Sprintf("%s is locked while %s, another %s, is held (line %d): two calls with the instances swapped deadlock; take the two locks in a fixed order (compare IDs or addresses first)",
			e.Path, h.Path, class, c.line(h.By.Pos())),
		Related: []analysis.RelatedInformation{{Pos: h.By.Pos(), Message: fmt.Sprintf("%s is locked here", h.Path)}},
	})
}

// reachedFrom reports whether variable b is assigned, in body, from an
// expression that starts at variable a (child := n.children[k], or a
// range over n.children): b is reached from a through the data
// structure.
func reachedFrom(info *types.Info, body *ast.BlockStmt, a, b *types.Var) bool {
	found := false
	is := func(e ast.Expr, v *types.Var) bool {
		id, ok := e.(*ast.Ident)
		return ok && info.ObjectOf(id) == v
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if !is(lhs, b) {
					continue
				}
				rhs := n.Rhs[0]
				if len(n.Rhs) == len(n.Lhs) {
					rhs = n.Rhs[i]
				}
				if uses.Mentions(info, rhs, a) {
					found = true
				}
			}
		case *ast.RangeStmt:
			if (n.Key != nil && is(n.Key, b) || n.Value != nil && is(n.Value, b)) && uses.Mentions(info, n.X, a) {
				found = true
			}
		}
		return true
	})
	return found
}

// aliases returns v and the variables v is assigned from (first, second
// := from, to), transitively.
func aliases(info *types.Info, body *ast.BlockStmt, v *types.Var) map[*types.Var]bool {
	out := map[*types.Var]bool{v: true}
	for changed := true; changed; {
		changed = false
		ast.Inspect(body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, lhs := range as.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok {
					continue
				}
				lv, ok := info.ObjectOf(id).(*types.Var)
				if !ok || !out[lv] {
					continue
				}
				if rid, ok := ast.Unparen(as.Rhs[i]).(*ast.Ident); ok {
					if rv, ok := info.Uses[rid].(*types.Var); ok && !out[rv] {
						out[rv] = true
						changed = true
					}
				}
			}
			return true
		})
	}
	return out
}

// ordered reports whether body compares an expression of a with one of
// b, or of the variables they were assigned from (a.id < b.id, a == b):
// the function orders the two instances before locking them.
func ordered(info *types.Info, body *ast.BlockStmt, a, b *types.Var) bool {
	as, bs := aliases(info, body, a), aliases(info, body, b)
	mentionsAny := func(e ast.Expr, set map[*types.Var]bool) bool {
		for v := range set {
			if uses.Mentions(info, e, v) {
				return true
			}
		}
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		be, ok := n.(*ast.BinaryExpr)
		if !ok || found {
			return !found
		}
		switch be.Op {
		case token.LSS, token.GTR, token.LEQ, token.GEQ, token.EQL, token.NEQ:
			if mentionsAny(be.X, as) && mentionsAny(be.Y, bs) || mentionsAny(be.X, bs) && mentionsAny(be.Y, as) {
				found = true
			}
		}
		return true
	})
	return found
}
