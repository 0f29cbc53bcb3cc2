package chanleak

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/resolve"
	"github.com/leaklint/leaklint/internal/uses"
)

// maxSelfDepth bounds how many calls deep checkSelfWait follows a
// function towards a receive.
const maxSelfDepth = 6

// checkSelfWait reports a goroutine that waits for itself: a function
// whose deferred close(ch) is the only close of ch in the program (and
// nothing sends on it) calls, before it returns, code that receives from
// ch: that receive can only end once the function has returned, and the
// function cannot return before the receive ends (syncthing5795: the
// dispatcher loop's callback closes the connection, and Close waits for
// the loop to stop).
//
// Only channels no other package can reach count (as for the rules
// above), the deferred close must be a statement of the function's own
// body (not in a branch), and the receive must wait for that channel
// alone. Calls are followed into the package's own functions, into
// function values and interface methods the package's resolution knows
// all of (internal/resolve), and into a literal run by sync.Once.Do;
// not into go statements or deferred calls. Test code is exempt.
func (c *checker) checkSelfWait() {
	info := c.pass.TypesInfo
	if !declaresChan(info) {
		return
	}
	all := uses.Of(c.pass, isChanType, func(e ast.Expr) bool { return isMakeCall(info, e) })
	// The receives that wait for their channel alone, the deferred
	// closes with the function body they belong to, and the declared
	// functions' bodies.
	alone := make(map[ast.Node]bool)
	deferred := make(map[*ast.CallExpr]*ast.BlockStmt)
	bodies := make(map[*types.Func]*ast.BlockStmt)
	kinds := []ast.Node{(*ast.FuncDecl)(nil), (*ast.UnaryExpr)(nil), (*ast.RangeStmt)(nil), (*ast.DeferStmt)(nil)}
	analysisutil.Inspector(c.pass).WithStack(kinds, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		switch n := n.(type) {
		case *ast.FuncDecl:
			if obj, ok := info.Defs[n.Name].(*types.Func); ok && n.Body != nil {
				bodies[obj] = n.Body
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && waitsAlone(stack, 3) {
				alone[n] = true
			}
		case *ast.RangeStmt:
			alone[n] = true
		case *ast.DeferStmt:
			if len(stack) >= 3 {
				if body, ok := stack[len(stack)-2].(*ast.BlockStmt); ok {
					switch stack[len(stack)-3].(type) {
					case *ast.FuncDecl, *ast.FuncLit:
						deferred[n.Call] = body
					}
				}
			}
		}
		return true
	})
	for _, u := range all {
		if u.Escapes || len(u.Passed) > 0 || len(u.Ops["send"]) > 0 || len(u.Ops["close"]) != 1 {
			continue
		}
		cl, ok := u.Ops["close"][0].(*ast.CallExpr)
		if !ok {
			continue
		}
		body := deferred[cl]
		if body == nil || analysisutil.IsTestCode(c.pass, body.Pos()) {
			continue
		}
		waits := make(map[ast.Node]bool)
		for _, n := range append(u.Ops["recv"], u.Ops["range"]...) {
			if alone[n] {
				waits[n] = true
			}
		}
		if len(waits) == 0 {
			continue
		}
		s := &selfSearch{c: c, bodies: bodies, waits: waits, seen: make(map[ast.Node]bool)}
		// The statements after the defer run with the close pending.
		after := false
		for _, st := range body.List {
			if d, ok := st.(*ast.DeferStmt); ok && d.Call == cl {
				after = true
				continue
			}
			if !after {
				continue
			}
			call, wait := s.find(st, 0)
			if wait == nil {
				continue
			}
			at := ast.Node(call)
			if call == nil {
				at = wait // the receive in the function itself
			}
			if c.r.Suppressed(at.Pos()) {
				break
			}
			if call == nil {
				c.r.Report(analysis.Diagnostic{
					Pos: wait.Pos(),
					End: wait.End(),
					Message: fmt.Sprintf("this receive from %s waits for a close that only this function's deferred close(%s) makes, which runs only after the function returns: the goroutine waits for itself; close the channel before waiting",
						u.Obj.Name(), types.ExprString(cl.Args[0])),
					Related: []analysis.RelatedInformation{{Pos: cl.Pos(), Message: "the only close, deferred"}},
				})
				break
			}
			c.r.Report(analysis.Diagnostic{
				Pos: call.Pos(),
				End: call.End(),
				Message: fmt.Sprintf("%s can reach a receive from %s (%s) that only this function's deferred close(%s) ends, and that close runs only after the call returns: the goroutine waits for itself; close the channel before the call, or don't wait when called from here",
					types.ExprString(call.Fun)+"()", u.Obj.Name(), shortPos(c.pass.Fset, wait.Pos()), types.ExprString(cl.Args[0])),
				Related: []analysis.RelatedInformation{
					{Pos: wait.Pos(), Message: "the receive"},
					{Pos: cl.Pos(), Message: "the only close, deferred"},
				},
			})
			break
		}
	}
}

// selfSearch looks for one of waits in code a statement runs.
type selfSearch struct {
	c      *checker
	bodies map[*types.Func]*ast.BlockStmt
	waits  map[ast.Node]bool
	seen   map[ast.Node]bool
}

// find returns a wait the code of n runs and, when the wait is in a
// function n calls, that call (of n itself).
func (s *selfSearch) find(n ast.Node, depth int) (call *ast.CallExpr, wait ast.Node) {
	ast.Inspect(n, func(m ast.Node) bool {
		if wait != nil {
			return false
		}
		switch m := m.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return false
		case *ast.UnaryExpr, *ast.RangeStmt:
			if s.waits[m] {
				wait = m
				return false
			}
		case *ast.CallExpr:
			if depth >= maxSelfDepth {
				return true
			}
			for _, body := range s.callees(m) {
				if s.seen[body] {
					continue
				}
				s.seen[body] = true
				if _, w := s.find(body, depth+1); w != nil {
					call, wait = m, w
					return false
				}
			}
		}
		return true
	})
	return call, wait
}

// callees returns the bodies of the package's functions call runs: its
// static callee, what the resolution knows a function value or interface
// method runs, a literal called in place or run by sync.Once.Do.
func (s *selfSearch) callees(call *ast.CallExpr) []ast.Node {
	info := s.c.pass.TypesInfo
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		return []ast.Node{lit.Body}
	}
	g := callee.Of(info, call)
	if callee.IsMethod(g, "sync", "Once", "Do") && len(call.Args) == 1 {
		if lit, ok := ast.Unparen(call.Args[0]).(*ast.FuncLit); ok {
			return []ast.Node{lit.Body}
		}
		return nil
	}
	if g != nil && g.Pkg() == s.c.pass.Pkg && !isInterfaceMethod(g) {
		if b := s.bodies[g]; b != nil {
			return []ast.Node{b}
		}
		return nil
	}
	if g != nil && !isInterfaceMethod(g) {
		return nil // another package's function
	}
	syns, ok := resolve.Of(s.c.pass).Callees(call)
	if !ok {
		return nil
	}
	var out []ast.Node
	for _, syn := range syns {
		switch syn := syn.(type) {
		case *ast.FuncDecl:
			if syn.Body != nil {
				out = append(out, syn.Body)
			}
		case *ast.FuncLit:
			out = append(out, syn.Body)
		}
	}
	return out
}

func shortPos(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// isInterfaceMethod reports whether fn is an interface's method.
func isInterfaceMethod(fn *types.Func) bool {
	r := fn.Signature().Recv()
	return r != nil && types.IsInterface(r.Type())
}
