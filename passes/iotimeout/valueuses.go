package iotimeout

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/leaklint/leaklint/internal/callee"
)

// ---- what is done with a value kept in a variable ----

// A wait is a call (or method value) that waits on the network through
// a value.
type wait struct {
	node ast.Node // the call, or the method value
	fun  ast.Expr // the x.Method selector, reported for in-place uses
	text string   // "c.Get", for messages
}

// valueUses summarises the uses of a variable holding a value.
type valueUses struct {
	returned    bool // returned: a constructor, if nothing else escapes
	otherEscape bool // handed on, reassigned, address taken, ...
	settings    []token.Pos
	litSetting  bool // a timeout set inside a function literal
	waits       []*wait
	litWaits    []*wait // waits inside function literals
}

func (u *valueUses) escaped() bool { return u.returned || u.otherEscape }

// uses classifies every use of v in fn's body, function literals
// included, except the assignment def of its origin.
func (c *checker) uses(fn *function, k *valueKind, v *types.Var, def *ast.Ident) *valueUses {
	info := c.pass.TypesInfo
	u := new(valueUses)
	var stack []ast.Node
	lits := 0
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if n == nil {
			if _, ok := stack[len(stack)-1].(*ast.FuncLit); ok {
				lits--
			}
			stack = stack[:len(stack)-1]
			return true
		}
		if _, ok := n.(*ast.FuncLit); ok {
			lits++
		}
		if id, ok := n.(*ast.Ident); ok && id != def && info.ObjectOf(id) == v {
			c.classify(fn, k, u, id, stack, lits > 0)
		}
		stack = append(stack, n)
		return true
	})
	return u
}

// classify records what the use id of a value variable does; stack holds
// its ancestors.
func (c *checker) classify(fn *function, k *valueKind, u *valueUses, id *ast.Ident, stack []ast.Node, inLit bool) {
	info := c.pass.TypesInfo
	i := len(stack) - 1
	var child ast.Node = id
	for i >= 0 {
		if _, ok := stack[i].(*ast.ParenExpr); !ok {
			break
		}
		child = stack[i]
		i--
	}
	if i < 0 {
		u.otherEscape = true
		return
	}
	at := func(j int) ast.Node {
		if j >= 0 {
			return stack[j]
		}
		return nil
	}
	switch p := stack[i].(type) {
	case *ast.ValueSpec:
		if len(p.Values) == 0 && slices.Contains(p.Names, id) {
			return // var x *http.Client: declared, not assigned
		}
		// Declared with another value, or copied into another
		// variable.
		u.otherEscape = true
	case *ast.ReturnStmt:
		u.returned = true
	case *ast.SelectorExpr:
		if p.X != child {
			u.otherEscape = true
			return
		}
		sel := info.Selections[p]
		if sel == nil {
			u.otherEscape = true
			return
		}
		name := p.Sel.Name
		grand := at(i - 1)
		switch sel.Kind() {
		case types.MethodVal:
			if !slices.Contains(k.waits, name) {
				return // Close, Shutdown, DialContext, ...: no wait and no setting
			}
			call, isCall := grand.(*ast.CallExpr)
			isCall = isCall && ast.Unparen(call.Fun) == p
			var w *wait
			switch {
			case isCall && c.boundedCall(fn, k, name, call):
				return // a request with a context, a dial that does not wait
			case isCall:
				w = &wait{node: call, fun: p, text: types.ExprString(p)}
			case name == "Do":
				return // a method value of Do: its requests are unknown
			default:
				w = &wait{node: p, fun: p, text: types.ExprString(p)}
			}
			if inLit {
				u.litWaits = append(u.litWaits, w)
			} else {
				u.waits = append(u.waits, w)
			}
		case types.FieldVal:
			c.classifyField(fn, k, u, p, grand, inLit)
		default:
			u.otherEscape = true
		}
	case *ast.AssignStmt:
		// Reassigned (the pass follows one value), or copied into
		// another variable.
		u.otherEscape = true
	case *ast.CallExpr:
		if p.Fun != child && c.neutralCall(p) {
			return // handed to a function known to set no timeout
		}
		u.otherEscape = true // passed to a function that may configure it
	default:
		// Stored in a field, a global or a composite, sent, compared,
		// its address taken, dereferenced...: the value may be
		// configured or used where the pass can't see.
		u.otherEscape = true
	}
}

// neutral lists functions that take a client, server or dialer and are
// known to set none of its timeouts: handing a value to them is not an
// escape.
var neutral = []callee.Spec{
	// Adds HTTP/2 support: sets TLSConfig and TLSNextProto only.
	callee.ParseSpec("golang.org/x/net/http2.ConfigureServer"),
}

// neutralCall reports whether call calls a function of the neutral
// list.
func (c *checker) neutralCall(call *ast.CallExpr) bool {
	fn := callee.Of(c.pass.TypesInfo, call)
	for _, spec := range neutral {
		if spec.Match(fn) {
			return true
		}
	}
	return false
}

// classifyField records a use of field sel of a value variable.
func (c *checker) classifyField(fn *function, k *valueKind, u *valueUses, sel *ast.SelectorExpr, grand ast.Node, inLit bool) {
	name := sel.Sel.Name
	setting := func() {
		if inLit {
			u.litSetting = true
		} else {
			u.settings = append(u.settings, sel.Pos())
		}
	}
	switch g := grand.(type) {
	case *ast.AssignStmt:
		i := slices.Index(g.Lhs, ast.Expr(sel))
		if i < 0 {
			break // read
		}
		var rhs ast.Expr
		if len(g.Lhs) == len(g.Rhs) && g.Tok == token.ASSIGN {
			rhs = g.Rhs[i]
		}
		switch {
		case slices.Contains(k.timeouts, name):
			if rhs == nil || !c.zeroConst(rhs) {
				setting()
			}
		case k == clientKind && name == "Transport":
			if rhs == nil || c.transportBounds(fn, rhs) {
				setting()
			}
		}
		return
	case *ast.UnaryExpr:
		if g.Op == token.AND {
			// &c.Timeout handed to flag.DurationVar or a decoder: it
			// may be set there.
			if slices.Contains(k.timeouts, name) || name == "Transport" {
				setting()
			}
			return
		}
	case *ast.IncDecStmt:
		if slices.Contains(k.timeouts, name) {
			setting()
		}
		return
	}
	if k == clientKind && name == "Transport" {
		// The Transport read out: it may be type-asserted and given a
		// ResponseHeaderTimeout.
		u.otherEscape = true
	}
}

// boundedCall reports whether a call of the waiting method name does not
// wait unboundedly after all: Client.Do with a request that may carry a
// context, or Dialer.Dial on a network that does not wait for a peer.
func (c *checker) boundedCall(fn *function, k *valueKind, name string, call *ast.CallExpr) bool {
	switch {
	case k == clientKind && name == "Do":
		return len(call.Args) != 1 || !c.requestWithoutContext(fn, call.Args[0])
	case k == dialerKind && name == "Dial":
		return len(call.Args) == 2 && c.localNetwork(fn.root, call.Args[0])
	}
	return false
}

// requestWithoutContext reports whether the request e is known to carry
// no context: a local variable whose every assignment is from
// http.NewRequest, and whose address is never taken. A parameter, a
// field, or a request built with NewRequestWithContext, WithContext or
// Clone may carry a deadline, so the answer is no.
func (c *checker) requestWithoutContext(fn *function, e ast.Expr) bool {
	info := c.pass.TypesInfo
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.Pos() < fn.root.Pos() || v.Pos() >= fn.root.End() {
		return false // not a local variable of the enclosing declaration
	}
	assigned, other := 0, false
	var stack []ast.Node
	ast.Inspect(fn.root, func(n ast.Node) bool {
		if other {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if use, ok := n.(*ast.Ident); ok && info.ObjectOf(use) == v && len(stack) > 0 {
			switch p := stack[len(stack)-1].(type) {
			case *ast.AssignStmt:
				if isLhs(p, use) {
					if len(p.Rhs) == 1 && c.isNewRequest(p.Rhs[0]) {
						assigned++
					} else {
						other = true
					}
				}
			case *ast.ValueSpec:
				if len(p.Values) == 1 && c.isNewRequest(p.Values[0]) {
					assigned++
				} else if len(p.Values) > 0 {
					other = true
				}
			case *ast.UnaryExpr:
				other = p.Op == token.AND
			case *ast.StarExpr:
				other = true // *req = *req.WithContext(ctx)
			}
		}
		stack = append(stack, n)
		return true
	})
	return assigned > 0 && !other
}

// isNewRequest reports whether e is a call of http.NewRequest.
func (c *checker) isNewRequest(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && callee.IsFunc(callee.Of(c.pass.TypesInfo, call), "net/http", "NewRequest")
}
