package lockblock

import (
	_ "embed"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/chans"
)

// ---- buffered channels with room ----

// room knows the sends that cannot block: on a channel made in the same
// function with a constant capacity, used only for sends, receives,
// close, len and cap there, and sent on at most that many times, never in
// a loop.
type room struct {
	ok map[*ast.SendStmt]bool
}

func newRoom(info *types.Info, body *ast.BlockStmt) *room {
	r := &room{ok: make(map[*ast.SendStmt]bool)}
	capOf := make(map[types.Object]int64)
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, rhs := range as.Rhs {
			call, ok := ast.Unparen(rhs).(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				continue
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "make" {
				continue
			}
			tv := info.Types[call.Args[1]]
			if tv.Value == nil || tv.Value.Kind() != constant.Int {
				continue
			}
			n, ok := constant.Int64Val(tv.Value)
			if !ok || n <= 0 {
				continue
			}
			if id, ok := as.Lhs[i].(*ast.Ident); ok {
				if obj := info.Defs[id]; obj != nil {
					capOf[obj] = n
				}
			}
		}
		return true
	})
	if len(capOf) == 0 {
		return r
	}
	// Count the sends per channel, and give up on channels used in any
	// other way or sent on in a loop.
	sends := make(map[types.Object][]*ast.SendStmt)
	bad := make(map[types.Object]bool)
	var loops int
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch top.(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				loops--
			}
			return true
		}
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			loops++
		case *ast.FuncLit:
			// A use inside a literal: the channel is shared.
			ast.Inspect(n, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok && capOf[info.Uses[id]] > 0 {
					bad[info.Uses[id]] = true
				}
				return true
			})
			return false
		case *ast.Ident:
			obj := info.Uses[n]
			if capOf[obj] == 0 || len(stack) == 0 {
				break
			}
			switch p := stack[len(stack)-1].(type) {
			case *ast.SendStmt:
				if p.Chan == n {
					sends[obj] = append(sends[obj], p)
					if loops > 0 {
						bad[obj] = true
					}
				}
			case *ast.UnaryExpr:
				// a receive
			case *ast.CallExpr:
				if id, ok := p.Fun.(*ast.Ident); !ok || (id.Name != "close" && id.Name != "len" && id.Name != "cap") {
					bad[obj] = true // passed to a function
				}
			default:
				bad[obj] = true
			}
		}
		stack = append(stack, n)
		return true
	})
	for obj, ss := range sends {
		if !bad[obj] && int64(len(ss)) <= capOf[obj] {
			for _, s := range ss {
				r.ok[s] = true
			}
		}
	}
	return r
}

func (r *room) has(s *ast.SendStmt) bool { return r.ok[s] }

// rootVar returns the variable at the root of a selector chain
// (c in c.conn.Write), or nil.
func rootVar(info *types.Info, e ast.Expr) *types.Var {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.Ident:
			v, _ := info.Uses[x].(*types.Var)
			return v
		default:
			return nil
		}
	}
}

// chanObj returns the variable or field a channel expression names.
func (c *checker) chanObj(e ast.Expr) types.Object {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return origin(c.pass.TypesInfo.Uses[x])
	case *ast.SelectorExpr:
		return origin(c.pass.TypesInfo.Uses[x.Sel])
	}
	return nil
}

// origin returns the field or variable a generic type's instance field
// stands for (every method of shard[K, V] sees its own copies of the
// fields): the identity all of them share.
func origin(obj types.Object) types.Object {
	if v, ok := obj.(*types.Var); ok {
		return v.Origin()
	}
	return obj
}

// findBuffered returns the channel variables and fields of the package
// that every make assigned to them buffers with a constant capacity: a
// send on them is taken to be designed to have room (a queue sized for
// its load), and is not reported. Receives from them still are.
func findBuffered(pass *analysis.Pass) map[types.Object]bool {
	info := pass.TypesInfo
	buffered := make(map[types.Object]bool)
	unbuffered := make(map[types.Object]bool)
	note := func(obj types.Object, rhs ast.Expr) {
		call, ok := ast.Unparen(rhs).(*ast.CallExpr)
		if obj == nil || !ok {
			return
		}
		if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "make" {
			return
		}
		if _, ok := typeUnder(info.TypeOf(call)).(*types.Chan); !ok {
			return
		}
		if len(call.Args) == 2 {
			if tv := info.Types[call.Args[1]]; tv.Value != nil && tv.Value.Kind() == constant.Int {
				if n, ok := constant.Int64Val(tv.Value); ok && n > 0 {
					buffered[obj] = true
					return
				}
			}
		}
		unbuffered[obj] = true
	}
	target := func(e ast.Expr) types.Object {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return origin(info.ObjectOf(x))
		case *ast.SelectorExpr:
			return origin(info.Uses[x.Sel])
		}
		return nil
	}
	analysisutil.Inspector(pass).Preorder([]ast.Node{
		(*ast.AssignStmt)(nil),
		(*ast.ValueSpec)(nil),
		(*ast.KeyValueExpr)(nil),
	}, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i := range n.Lhs {
					note(target(n.Lhs[i]), n.Rhs[i])
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i := range n.Names {
					note(info.Defs[n.Names[i]], n.Values[i])
				}
			}
		case *ast.KeyValueExpr:
			if key, ok := n.Key.(*ast.Ident); ok {
				// A field in a composite literal: its object is the
				// field (Uses records it for struct literals).
				note(origin(info.Uses[key]), n.Value)
			}
		}
	})
	for obj := range unbuffered {
		delete(buffered, obj)
	}
	return buffered
}

// refill returns the send of a select case that replaces a pending value:
// case <-ch: ch <- v, the first statement after receiving from the same
// channel (nomad's AllocBroadcaster drops a listener's stale update for
// the new one). The receive made the room the send fills.
func refill(cc *ast.CommClause) *ast.SendStmt {
	var from ast.Expr
	switch comm := cc.Comm.(type) {
	case *ast.ExprStmt:
		if u, ok := ast.Unparen(comm.X).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			from = u.X
		}
	case *ast.AssignStmt:
		if len(comm.Rhs) == 1 {
			if u, ok := ast.Unparen(comm.Rhs[0]).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
				from = u.X
			}
		}
	}
	if from == nil || len(cc.Body) == 0 {
		return nil
	}
	send, ok := cc.Body[0].(*ast.SendStmt)
	if !ok || types.ExprString(send.Chan) != types.ExprString(from) {
		return nil
	}
	return send
}

// semaphores returns the channels a function both sends on and receives
// from outside selects: a channel used as a counting semaphore (<-sem ...
// sem <- token). Taking a token is waiting for a lock-like resource, not
// for another party; lock ordering, not this pass, is the concern there.
func semaphores(info *types.Info, body *ast.BlockStmt) map[types.Object]bool {
	sends := make(map[types.Object]bool)
	recvs := make(map[types.Object]bool)
	obj := func(e ast.Expr) types.Object {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return origin(info.Uses[x])
		case *ast.SelectorExpr:
			return origin(info.Uses[x.Sel])
		}
		return nil
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.SelectStmt:
			return false
		case *ast.SendStmt:
			if o := obj(n.Chan); o != nil {
				sends[o] = true
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				if o := obj(n.X); o != nil {
					recvs[o] = true
				}
			}
		}
		return true
	})
	out := make(map[types.Object]bool)
	for o := range sends {
		if recvs[o] {
			out[o] = true
		}
	}
	return out
}

// derivedRoots maps the local variables of body assigned from an
// expression rooted at another variable (tx, err := s.db.Begin()) to that
// root, transitively (stmt := tx.Prepare(...) is rooted at s too).
func derivedRoots(info *types.Info, body *ast.BlockStmt) map[*types.Var]*types.Var {
	out := make(map[*types.Var]*types.Var)
	for changed := true; changed; {
		changed = false
		ast.Inspect(body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Rhs) != 1 {
				return true
			}
			root := rootVar(info, callBase(as.Rhs[0]))
			if root == nil {
				// txp := &stmts{Tx: tx}: a value built around tx.
				root = compositeRoot(info, as.Rhs[0])
			}
			if root == nil {
				return true
			}
			if r, ok := out[root]; ok {
				root = r
			}
			for _, lhs := range as.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok {
					continue
				}
				v, ok := info.ObjectOf(id).(*types.Var)
				if !ok || v == root || out[v] == root {
					continue
				}
				if _, seen := out[v]; seen {
					continue // assigned from two roots: keep the first
				}
				out[v] = root
				changed = true
			}
			return true
		})
	}
	return out
}

// compositeRoot returns the root variable of the first element of a
// composite literal (or of &T{...}) that has one, or nil.
func compositeRoot(info *types.Info, e ast.Expr) *types.Var {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			elt = kv.Value
		}
		if v := rootVar(info, callBase(elt)); v != nil {
			return v
		}
	}
	return nil
}

// callBase returns the receiver expression of a method call (s.db in
// s.db.Begin()), or e itself.
func callBase(e ast.Expr) ast.Expr {
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			return sel.X
		}
	}
	return e
}

// boundedSend reports whether a select without default only sends on
// buffered channels, its other cases waiting for a timer or a
// cancellation: post(v) with a timeout on a queue sized for its load.
func (c *checker) boundedSend(sel *ast.SelectStmt) bool {
	sends := 0
	for _, cl := range sel.Body.List {
		comm := cl.(*ast.CommClause).Comm
		if send, ok := comm.(*ast.SendStmt); ok {
			if !c.buffered[c.chanObj(send.Chan)] {
				return false
			}
			sends++
			continue
		}
		ch := chans.Received(comm)
		if ch == nil {
			return false
		}
		if !isTimerOrDone(c.pass.TypesInfo, ch) {
			return false
		}
	}
	return sends > 0
}

// isTimerOrDone reports whether ch is time.After(d), t.C of a timer or
// ticker, or a Done() call.
func isTimerOrDone(info *types.Info, ch ast.Expr) bool {
	switch x := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		if callee.IsFunc(callee.Of(info, x), "time", "After") {
			return true
		}
		sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "Done" && len(x.Args) == 0
	case *ast.SelectorExpr:
		t := info.TypeOf(x.X)
		return x.Sel.Name == "C" && (callee.IsNamed(t, "time", "Timer") || callee.IsNamed(t, "time", "Ticker"))
	}
	return false
}

// closedBefore reports whether ch, a local variable, is closed by a
// close(ch) statement earlier in a block that also holds the position
// at: close(errCh); for err := range errCh { ... } cannot block.
func closedBefore(info *types.Info, body *ast.BlockStmt, ch ast.Expr, at token.Pos) bool {
	id, ok := ast.Unparen(ch).(*ast.Ident)
	if !ok {
		return false
	}
	v := info.Uses[id]
	if v == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		blk, ok := n.(*ast.BlockStmt)
		if !ok || found || at < blk.Pos() || at >= blk.End() {
			return !found
		}
		for _, st := range blk.List {
			if st.Pos() >= at {
				break
			}
			es, ok := st.(*ast.ExprStmt)
			if !ok {
				continue
			}
			call, ok := es.X.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				continue
			}
			if fid, ok := call.Fun.(*ast.Ident); ok && fid.Name == "close" {
				if aid, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok && info.Uses[aid] == v {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// findTokenPools returns the channel variables and fields used as token
// pools: made with a buffer and filled in a loop by the same function
// (dios = make(chan struct{}, n); for i := 0; i < n; i++ { dios <- token }).
// Taking a token is waiting for a lock-like resource that holders give
// back, not for another party; lock ordering is the concern there.
func findTokenPools(pass *analysis.Pass) map[types.Object]bool {
	info := pass.TypesInfo
	out := make(map[types.Object]bool)
	target := func(e ast.Expr) types.Object {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return origin(info.ObjectOf(x))
		case *ast.SelectorExpr:
			return origin(info.Uses[x.Sel])
		}
		return nil
	}
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			made := make(map[types.Object]bool)
			isMake := func(e ast.Expr) bool {
				call, ok := ast.Unparen(e).(*ast.CallExpr)
				if !ok || len(call.Args) != 2 {
					return false
				}
				id, ok := call.Fun.(*ast.Ident)
				return ok && id.Name == "make"
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					if len(n.Lhs) != len(n.Rhs) {
						return true
					}
					for i, rhs := range n.Rhs {
						if o := target(n.Lhs[i]); o != nil && isMake(rhs) {
							made[o] = true
						}
					}
				case *ast.KeyValueExpr:
					// d := &sem{ch: make(chan struct{}, n)}
					if key, ok := n.Key.(*ast.Ident); ok && isMake(n.Value) {
						if o := origin(info.Uses[key]); o != nil {
							made[o] = true
						}
					}
				}
				return true
			})
			if len(made) == 0 {
				continue
			}
			var visit func(n ast.Node, inLoop bool)
			visit = func(n ast.Node, inLoop bool) {
				ast.Inspect(n, func(m ast.Node) bool {
					switch m := m.(type) {
					case *ast.ForStmt:
						visit(m.Body, true)
						return false
					case *ast.RangeStmt:
						visit(m.Body, true)
						return false
					case *ast.SendStmt:
						if o := target(m.Chan); inLoop && o != nil && made[o] {
							out[o] = true
						}
					}
					return true
				})
			}
			visit(fd.Body, false)
		}
	}
	return out
}
