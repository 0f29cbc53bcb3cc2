package lockblock

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/cfgs"
	"github.com/leaklint/leaklint/internal/knowledge"
)

// mayBlock is the fact that a function may block for an unbounded time
// on some path: it waits on a channel, a WaitGroup, the network, ...,
// itself or through the functions it calls.
type mayBlock struct {
	What string // "sends on a channel", "calls (*sync.WaitGroup).Wait", ...
	At   string // base name and line of the blocking operation
	// OnRecv marks network I/O on the method's own receiver (c.conn.Write
	// in a method of c): a lock of the same receiver held around the call
	// serializes that I/O on purpose.
	OnRecv bool
}

func (*mayBlock) AFact() {}
func (f *mayBlock) String() string {
	return "mayBlock(" + f.What + ")"
}

// An op is one operation of a function that may block.
type op struct {
	pos  token.Pos // where to report
	end  token.Pos
	at   ast.Node // the expression or statement whose CFG node holds it
	what string   // "sends on s.events", "calls wg.Wait"
	root *mayBlock
	// io is the variable the network I/O acts on (c in c.conn.Write, or
	// the receiver of a call whose fact says OnRecv), or nil.
	io *types.Var
	// waitsFor is the channel or WaitGroup (variable or field) a receive,
	// a range or a Wait waits on, for the partner check; nil otherwise.
	waitsFor types.Object
	waitKind partnerKind
	// call is set on a call of a function of the package (or of a
	// function value or interface method): default mode looks through
	// it for a wait under the caller's lock that can deadlock (see
	// deepWait). deepOnly marks such a call that is not a blocking
	// operation of its own.
	call     *ast.CallExpr
	deepOnly bool
	// chanAt is the position of a channel operation (a send's arrow, a
	// receive's <-, a range's for), for resolving a channel that
	// travels through a copy, a parameter or a getter; NoPos otherwise.
	chanAt token.Pos
}

type partnerKind int

const (
	noPartner    partnerKind = iota
	chanSender               // ends by a send on, or close of, the channel
	chanReceiver             // ends by a receive from the channel
	wgDone                   // ends by Done on the WaitGroup
)

// findOps returns the operations of a function body that may block, in
// source order, not counting function literals (they run elsewhere).
func (c *checker) findOps(body *ast.BlockStmt, obj *types.Func) []*op {
	info := c.pass.TypesInfo
	var recv *types.Var
	if obj != nil {
		recv = obj.Signature().Recv()
	}
	var ops []*op
	// add records an operation: what is the message's subject ("wg.Wait()
	// waits for a WaitGroup"), verb the fact's phrase ("waits for a
	// WaitGroup"), used when root is nil (the operation itself blocks).
	add := func(at ast.Node, pos, end token.Pos, what, verb string, root *mayBlock) {
		if root == nil {
			root = &mayBlock{What: verb, At: c.shortPos(pos)}
		}
		ops = append(ops, &op{pos: pos, end: end, at: at, what: what, root: root})
	}
	room := newRoom(info, body)
	sems := semaphores(info, body)
	refills := make(map[*ast.SendStmt]bool)
	deferred := make(map[*ast.CallExpr]bool)
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.GoStmt:
			// go f(x): the arguments are evaluated here; f runs elsewhere.
			for _, arg := range n.Call.Args {
				ast.Inspect(arg, visit)
			}
			return false
		case *ast.SelectStmt:
			if len(n.Body.List) == 1 {
				if cc := n.Body.List[0].(*ast.CommClause); cc.Comm != nil {
					// One case and no default: the send or receive
					// itself, waiting the same way.
					ast.Inspect(cc.Comm, visit)
					for _, st := range cc.Body {
						ast.Inspect(st, visit)
					}
					return false
				}
			}
			hasDefault := false
			for _, cl := range n.Body.List {
				cc := cl.(*ast.CommClause)
				if cc.Comm == nil {
					hasDefault = true
				}
				if s := refill(cc); s != nil {
					refills[s] = true
				}
			}
			if !hasDefault && len(n.Body.List) > 0 && !c.boundedSend(n) {
				first := n.Body.List[0].(*ast.CommClause)
				add(first.Comm, n.Select, n.Select+token.Pos(len("select")), "waits in a select", "waits in a select", nil)
			}
			// The cases' channel expressions and bodies.
			for _, cl := range n.Body.List {
				cc := cl.(*ast.CommClause)
				for _, st := range cc.Body {
					ast.Inspect(st, visit)
				}
			}
			return false
		case *ast.SendStmt:
			if o := c.chanObj(n.Chan); !room.has(n) && !c.buffered[o] && !sems[o] && !c.tokens[o] && !refills[n] {
				what := "sends on " + types.ExprString(n.Chan)
				add(n, n.Pos(), n.End(), what, what, nil)
				ops[len(ops)-1].waitsFor, ops[len(ops)-1].waitKind = o, chanReceiver
				ops[len(ops)-1].chanAt = n.Arrow
			}
		case *ast.UnaryExpr:
			if o := c.chanObj(n.X); n.Op == token.ARROW && !sems[o] && !c.tokens[o] && !closedBefore(info, body, n.X, n.Pos()) {
				what := "receives from " + types.ExprString(n.X)
				add(n, n.Pos(), n.End(), what, what, nil)
				ops[len(ops)-1].waitsFor, ops[len(ops)-1].waitKind = o, chanSender
				ops[len(ops)-1].chanAt = n.OpPos
			}
		case *ast.RangeStmt:
			if t, ok := typeUnder(info.TypeOf(n.X)).(*types.Chan); ok && t != nil && !closedBefore(info, body, n.X, n.Pos()) {
				what := "ranges over " + types.ExprString(n.X)
				add(n.X, n.For, n.X.End(), what, what, nil)
				ops[len(ops)-1].waitsFor, ops[len(ops)-1].waitKind = c.chanObj(n.X), chanSender
				ops[len(ops)-1].chanAt = n.For
			}
		case *ast.DeferStmt:
			// Runs at the return, with whatever is held then: not a
			// call to look through.
			deferred[n.Call] = true
		case *ast.CallExpr:
			fn := callee.Of(info, n)
			if !deferred[n] && (fn == nil || fn.Pkg() == c.pass.Pkg || isInterfaceMethod(fn)) {
				defer c.addCall(&ops, n, fn)
			}
			if fn == nil {
				break
			}
			if c.isCondWait(n) {
				add(n, n.Pos(), n.End(), types.ExprString(n.Fun)+"() waits on a sync.Cond", "waits on a sync.Cond", nil)
				break
			}
			// A call the table of APIs knows to wait for another party.
			// Rows lockblock does not count (NoWait) fall through to the
			// callee's fact.
			if api, ok := knowledge.Lookup(fn); ok && api.Wait != knowledge.NoWait {
				verb := api.Wait.String()
				add(n, n.Pos(), n.End(), fmt.Sprintf("%s() %s", types.ExprString(n.Fun), verb), verb, nil)
				if api.Wait == knowledge.WaitGroup {
					if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
						ops[len(ops)-1].waitsFor, ops[len(ops)-1].waitKind = c.chanObj(sel.X), wgDone
					}
				}
				if api.Wait.OnReceiver() {
					o := ops[len(ops)-1]
					o.io = rootVar(info, n.Fun)
					o.root.OnRecv = recv != nil && o.io == recv
				}
				return true
			}
			if f := c.factOf(fn); f != nil {
				add(n, n.Pos(), n.End(), fmt.Sprintf("%s() may block (it %s at %s)", types.ExprString(n.Fun), f.What, f.At), "", f)
				if f.OnRecv {
					o := ops[len(ops)-1]
					o.io = rootVar(info, n.Fun)
					if recv != nil && o.io == recv {
						// Still on our own receiver: keep the mark.
						o.root = &mayBlock{What: f.What, At: f.At, OnRecv: true}
					} else {
						o.root = &mayBlock{What: f.What, At: f.At}
					}
				}
			}
		}
		return true
	}
	ast.Inspect(body, visit)
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].pos < ops[j].pos })
	return ops
}

// addCall marks the call n as one to look through (see op.call): the
// last operation if it is this call, else a new deepOnly operation.
// Conversions and builtins are not calls to look through.
func (c *checker) addCall(ops *[]*op, n *ast.CallExpr, fn *types.Func) {
	if tv, ok := c.pass.TypesInfo.Types[n.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
		return
	}
	if _, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok {
		return // its body is part of this function's
	}
	if k := len(*ops); k > 0 && (*ops)[k-1].at == n {
		(*ops)[k-1].call = n
		return
	}
	*ops = append(*ops, &op{pos: n.Pos(), end: n.End(), at: n, what: types.ExprString(n.Fun) + "()", call: n, deepOnly: true})
}

// callsAny reports whether one of fs is in set.
func callsAny(fs []*types.Func, set map[*types.Func]bool) bool {
	for _, f := range fs {
		if set[f] {
			return true
		}
	}
	return false
}

// unconditional returns the first of ops that is on every path from the
// function's entry to a return, or nil.
func unconditional(fn *cfgs.Func, ops []*op) *op {
	for _, o := range ops {
		if !o.deepOnly && fn.OnEveryPathAt(o.at.Pos()) {
			return o
		}
	}
	return nil
}

// runtimeMachinery reports whether path is the runtime, one of its
// subpackages, or an internal package of the standard library.
func runtimeMachinery(path string) bool {
	return path == "runtime" || strings.HasPrefix(path, "runtime/") ||
		strings.HasPrefix(path, "internal/") || strings.HasPrefix(path, "vendor/")
}

// factOf returns the may-block fact of fn: this package's as computed so
// far, or the imported one.
func (c *checker) factOf(fn *types.Func) *mayBlock {
	if fn.Pkg() == c.pass.Pkg {
		return c.facts[fn]
	}
	f := new(mayBlock)
	if c.pass.ImportObjectFact(fn, f) {
		return f
	}
	return nil
}

func typeUnder(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	return t.Underlying()
}
