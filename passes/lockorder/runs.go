package lockorder

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/flow"
	"github.com/leaklint/leaklint/internal/locks"
)

// ---- "on every run": on every path that does the function's work ----

// A runs answers, for one function, whether a CFG node is on every path
// that does the function's work: the acquires fact counts the
// acquisitions made there. It relaxes "on every path" (flow.Always) in
// two ways, and in no other:
//
//   - a loop whose body is reached runs at least once: a node on every
//     path through the body of each loop around it counts (a call in
//     for _, r := range s.replicas), since a loop that runs zero times
//     is no mode of the function, only an empty input;
//   - a return that is the only statement of an if or else branch or of
//     a switch case (default: return false) ends its path without
//     counting against the node: such a path does no work. Unless the
//     conditions that lead to it depend on a parameter other than the
//     receiver: if !lock { return } is a mode the caller chooses, and
//     the fact cannot tell which mode a call takes.
//
// And for a call of a function value, one more: the call's own nil
// check (if f != nil { f() }) is about whether there is a callee, not a
// mode of the function, so the check's false edge is not followed when
// asking about the call.
//
// Everything else still needs every path: a branch that does other
// work, a break or continue that skips the node, a return after other
// statements, a lock taken only under a parameter's guard.
type runs struct {
	fn     *locks.Func
	always map[ast.Node]bool // memo
	guards map[*ast.ReturnStmt]bool
	loops  []loop
	// nilChecks maps a call of a function value to the conditions of
	// the nil checks of that value around it (if f != nil { ... f() }).
	nilChecks map[*ast.CallExpr][]ast.Expr
	budget    int // block visits left; when spent, answers fall back to every path
}

// A loop is a for or range statement of the function, with its blocks.
type loop struct {
	body       *ast.BlockStmt
	head, done *cfg.Block
	// outside holds the blocks reachable from the entry without passing
	// head: an edge into head from any other block is a back edge (head
	// dominates its source). Built on first use.
	outside map[*cfg.Block]bool
}

// runsBudget bounds the block visits of the searches of one function:
// a generated function with thousands of locking calls in branches would
// otherwise cost its size once per call.
const runsBudget = 200000

func newRuns(info *types.Info, fn *locks.Func) *runs {
	r := &runs{fn: fn, always: make(map[ast.Node]bool), budget: runsBudget}
	r.guards = guardReturns(info, fn)
	r.nilChecks = nilChecked(info, fn)
	heads := make(map[ast.Stmt]*loop)
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // another function
		case *ast.ForStmt:
			heads[n] = &loop{body: n.Body}
		case *ast.RangeStmt:
			heads[n] = &loop{body: n.Body}
		}
		return true
	})
	for _, b := range fn.CFG.Blocks {
		l := heads[b.Stmt]
		if l == nil {
			continue
		}
		switch b.Kind {
		case cfg.KindForLoop, cfg.KindRangeLoop:
			l.head = b
		case cfg.KindForBody:
			if l.head == nil {
				l.head = b // for { ... } with no condition: the body is the head
			}
		case cfg.KindForDone, cfg.KindRangeDone:
			l.done = b
		}
	}
	for _, l := range heads {
		if l.head != nil && l.done != nil {
			r.loops = append(r.loops, *l)
		}
	}
	return r
}

// call reports whether call is on every run (see runs), its own nil
// checks taken as passed.
func (r *runs) call(call *ast.CallExpr) bool {
	b, i := r.fn.Index().Locate(call.Pos())
	if b == nil {
		return false
	}
	if r.node(b.Nodes[i]) {
		return true
	}
	conds := r.nilChecks[call]
	if len(conds) == 0 {
		return false
	}
	// The blocks that end in one of the checks: their false edge, the
	// one past the call, is not followed.
	skip := make(map[*cfg.Block]bool)
	for _, cond := range conds {
		cb, j := r.fn.Index().Locate(cond.Pos())
		if cb == nil || j != len(cb.Nodes)-1 || cb.Nodes[j] != cond || len(cb.Succs) != 2 {
			return false // not the plain two-way branch we expect
		}
		skip[cb] = true
	}
	return r.search(b.Nodes[i], skip)
}

// node reports whether CFG node n is on every run (see runs).
func (r *runs) node(n ast.Node) bool {
	if r.fn.OnEveryPath(n) {
		return true
	}
	if v, ok := r.always[n]; ok {
		return v
	}
	v := r.search(n, nil)
	r.always[n] = v
	return v
}

// search looks for a path from the entry that does work without passing
// n: one that reaches a return other than a guard return, or goes round
// a loop around n again without passing n. The exit edges of the loops
// around n are not followed (each runs at least once), nor the false
// edges of the blocks in skip (nil checks of n's callee).
func (r *runs) search(n ast.Node, skip map[*cfg.Block]bool) bool {
	target, _ := r.fn.Index().Locate(n.Pos())
	if target == nil {
		return false // dead code
	}
	var around []*loop
	for i := range r.loops {
		l := &r.loops[i]
		if l.body.Pos() <= n.Pos() && n.End() <= l.body.End() {
			if l.outside == nil {
				head := l.head
				l.outside = flow.Reachable(r.fn.CFG.Blocks[:1], func(_, to *cfg.Block) bool { return to == head })
			}
			around = append(around, l)
		}
	}
	seen := make(map[*cfg.Block]bool)
	stack := []*cfg.Block{r.fn.CFG.Blocks[0]}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b] || b == target {
			continue
		}
		seen[b] = true
		if r.budget--; r.budget < 0 {
			return false // too costly: every path, as before
		}
		if ret := b.Return(); ret != nil {
			if r.guards[ret] {
				continue // a guard return: this path does no work
			}
			return false
		}
	succs:
		for k, s := range b.Succs {
			if k == 1 && skip[b] {
				continue // the callee's nil check: it exists on every run that does the work
			}
			for _, l := range around {
				if b == l.head && s == l.done {
					continue succs // the loop runs at least once
				}
				if s == l.head && !l.outside[b] {
					return false // round the loop again without n
				}
			}
			stack = append(stack, s)
		}
	}
	return true
}

// nilChecked returns the calls of fn of a function value (a variable,
// a parameter, a field: f(), r.AddFunc()) made in the body of an if
// statement whose whole condition is that value's nil check
// (f != nil or nil != f, no init, no else), with the conditions of those
// checks.
func nilChecked(info *types.Info, fn *locks.Func) map[*ast.CallExpr][]ast.Expr {
	out := make(map[*ast.CallExpr][]ast.Expr)
	var checks []*ast.IfStmt // the nil checks around the node visited
	var stack []ast.Node
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if n == nil {
			if top := stack[len(stack)-1]; len(checks) > 0 && top == ast.Node(checks[len(checks)-1]) {
				checks = checks[:len(checks)-1]
			}
			stack = stack[:len(stack)-1]
			return true
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // another function
		case *ast.IfStmt:
			if n.Init == nil && n.Else == nil && checkedValue(info, n.Cond) != nil {
				checks = append(checks, n)
			}
		case *ast.CallExpr:
			for _, s := range checks {
				if n.Pos() >= s.Body.Pos() && sameValue(info, checkedValue(info, s.Cond), n.Fun) {
					out[n] = append(out[n], s.Cond)
				}
			}
		}
		stack = append(stack, n)
		return true
	})
	return out
}

// checkedValue returns x of a condition x != nil or nil != x where x is a
// variable or a field selection of function type, or nil.
func checkedValue(info *types.Info, cond ast.Expr) ast.Expr {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != token.NEQ {
		return nil
	}
	x, y := ast.Unparen(b.X), ast.Unparen(b.Y)
	if isNil(info, x) {
		x, y = y, x
	}
	if !isNil(info, y) {
		return nil
	}
	if _, ok := info.TypeOf(x).Underlying().(*types.Signature); !ok {
		return nil
	}
	if valuePath(info, x) == nil {
		return nil
	}
	return x
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	_, ok = info.Uses[id].(*types.Nil)
	return ok
}

// valuePath returns the objects of a variable or a chain of field
// selections on one (r.AddFunc: r, AddFunc), or nil for anything else.
func valuePath(info *types.Info, e ast.Expr) []types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := info.Uses[e].(*types.Var); ok {
			return []types.Object{v}
		}
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			if p := valuePath(info, e.X); p != nil {
				return append(p, sel.Obj())
			}
		}
	}
	return nil
}

// sameValue reports whether x and y name the same variable or field
// chain.
func sameValue(info *types.Info, x, y ast.Expr) bool {
	if x == nil {
		return false
	}
	px, py := valuePath(info, x), valuePath(info, y)
	return px != nil && slices.Equal(px, py)
}

// guardReturns returns the returns of fn that are the only statement of
// an if or else branch or of a switch case, and whose conditions (those
// of every if and switch around them) do not depend on a parameter other
// than the receiver, directly or through local variables.
func guardReturns(info *types.Info, fn *locks.Func) map[*ast.ReturnStmt]bool {
	tainted := paramTaint(info, fn)
	mentions := func(n ast.Node) bool {
		if n == nil {
			return false
		}
		found := false
		ast.Inspect(n, func(m ast.Node) bool {
			if id, ok := m.(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && tainted[v] {
					found = true
				}
			}
			return !found
		})
		return found
	}
	// conds reports whether the conditions of stmt, an if or switch
	// statement, depend on a parameter.
	conds := func(stmt ast.Node) bool {
		switch s := stmt.(type) {
		case *ast.IfStmt:
			return mentions(s.Init) || mentions(s.Cond)
		case *ast.SwitchStmt:
			if mentions(s.Init) || mentions(s.Tag) {
				return true
			}
			for _, c := range s.Body.List {
				if cc, ok := c.(*ast.CaseClause); ok {
					for _, e := range cc.List {
						if mentions(e) {
							return true
						}
					}
				}
			}
		case *ast.TypeSwitchStmt:
			return mentions(s.Init) || mentions(s.Assign)
		}
		return false
	}
	out := make(map[*ast.ReturnStmt]bool)
	var stack []ast.Node
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if ret, ok := n.(*ast.ReturnStmt); ok && len(stack) >= 2 && soleReturn(stack[len(stack)-1], stack[len(stack)-2], ret) {
			guard := true
			for _, a := range stack {
				if conds(a) {
					guard = false
					break
				}
			}
			out[ret] = guard
		}
		stack = append(stack, n)
		return true
	})
	return out
}

// soleReturn reports whether ret is the only statement of parent, a
// branch of grand: the body or else block of an if statement, or a case
// clause of a switch (grand is then the switch's body).
func soleReturn(parent, grand ast.Node, ret *ast.ReturnStmt) bool {
	switch p := parent.(type) {
	case *ast.BlockStmt:
		if len(p.List) != 1 || p.List[0] != ret {
			return false
		}
		if s, ok := grand.(*ast.IfStmt); ok {
			return s.Body == p || s.Else == p
		}
	case *ast.CaseClause:
		return len(p.Body) == 1 && p.Body[0] == ret
	}
	return false
}

// paramTaint returns the parameters of fn other than its receiver, and
// the local variables assigned from expressions that mention them,
// transitively.
func paramTaint(info *types.Info, fn *locks.Func) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	if fn.Type == nil || fn.Type.Params == nil {
		return out
	}
	for _, f := range fn.Type.Params.List {
		for _, name := range f.Names {
			if v, ok := info.Defs[name].(*types.Var); ok {
				out[v] = true
			}
		}
	}
	if len(out) == 0 {
		return out
	}
	mentions := func(e ast.Node) bool {
		found := false
		ast.Inspect(e, func(m ast.Node) bool {
			if id, ok := m.(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && out[v] {
					found = true
				}
			}
			return !found
		})
		return found
	}
	taint := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok || out[v] {
			return false
		}
		out[v] = true
		return true
	}
	for changed := true; changed; {
		changed = false
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					rhs := ast.Node(nil)
					if len(n.Lhs) == len(n.Rhs) {
						rhs = n.Rhs[i]
					} else if len(n.Rhs) == 1 {
						rhs = n.Rhs[0]
					}
					if rhs != nil && mentions(rhs) && taint(lhs) {
						changed = true
					}
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					var rhs ast.Node
					if len(n.Values) == len(n.Names) {
						rhs = n.Values[i]
					} else if len(n.Values) == 1 {
						rhs = n.Values[0]
					}
					if rhs != nil && mentions(rhs) && taint(name) {
						changed = true
					}
				}
			case *ast.RangeStmt:
				if mentions(n.X) {
					for _, e := range []ast.Expr{n.Key, n.Value} {
						if e != nil && taint(e) {
							changed = true
						}
					}
				}
			}
			return true
		})
	}
	return out
}
