package iotimeout

import (
	"go/ast"
	"go/types"
	"sort"
)

// findCtors computes which functions of the package return an untimed
// value, through other constructors of the package too, and exports the
// facts.
func (c *checker) findCtors() {
	for changed := true; changed; {
		changed = false
		for _, fn := range c.funcs {
			if fn.Obj == nil || fn.CFG == nil || c.ctors[fn.Obj] != nil {
				continue
			}
			if f := c.ctor(fn); f != nil {
				c.ctors[fn.Obj] = f
				changed = true
			}
		}
	}
	objs := make([]*types.Func, 0, len(c.ctors))
	for obj := range c.ctors {
		objs = append(objs, obj)
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Pos() < objs[j].Pos() })
	for _, obj := range objs {
		c.pass.ExportObjectFact(obj, c.ctors[obj])
	}
	if len(objs) > 0 {
		c.pass.ExportPackageFact(new(hasUntimedCtors))
	}
}

// ctor returns the fact for fn if every return statement of fn returns,
// as its one client, server or dialer result, nil or a value made in fn
// (or by another untimed constructor) on which no timeout is set.
func (c *checker) ctor(fn *function) *untimedCtor {
	results := fn.Obj.Signature().Results()
	k, at := (*valueKind)(nil), -1
	for i := range results.Len() {
		if rk := kindOf(results.At(i).Type()); rk != nil {
			if k != nil {
				return nil // two such results: not a constructor
			}
			k, at = rk, i
		}
	}
	if k == nil {
		return nil
	}
	sites := c.sites(fn)
	untimed, ok := 0, true
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) != results.Len() {
				ok = false // a naked return or a tuple call: unknown
				return false
			}
			switch r := c.returnedUntimed(fn, k, sites, n.Results[at]); r {
			case 1:
				untimed++
			case -1:
				ok = false
			}
		}
		return true
	})
	if !ok || untimed == 0 {
		return nil
	}
	return &untimedCtor{Type: k.label, Result: at}
}

// returnedUntimed classifies the expression e returned as a constructor
// result: 1 for an untimed value of kind k made in fn, 0 for nil, -1 for
// anything else.
func (c *checker) returnedUntimed(fn *function, k *valueKind, sites []*site, e ast.Expr) int {
	e = ast.Unparen(e)
	if c.pass.TypesInfo.Types[e].IsNil() {
		return 0
	}
	for _, s := range sites {
		if s.kind != k || s.timed {
			continue
		}
		if s.expr != nil && ast.Unparen(s.expr) == e {
			return 1
		}
		if id, ok := e.(*ast.Ident); ok && s.v != nil && c.pass.TypesInfo.Uses[id] == s.v {
			u := c.uses(fn, k, s.v, s.def)
			if u.returned && !u.otherEscape && len(u.settings) == 0 && !u.litSetting {
				return 1
			}
			return -1
		}
	}
	return -1
}
