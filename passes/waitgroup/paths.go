package waitgroup

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/chans"
	"github.com/leaklint/leaklint/internal/flow"
)

// A walker is the configuration of the path searches this pass makes
// on a function's control-flow graph (flow.Search): the nodes that
// settle the question, the edges not taken — the branch of
// `if wg != nil` where the WaitGroup is nil owes no Done, but the block
// it leads to is also reached from the other branch — and the nodes
// that end every path through them.
type walker struct {
	// stop reports whether a node settles the question: paths through
	// it are not followed further.
	stop func(ast.Node) bool
	// prune reports whether the edge from one block to another is not
	// taken.
	prune func(from, to *cfg.Block) bool
	// dead reports whether a node ends every path through it, as a call
	// of a function that never returns does.
	dead func(ast.Node) bool
}

// find searches the paths that start just after node i of block b
// (i = -1: at the beginning of b) for a node for which goal reports
// true, reached without passing a node for which stop or dead does
// (they are asked first: a node that stops is not found). If enter is
// not nil, entering a block for which it reports true, through an edge,
// also ends the search; the block is returned with index -1. Reaching
// a return ends nothing by itself: look for it with the goal isReturn.
func (w walker) find(b *cfg.Block, i int, goal func(ast.Node) bool, enter func(*cfg.Block) bool) (*cfg.Block, int, bool) {
	stops := func(n ast.Node) bool {
		return w.stop != nil && w.stop(n) || w.dead != nil && w.dead(n)
	}
	s := flow.Search{Covers: stops, SkipEdge: w.prune, Enter: enter, Exit: flow.NoExit}
	if goal != nil {
		s.Target = func(n ast.Node) bool { return !stops(n) && goal(n) }
	}
	hit := s.From(b, i)
	if hit == nil {
		return nil, -1, false
	}
	return hit.Block, hit.Index, true
}

// isNode returns a goal that is node n.
func isNode(n ast.Node) func(ast.Node) bool {
	return func(m ast.Node) bool { return m == n }
}

// isReturn is the goal of a return statement, explicit or the one the
// CFG adds at the closing brace.
func isReturn(n ast.Node) bool {
	_, ok := n.(*ast.ReturnStmt)
	return ok
}

// prune returns the edge filter of the paths that matter for k: not
// the branch where k is nil, not the exit of a loop over a channel that
// is never closed.
func (c *checker) prune(k key) func(from, to *cfg.Block) bool {
	isNil := c.nilPrune(k)
	return func(from, to *cfg.Block) bool {
		return isNil(from, to) || to.Kind == cfg.KindRangeDone && c.neverClosed(to.Stmt.(*ast.RangeStmt).X)
	}
}

// neverClosed reports whether ch is a channel the time package creates
// and never closes (chans.NeverClosed): a range loop over it ends only
// through a return or a break.
func (c *checker) neverClosed(ch ast.Expr) bool {
	return chans.NeverClosed(c.pass.TypesInfo, nil, ch)
}

// nilPrune returns the edge filter that drops the branches on which a
// variable leading to k is nil: `if wg != nil { wg.Done() }` calls Done
// on every path where there is a WaitGroup to call it on.
func (c *checker) nilPrune(k key) func(from, to *cfg.Block) bool {
	info := c.pass.TypesInfo
	return func(from, to *cfg.Block) bool {
		if len(from.Nodes) == 0 || len(from.Succs) != 2 {
			return false
		}
		cond, ok := ast.Unparen(asExpr(from.Nodes[len(from.Nodes)-1])).(*ast.BinaryExpr)
		if !ok || (cond.Op != token.EQL && cond.Op != token.NEQ) {
			return false
		}
		x := cond.X
		if info.Types[x].IsNil() {
			x = cond.Y
		} else if !info.Types[cond.Y].IsNil() {
			return false
		}
		xk, ok := keyOf(info, x)
		if !ok {
			return false
		}
		if _, ok := xk.prefixOf(k); !ok {
			return false
		}
		nilBranch := from.Succs[0] // x == nil: the then branch
		if cond.Op == token.NEQ {
			nilBranch = from.Succs[1]
		}
		return to == nilBranch
	}
}

func asExpr(n ast.Node) ast.Expr {
	e, _ := n.(ast.Expr)
	return e
}

// deadCalls returns the nodes of fn that call, inside the then-branch
// of if v != nil, a function of this package that never returns when
// the argument v is not nil (a test helper such as
// requireNoError(t, err) that calls t.Fatal): those paths end there.
func (c *checker) deadCalls(fn *function) map[ast.Node]bool {
	if fn.dead != nil {
		return fn.dead
	}
	fn.dead = make(map[ast.Node]bool)
	info := c.pass.TypesInfo
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			cond, ok := ast.Unparen(n.Cond).(*ast.BinaryExpr)
			if !ok || cond.Op != token.NEQ || !info.Types[cond.Y].IsNil() {
				return true
			}
			id, ok := ast.Unparen(cond.X).(*ast.Ident)
			if !ok {
				return true
			}
			v, ok := info.Uses[id].(*types.Var)
			if !ok {
				return true
			}
			for _, s := range n.Body.List {
				call := endCall(s)
				if call == nil {
					continue
				}
				f := callee.Of(info, call)
				for i, a := range call.Args {
					if aid, ok := ast.Unparen(a).(*ast.Ident); ok && info.Uses[aid] == v && c.failsOnNonNil(f, i) {
						fn.dead[s] = true
					}
				}
			}
		}
		return true
	})
	return fn.dead
}

// failsOnNonNil reports whether the function f, declared in this
// package, never returns when its parameter i is not nil: every path to
// a return goes through the branch where it is nil.
func (c *checker) failsOnNonNil(f *types.Func, i int) bool {
	fn, ok := c.byObj[f]
	if !ok || fn.CFG == nil || i >= f.Signature().Params().Len() || f.Signature().Variadic() && i >= f.Signature().Params().Len()-1 {
		return false
	}
	p := f.Signature().Params().At(i)
	if !types.Identical(p.Type(), types.Universe.Lookup("error").Type()) {
		return false
	}
	w := walker{prune: c.nilPrune(key{root: p}), dead: func(n ast.Node) bool { return c.isGoexit(endCall(n)) }}
	_, _, returns := w.find(fn.CFG.Blocks[0], -1, isReturn, nil)
	return !returns
}
