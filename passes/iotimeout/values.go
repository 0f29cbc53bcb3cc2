package iotimeout

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/knowledge"
)

// A valueKind is a type whose values carry their own timeouts: a value
// built without them waits on the network with no bound when one of its
// waiting methods is called. Which fields are timeouts and which methods
// wait is knowledge (knowledge.Types, and the rows of knowledge.APIs
// with ReceiverTimeout); the words of the messages are the pass's.
type valueKind struct {
	pkg, name string
	label     string   // as written in messages
	timeouts  []string // fields any of which, set, bounds the wait
	waits     []string // methods that wait on the network
	missing   string   // what the value lacks, for messages
	effect    string   // the consequence, with %s for the waiting call
	fix       string
}

var (
	clientKind = newKind(&valueKind{
		pkg: "net/http", name: "Client", label: "http.Client",
		missing: "has no Timeout",
		effect:  "%s can wait forever for a server that stops answering",
		fix:     "set Timeout",
	})
	serverKind = newKind(&valueKind{
		pkg: "net/http", name: "Server", label: "http.Server",
		missing: "has neither ReadHeaderTimeout nor ReadTimeout",
		effect:  "with %s a client that never finishes sending its request headers holds a connection and a goroutine forever",
		fix:     "set ReadHeaderTimeout",
	})
	dialerKind = newKind(&valueKind{
		pkg: "net", name: "Dialer", label: "net.Dialer",
		missing: "has neither Timeout nor Deadline",
		effect:  "%s waits for as long as the operating system keeps trying to connect (minutes)",
		fix:     "set Timeout, or call DialContext with a context that has a deadline",
	})
	kinds = []*valueKind{clientKind, serverKind, dialerKind}
)

// newKind fills in k's timeout fields and waiting methods from the
// knowledge tables.
func newKind(k *valueKind) *valueKind {
	for _, t := range knowledge.Types {
		if t.Pkg == k.pkg && t.Name == k.name {
			k.timeouts = t.Timeouts
		}
	}
	if k.timeouts == nil {
		panic("iotimeout: " + k.label + " is not in knowledge.Types")
	}
	k.waits = knowledge.Waits(k.pkg, k.name)
	return k
}

// kindOf returns the kind of values of type t (or of what t points to),
// or nil.
func kindOf(t types.Type) *valueKind {
	if t == nil {
		return nil
	}
	for _, k := range kinds {
		if callee.IsNamed(t, k.pkg, k.name) {
			return k
		}
	}
	return nil
}

func kindByLabel(label string) *valueKind {
	for _, k := range kinds {
		if k.label == label {
			return k
		}
	}
	return nil
}

// An origin is where a client, server or dialer value comes from.
type origin struct {
	kind *valueKind
	// expr is the expression that yields the value: &T{...}, T{...},
	// new(T), a call of an untimed constructor, http.DefaultClient. It
	// is nil for a zero value declared with var x T.
	expr ast.Expr
	// at is the range reported for a value kept in a variable.
	at analysis.Range
	// timed is set when the expression itself sets a timeout (or may:
	// a Transport the pass can't see into, unkeyed fields).
	timed bool
	// ctor is the constructor called, when the value comes from one,
	// and result the index of the value among its results.
	ctor   string
	result int
	// isDefault is set for http.DefaultClient.
	isDefault bool
}

// A site is an origin in a function and what is done with the value
// there.
type site struct {
	origin
	parent ast.Node // the node around expr, parentheses skipped
	child  ast.Node // the child of parent that holds expr
	grand  ast.Node // the node around parent
	// v is the local variable the value is kept in, and def the
	// identifier that assigns it, when the value goes into a variable.
	v   *types.Var
	def *ast.Ident
}

// sites returns the origins in fn's own body (not in its function
// literals) with their context.
func (c *checker) sites(fn *function) []*site {
	info := c.pass.TypesInfo
	var out []*site
	var stack []ast.Node
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false // a function of its own
		}
		var s *site
		switch n := n.(type) {
		case *ast.DeclStmt:
			out = append(out, c.zeroValues(fn, n)...)
		case ast.Expr:
			if id, ok := n.(*ast.Ident); ok && len(stack) > 0 {
				if sel, ok := stack[len(stack)-1].(*ast.SelectorExpr); ok && sel.Sel == id {
					break // taken at the selector
				}
			}
			if lit, ok := n.(*ast.CompositeLit); ok && len(stack) > 0 {
				if u, ok := stack[len(stack)-1].(*ast.UnaryExpr); ok && u.Op == token.AND && u.X == lit {
					break // taken as &T{...} at the UnaryExpr
				}
			}
			if o := c.originOf(fn, n); o != nil {
				s = &site{origin: *o}
			}
		}
		if s != nil {
			s.child = n
			i := len(stack) - 1
			for ; i >= 0; i-- {
				if _, ok := stack[i].(*ast.ParenExpr); !ok {
					break
				}
				s.child = stack[i]
			}
			if i >= 0 {
				s.parent = stack[i]
			}
			if i >= 1 {
				s.grand = stack[i-1]
			}
			lhs := assignedTo(s.parent, s.child)
			if lhs == nil && s.ctor != "" {
				lhs = tupleAssignedTo(s.parent, s.child, s.result)
			}
			if lhs != nil {
				if id, ok := lhs.(*ast.Ident); ok {
					if v, ok := info.ObjectOf(id).(*types.Var); ok && local(fn, v) {
						s.v, s.def = v, id
						s.at = s.rangeAt()
					}
				}
			}
			out = append(out, s)
		}
		stack = append(stack, n)
		return true
	})
	return out
}

// rangeAt returns the narrow range reported for a value kept in a
// variable: the type of a composite literal, the new call, the called
// constructor, or http.DefaultClient.
func (s *site) rangeAt() analysis.Range {
	e := ast.Unparen(s.expr)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		if lit, ok := ast.Unparen(u.X).(*ast.CompositeLit); ok && lit.Type != nil {
			return rng{u.Pos(), lit.Type.End()}
		}
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		if e.Type != nil {
			return e.Type
		}
	case *ast.CallExpr:
		if s.ctor != "" {
			return e.Fun
		}
	}
	return e
}

type rng struct{ pos, end token.Pos }

func (r rng) Pos() token.Pos { return r.pos }
func (r rng) End() token.Pos { return r.end }

// zeroValues returns the sites of var x T declarations, where T is a
// kind's struct type (not a pointer) and no value is given: x is a
// usable zero value with no timeouts.
func (c *checker) zeroValues(fn *function, decl *ast.DeclStmt) []*site {
	info := c.pass.TypesInfo
	gd, ok := decl.Decl.(*ast.GenDecl)
	if !ok || gd.Tok != token.VAR {
		return nil
	}
	var out []*site
	for _, spec := range gd.Specs {
		vs := spec.(*ast.ValueSpec)
		if len(vs.Values) > 0 || vs.Type == nil {
			continue
		}
		tv := info.TypeOf(vs.Type)
		if tv == nil {
			continue
		}
		if _, isPtr := types.Unalias(tv).(*types.Pointer); isPtr {
			continue // a nil pointer, not a value
		}
		k := kindOf(tv)
		if k == nil {
			continue
		}
		for _, name := range vs.Names {
			v, ok := info.Defs[name].(*types.Var)
			if !ok || name.Name == "_" {
				continue
			}
			out = append(out, &site{origin: origin{kind: k, at: name}, parent: decl, child: decl, v: v, def: name})
		}
	}
	return out
}

// local reports whether v is a variable declared in fn's body (not a
// parameter, not a variable of an enclosing function).
func local(fn *function, v *types.Var) bool {
	return v.Pos() >= fn.Body.Pos() && v.Pos() < fn.Body.End()
}

// originOf returns the origin e is, or nil if e does not create a value
// of a kind.
func (c *checker) originOf(fn *function, e ast.Expr) *origin {
	info := c.pass.TypesInfo
	switch e := e.(type) {
	case *ast.UnaryExpr:
		if e.Op != token.AND {
			return nil
		}
		lit, ok := ast.Unparen(e.X).(*ast.CompositeLit)
		if !ok {
			return nil
		}
		if o := c.literal(fn, lit); o != nil {
			o.expr = e
			return o
		}
	case *ast.CompositeLit:
		return c.literal(fn, e)
	case *ast.CallExpr:
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok && len(e.Args) == 1 {
			if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "new" {
				if k := kindOf(info.TypeOf(e.Args[0])); k != nil {
					return &origin{kind: k, expr: e, at: e}
				}
				return nil
			}
		}
		fn := callee.Of(info, e)
		if fn == nil {
			return nil
		}
		if f := c.ctorFact(fn); f != nil {
			if k := kindByLabel(f.Type); k != nil {
				return &origin{kind: k, expr: e, at: e.Fun, ctor: fn.Name(), result: f.Result}
			}
		}
	case *ast.SelectorExpr, *ast.Ident:
		if isDefaultClient(info, e) {
			return &origin{kind: clientKind, expr: e, at: e, isDefault: true, timed: c.defaultConfigured}
		}
	}
	return nil
}

// ctorFact returns the untimedCtor fact of fn, from this package's
// analysis or an imported fact, or nil.
func (c *checker) ctorFact(fn *types.Func) *untimedCtor {
	if f, ok := c.ctors[fn]; ok {
		return f
	}
	if fn.Pkg() == nil || fn.Pkg() == c.pass.Pkg {
		return nil
	}
	f := new(untimedCtor)
	if c.pass.ImportObjectFact(fn, f) {
		return f
	}
	return nil
}

// literal returns the origin of a composite literal of a kind's type,
// with timed set if it sets a timeout field (to anything but a constant
// zero) or, for a client, a Transport that may bound the wait.
func (c *checker) literal(fn *function, lit *ast.CompositeLit) *origin {
	k := kindOf(c.pass.TypesInfo.TypeOf(lit))
	if k == nil {
		return nil
	}
	o := &origin{kind: k, expr: lit, at: lit}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			o.timed = true // unkeyed fields: not worth reading positionally
			break
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			continue
		}
		switch {
		case slices.Contains(k.timeouts, key.Name):
			if !c.zeroConst(kv.Value) {
				o.timed = true
			}
		case k == clientKind && key.Name == "Transport":
			if c.transportBounds(fn, kv.Value) {
				o.timed = true
			}
		case k == serverKind && key.Name == "Addr":
			if c.loopback(kv.Value) {
				o.timed = true // only local processes can connect
			}
		}
	}
	return o
}

// zeroConst reports whether e is a constant zero or negative number: a
// timeout of that value is no timeout.
func (c *checker) zeroConst(e ast.Expr) bool {
	tv, ok := c.pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil {
		return false
	}
	switch tv.Value.Kind() {
	case constant.Int, constant.Float:
		return constant.Sign(tv.Value) <= 0
	}
	return false
}

// transportBounds reports whether the client Transport e may bound the
// wait for a response: anything but nil, http.DefaultTransport or an
// http.Transport literal (directly, or through a local variable assigned
// once and not handed on) without ResponseHeaderTimeout. An unknown
// RoundTripper may well wrap each request in a deadline, so the pass
// stays silent for it.
func (c *checker) transportBounds(fn *function, e ast.Expr) bool {
	info := c.pass.TypesInfo
	e = ast.Unparen(e)
	if info.Types[e].IsNil() {
		return false
	}
	if v, ok := info.Uses[selOrIdent(e)].(*types.Var); ok && v.Name() == "DefaultTransport" && v.Pkg() != nil && v.Pkg().Path() == "net/http" {
		return false
	}
	if lit := transportLit(e); lit != nil {
		return c.litSets(lit, "ResponseHeaderTimeout")
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return true // a call or a field: an unknown RoundTripper
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.Pos() < fn.root.Pos() || v.Pos() >= fn.root.End() {
		return true // not a local variable
	}
	// The variable must be assigned once, from a literal without
	// ResponseHeaderTimeout, and used only to read or set fields other
	// than ResponseHeaderTimeout or as a client's Transport.
	bounds := false
	assigned := 0
	var stack []ast.Node
	ast.Inspect(fn.root, func(n ast.Node) bool {
		if bounds {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if use, ok := n.(*ast.Ident); ok && info.ObjectOf(use) == v && len(stack) > 0 {
			parent := stack[len(stack)-1]
			switch p := parent.(type) {
			case *ast.AssignStmt, *ast.ValueSpec:
				if rhs := valueOf(p, use); rhs != nil {
					assigned++
					lit := transportLit(ast.Unparen(rhs))
					bounds = lit == nil || c.litSets(lit, "ResponseHeaderTimeout")
				} else if isLhs(p, use) {
					bounds = true // assigned from a tuple, or reassigned
				}
			case *ast.SelectorExpr:
				if p.Sel.Name == "ResponseHeaderTimeout" {
					bounds = true
				}
			case *ast.KeyValueExpr:
				// Transport: tr in a client literal.
			default:
				bounds = true // handed on: it may be configured there
			}
		}
		stack = append(stack, n)
		return true
	})
	return bounds || assigned != 1
}

func selOrIdent(e ast.Expr) *ast.Ident {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		return e.Sel
	case *ast.Ident:
		return e
	}
	return nil
}

// transportLit returns the http.Transport literal e is (&http.Transport{}
// or http.Transport{}), or nil.
func transportLit(e ast.Expr) *ast.CompositeLit {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	if sel, ok := lit.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Transport" {
		return lit
	}
	return nil
}

// litSets reports whether lit sets field to a value other than a
// constant zero.
func (c *checker) litSets(lit *ast.CompositeLit, field string) bool {
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return true // unkeyed: don't guess
		}
		if key, ok := kv.Key.(*ast.Ident); ok && key.Name == field && !c.zeroConst(kv.Value) {
			return true
		}
	}
	return false
}

// assignedTo returns the expression that e (an operand of parent) is
// assigned to by parent (x := e, x = e, var x = e), or nil.
func assignedTo(parent, e ast.Node) ast.Expr {
	switch p := parent.(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) == len(p.Rhs) && (p.Tok == token.DEFINE || p.Tok == token.ASSIGN) {
			for i, rhs := range p.Rhs {
				if rhs == e {
					return p.Lhs[i]
				}
			}
		}
	case *ast.ValueSpec:
		if len(p.Names) == len(p.Values) {
			for i, v := range p.Values {
				if v == e {
					return p.Names[i]
				}
			}
		}
	}
	return nil
}

// tupleAssignedTo returns the expression that result i of the call e is
// assigned to by parent (x, err := e), or nil.
func tupleAssignedTo(parent, e ast.Node, i int) ast.Expr {
	switch p := parent.(type) {
	case *ast.AssignStmt:
		if len(p.Rhs) == 1 && p.Rhs[0] == e && i < len(p.Lhs) && (p.Tok == token.DEFINE || p.Tok == token.ASSIGN) {
			return p.Lhs[i]
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 && p.Values[0] == e && i < len(p.Names) {
			return p.Names[i]
		}
	}
	return nil
}

// valueOf returns the expression assigned to lhs by parent, or nil.
func valueOf(parent ast.Node, lhs *ast.Ident) ast.Expr {
	switch p := parent.(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) == len(p.Rhs) {
			for i, l := range p.Lhs {
				if l == lhs {
					return p.Rhs[i]
				}
			}
		}
	case *ast.ValueSpec:
		if len(p.Names) == len(p.Values) {
			for i, n := range p.Names {
				if n == lhs {
					return p.Values[i]
				}
			}
		}
	}
	return nil
}

// isLhs reports whether id is assigned by parent.
func isLhs(parent ast.Node, id *ast.Ident) bool {
	switch p := parent.(type) {
	case *ast.AssignStmt:
		return slices.Contains(p.Lhs, ast.Expr(id))
	case *ast.ValueSpec:
		return slices.Contains(p.Names, id)
	case *ast.RangeStmt:
		return p.Key == id || p.Value == id
	}
	return false
}
