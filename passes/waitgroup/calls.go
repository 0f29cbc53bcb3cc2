package waitgroup

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/callee"
)

// wgCall records the event of a call of a WaitGroup method on k.
func (c *checker) wgCall(fn *function, mk func(eventKind, key, ast.Node) *event, call *ast.CallExpr, k key, name string, mode callMode, wgGoLits *map[*ast.FuncLit]key) {
	switch name {
	case "Add":
		if mode != modePlain {
			fn.track(mk(evEscape, k, call)) // go/defer wg.Add(n): unusual, unknown
			return
		}
		e := mk(evAdd, k, call)
		if len(call.Args) == 1 {
			e.arg = call.Args[0]
		}
		fn.track(e)
	case "Done":
		switch mode {
		case modePlain:
			fn.track(mk(evDone, k, call))
		case modeDefer:
			fn.track(mk(evDeferDone, k, call))
		default:
			fn.track(mk(evEscape, k, call)) // go wg.Done(): settled elsewhere
		}
	case "Wait":
		switch mode {
		case modePlain:
			fn.track(mk(evWait, k, call))
		case modeDefer:
			e := mk(evWait, k, call)
			e.deferred = true
			fn.track(e)
		}
		// go wg.Wait(): another goroutine waits; nothing here.
	case "Go":
		e := mk(evWgGo, k, call)
		if mode != modePlain {
			e.kind = evEscape
		}
		if len(call.Args) == 1 {
			if lit, ok := ast.Unparen(call.Args[0]).(*ast.FuncLit); ok {
				if *wgGoLits == nil {
					*wgGoLits = make(map[*ast.FuncLit]key)
				}
				(*wgGoLits)[lit] = k
			}
		}
		fn.track(e)
	}
}

// helperCall records the events of a call of a function we may have a
// summary of, for the WaitGroups its receiver and arguments lead to.
func (c *checker) helperCall(fn *function, mk func(eventKind, key, ast.Node) *event, call *ast.CallExpr, mode callMode, handled *identSet) {
	info := c.pass.TypesInfo
	f := callee.Of(info, call)
	if f == nil {
		return // a function value, a builtin or a conversion: uses stay unknown
	}
	sig := f.Signature()
	if recv := sig.Recv(); recv != nil && types.IsInterface(recv.Type()) {
		return // a dynamic call: uses stay unknown
	}
	entries, known := c.entriesOf(f)
	if !known {
		return // a function being summarised (recursion): unknown
	}
	// The expressions passed, by parameter index (-1: receiver), and
	// the implicit embedded-field path to the receiver.
	type passed struct {
		param int
		expr  ast.Expr
		extra string
	}
	var args []passed
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sig.Recv() != nil {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			extra := ""
			if len(s.Index()) > 1 {
				extra = fieldPath(s.Recv(), s.Index()[:len(s.Index())-1])
			}
			args = append(args, passed{-1, sel.X, extra})
		}
	}
	for j, a := range call.Args {
		p := j
		if sig.Variadic() && p >= sig.Params().Len()-1 {
			p = sig.Params().Len() - 1
		}
		args = append(args, passed{p, a, ""})
	}
	// Package-level WaitGroups the function uses, whatever the
	// arguments.
	for idx := range entries {
		if e := &entries[idx]; e.Param == -2 {
			if v, ok := f.Pkg().Scope().Lookup(e.Global).(*types.Var); ok {
				c.helperEvent(fn, mk, call, f, e, key{root: v, path: e.Path}, mode)
			}
		}
	}
	for _, a := range args {
		ck, ok := keyOf(info, a.expr)
		if !ok {
			continue // not a chain: its variables are unknown uses
		}
		ck = ck.extend(a.extra)
		isWG := isWaitGroup(info.TypeOf(a.expr))
		var paramType types.Type
		if a.param >= 0 && a.param < sig.Params().Len() {
			paramType = sig.Params().At(a.param).Type()
		}
		if isWG && !isWaitGroupPtr(paramType) && a.param >= 0 {
			continue // a WaitGroup passed as any, or copied: unknown use
		}
		if !isWG && !c.mayHoldWaitGroup(info.TypeOf(a.expr)) {
			continue
		}
		handled.add(idents(a.expr)...)
		matched := false
		for idx := range entries {
			e := &entries[idx]
			if e.Param != a.param || (isWG && e.Path != "") {
				continue
			}
			matched = true
			c.helperEvent(fn, mk, call, f, e, ck.extend(e.Path), mode)
		}
		if isWG && !matched {
			// The WaitGroup itself, to a function that says nothing
			// about it: it is handed on.
			e := mk(evEscape, ck, call)
			e.exact = true
			fn.track(e)
		}
	}
}

// helperEvent records what calling helper f, whose summary for the
// WaitGroup k is e, does to k.
func (c *checker) helperEvent(fn *function, mk func(eventKind, key, ast.Node) *event, call *ast.CallExpr, f *types.Func, e *Entry, k key, mode callMode) {
	add := func(kind eventKind) *event {
		ev := mk(kind, k, call)
		ev.helper, ev.entry = f, e
		fn.track(ev)
		return ev
	}
	switch mode {
	case modeGo:
		ev := add(evGo)
		ev.worth = e.worth()
	case modeDefer:
		switch {
		case e.Done == DoneOnce && !e.Adds:
			add(evDeferDone)
		case e.Done == DoneNever && !e.Adds:
			if e.Waits {
				add(evWait).deferred = true
			}
		default:
			add(evEscape)
		}
	default:
		switch e.Done {
		case DoneOnce:
			add(evDone)
		case DoneNever:
		default:
			add(evEscape)
			return
		}
		if e.Adds {
			add(evAdd)
		}
		if e.Waits && e.Done == DoneNever {
			add(evWait)
		}
	}
}

// scanLit records, in fn, the events of the function literal lit found
// in node n: what running it does to the WaitGroups of fn, given how it
// is run.
func (c *checker) scanLit(fn *function, b *cfg.Block, i int, n ast.Node, lit *ast.FuncLit, call *ast.CallExpr, mode callMode, wgGoLits map[*ast.FuncLit]key, handled *identSet) {
	info := c.pass.TypesInfo
	lf := c.lits[lit]
	if lf == nil {
		return // not collected: no CFG
	}
	lf.parent = fn
	switch {
	case call != nil && mode == modeGo:
		lf.role, lf.launch = roleGo, call
		lf.goStmt, _ = n.(*ast.GoStmt)
	case call != nil && mode == modeDefer:
		lf.role, lf.launch = roleDefer, call
	case call != nil:
		lf.role, lf.launch = roleCall, call
	default:
		if k, ok := wgGoLits[lit]; ok {
			lf.role, lf.wgKey = roleWgGo, k
		}
	}
	c.scan(lf)

	// The parent's key of a key of the literal: the same key for a
	// captured variable, the argument's for a parameter.
	paramArgs := make(map[*types.Var]ast.Expr)
	if call != nil {
		sig, _ := info.TypeOf(lit).(*types.Signature)
		for j, a := range call.Args {
			if sig != nil && j < sig.Params().Len() && !(sig.Variadic() && j >= sig.Params().Len()-1) {
				paramArgs[sig.Params().At(j)] = a
			}
		}
	}
	outer := func(k key) (key, bool) {
		if !lf.declares(k.root) {
			return k, true
		}
		a, ok := paramArgs[k.root]
		if !ok {
			return key{}, false
		}
		ak, ok := keyOf(info, a)
		if !ok {
			return key{}, false
		}
		return ak.extend(k.path), true
	}
	mk := func(kind eventKind, k key) *event {
		return &event{kind: kind, key: k, node: n, block: b, index: i, at: lit, lit: lf}
	}
	escapedParams := make(map[*types.Var]bool)
	for _, u := range lf.uses {
		if lf.declares(u.chain.root) {
			escapedParams[u.chain.root] = true
			continue
		}
		// A use the literal could not classify is a use of the parent's
		// variable too.
		fn.uses = append(fn.uses, &rootUse{chain: u.chain, node: n, block: b, index: i, at: u.at})
	}
	for v, a := range paramArgs {
		if escapedParams[v] {
			continue // leave the argument's variables as unknown uses
		}
		if _, ok := keyOf(info, a); ok {
			handled.add(idents(a)...)
		}
	}
	for _, k := range lf.keys {
		pk, ok := outer(k)
		if !ok {
			continue
		}
		s := c.summarize(lf, k)
		switch lf.role {
		case roleGo:
			e := mk(evGo, pk)
			e.worth = s.worth()
			fn.track(e)
		case roleWgGo:
			if pk == lf.wgKey {
				continue // checked in the literal itself; the count is balanced
			}
			e := mk(evGo, pk)
			e.worth = s.worth()
			fn.track(e)
		case roleDefer:
			switch {
			case s.done == DoneOnce && !s.adds:
				fn.track(mk(evDeferDone, pk))
			case s.done == DoneNever && !s.adds && !s.escapes:
				if s.waits {
					e := mk(evWait, pk)
					e.deferred = true
					fn.track(e)
				}
			default:
				fn.track(mk(evEscape, pk))
			}
		case roleCall:
			switch {
			case s.done == DoneOnce && !s.adds:
				fn.track(mk(evDone, pk))
			case s.done == DoneNever && !s.escapes:
				if s.adds {
					fn.track(mk(evAdd, pk))
				}
				if s.waitsAlways {
					fn.track(mk(evWait, pk))
				}
			default:
				fn.track(mk(evEscape, pk))
			}
		default:
			// Stored or passed on: it may run any number of times, or
			// never.
			e := mk(evEscape, pk)
			e.exact = true
			fn.track(e)
		}
	}
}
