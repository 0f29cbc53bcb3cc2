package iotimeout

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/leaklint/leaklint/internal/callee"
)

// localNetwork reports whether the network argument e of a dial in the
// function body root can only name networks that do not wait for a
// remote peer to answer (udp, unix sockets, raw ip): a constant, or a
// local variable that ranges over or is assigned constants only.
func (c *checker) localNetwork(root ast.Node, e ast.Expr) bool {
	values, ok := c.constStrings(root, e, 0)
	if !ok || len(values) == 0 {
		return false
	}
	for _, network := range values {
		if !strings.HasPrefix(network, "udp") && !strings.HasPrefix(network, "unix") && !strings.HasPrefix(network, "ip") {
			return false
		}
	}
	return true
}

// constStrings returns the string values e can have, or false when
// they are not all known constants: e is a constant, or a local variable
// of root assigned once, from such an expression or by ranging over a
// composite literal of them (directly or through a variable assigned
// once).
func (c *checker) constStrings(root ast.Node, e ast.Expr, depth int) ([]string, bool) {
	e = ast.Unparen(e)
	if tv := c.pass.TypesInfo.Types[e]; tv.Value != nil {
		if tv.Value.Kind() != constant.String {
			return nil, false
		}
		return []string{constant.StringVal(tv.Value)}, true
	}
	if depth > 3 || root == nil {
		return nil, false // give up on long chains
	}
	if f := c.privateField(e); f != nil {
		return c.fieldStrings(f)
	}
	src, ranged := c.singleSource(root, c.localVar(e))
	if src == nil {
		return nil, false
	}
	if !ranged {
		return c.constStrings(root, src, depth+1)
	}
	lit, ok := ast.Unparen(src).(*ast.CompositeLit)
	if !ok {
		if s, r := c.singleSource(root, c.localVar(ast.Unparen(src))); s != nil && !r {
			lit, ok = ast.Unparen(s).(*ast.CompositeLit)
		}
	}
	if !ok {
		return nil, false
	}
	var out []string
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			elt = kv.Value
		}
		vs, ok := c.constStrings(root, elt, depth+1)
		if !ok {
			return nil, false
		}
		out = append(out, vs...)
	}
	return out, true
}

// listenerAddr reports whether e is l.Addr().String() for a listener l
// (a type with Accept and Addr methods): the program dials itself, as a
// pipe (go-ethereum's p2p/pipes).
func (c *checker) listenerAddr(e ast.Expr) bool {
	info := c.pass.TypesInfo
	str, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(str.Args) != 0 {
		return false
	}
	sel, ok := str.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "String" {
		return false
	}
	addr, ok := ast.Unparen(sel.X).(*ast.CallExpr)
	if !ok || len(addr.Args) != 0 {
		return false
	}
	asel, ok := addr.Fun.(*ast.SelectorExpr)
	if !ok || asel.Sel.Name != "Addr" {
		return false
	}
	t := info.TypeOf(asel.X)
	if t == nil {
		return false
	}
	accept, _, _ := types.LookupFieldOrMethod(t, true, nil, "Accept")
	_, isFunc := accept.(*types.Func)
	return isFunc
}

// privateField returns the field that the selector e reads when it is an
// unexported field of a named struct type of this package: only this
// package can write it.
func (c *checker) privateField(e ast.Expr) *types.Var {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s := c.pass.TypesInfo.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal {
		return nil
	}
	f := s.Obj().(*types.Var)
	if f.Exported() || f.Pkg() != c.pass.Pkg || f.Embedded() {
		return nil
	}
	return f
}

// fieldStrings returns the string values the private field f can hold:
// every value written to it in the package (keyed or positional in a
// composite literal, or assigned) is a constant, its address is never
// taken, and at least one is written.
func (c *checker) fieldStrings(f *types.Var) ([]string, bool) {
	if c.fieldValues == nil {
		c.fieldValues = make(map[*types.Var]*fieldWrites)
	}
	if w, ok := c.fieldValues[f]; ok {
		return w.values, w.known
	}
	w := &fieldWrites{known: true}
	c.fieldValues[f] = w
	info := c.pass.TypesInfo
	isF := func(e ast.Expr) bool {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		return ok && info.Uses[sel.Sel] == f
	}
	write := func(v ast.Expr) {
		tv := info.Types[v]
		if tv.Value == nil || tv.Value.Kind() != constant.String {
			w.known = false
			return
		}
		w.values = append(w.values, constant.StringVal(tv.Value))
	}
	for _, file := range c.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				st, ok := info.TypeOf(n).Underlying().(*types.Struct)
				if !ok {
					return true
				}
				for i, elt := range n.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok {
						if id, ok := kv.Key.(*ast.Ident); ok && info.Uses[id] == f {
							write(kv.Value)
						}
					} else if i < st.NumFields() && st.Field(i) == f {
						write(elt)
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					if !isF(lhs) {
						continue
					}
					if len(n.Lhs) == len(n.Rhs) && n.Tok == token.ASSIGN {
						write(n.Rhs[i])
					} else {
						w.known = false
					}
				}
			case *ast.IncDecStmt:
				if isF(n.X) {
					w.known = false
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND && isF(n.X) {
					w.known = false
				}
			}
			return true
		})
	}
	if len(w.values) == 0 {
		w.known = false
	}
	return w.values, w.known
}

// fieldWrites memoises fieldStrings.
type fieldWrites struct {
	values []string
	known  bool
}

// localVar returns the variable e names, or nil.
func (c *checker) localVar(e ast.Expr) *types.Var {
	id, ok := e.(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := c.pass.TypesInfo.Uses[id].(*types.Var)
	return v
}

// singleSource returns the expression the variable v, declared in root,
// gets its value from when it is assigned exactly once: the assigned
// value, or the ranged-over operand (ranged is then true) when v is the
// value variable of a range statement.
func (c *checker) singleSource(root ast.Node, v *types.Var) (src ast.Expr, ranged bool) {
	info := c.pass.TypesInfo
	if v == nil || v.Pos() < root.Pos() || v.Pos() >= root.End() {
		return nil, false
	}
	n := 0
	ast.Inspect(root, func(node ast.Node) bool {
		switch node := node.(type) {
		case *ast.RangeStmt:
			if id, ok := node.Value.(*ast.Ident); ok && info.ObjectOf(id) == v {
				n++
				src, ranged = node.X, true
			}
			if id, ok := node.Key.(*ast.Ident); ok && info.ObjectOf(id) == v {
				n += 2 // the key: not a value of the slice
			}
		case *ast.AssignStmt:
			for _, lhs := range node.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && info.ObjectOf(id) == v {
					n++
					src, ranged = valueOf(node, id), false
				}
			}
		case *ast.ValueSpec:
			for _, name := range node.Names {
				if info.ObjectOf(name) == v && len(node.Values) > 0 {
					n++
					src, ranged = valueOf(node, name), false
				}
			}
		case *ast.UnaryExpr:
			if id, ok := node.X.(*ast.Ident); ok && node.Op == token.AND && info.ObjectOf(id) == v {
				n += 2 // its address is taken: it may change anywhere
			}
		}
		return true
	})
	if n != 1 || src == nil {
		return nil, false
	}
	return src, ranged
}

// loopback reports whether the address e is on the loopback interface
// only: a constant, a concatenation, fmt.Sprintf or net.JoinHostPort
// that starts with localhost, 127.x or [::1].
func (c *checker) loopback(e ast.Expr) bool {
	info := c.pass.TypesInfo
	e = ast.Unparen(e)
	// The leftmost operand of a + chain.
	for {
		b, ok := e.(*ast.BinaryExpr)
		if !ok || b.Op != token.ADD {
			break
		}
		e = ast.Unparen(b.X)
	}
	if c.listenerAddr(e) {
		return true
	}
	host := ""
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) > 0 {
		fn := callee.Of(info, call)
		switch {
		case callee.IsFunc(fn, "fmt", "Sprintf"):
			e = call.Args[0]
		case callee.IsFunc(fn, "net", "JoinHostPort"):
			if tv := info.Types[call.Args[0]]; tv.Value != nil && tv.Value.Kind() == constant.String {
				host = constant.StringVal(tv.Value)
			}
			return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
		}
	}
	tv := info.Types[e]
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return false
	}
	addr := constant.StringVal(tv.Value)
	for _, p := range []string{"localhost:", "127.", "[::1]:"} {
		if strings.HasPrefix(addr, p) {
			return true
		}
	}
	return false
}
