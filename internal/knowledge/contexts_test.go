package knowledge

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

const ctxSrc = `package p

import (
	"context"
	c2 "context"
)

func TODO() context.Context { return nil }

var pkgCtx = context.Background()

func f(ctx context.Context) {
	_ = []any{
		context.Background(),   // 0: yes
		(context.TODO()),       // 1: yes, parenthesised
		c2.Background(),        // 2: yes, renamed import
		context.WithoutCancel(ctx), // 3: no: never cancelled, but not a root
		TODO(),                 // 4: no: another package's TODO
		ctx,                    // 5: no
		pkgCtx,                 // 6: no: a variable, whatever it holds
		context.Background,     // 7: no: the function, not a call
		nil,                    // 8: no
	}
}
`

func TestIsBackground(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", ctxSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: make(map[*ast.Ident]types.Object), Types: make(map[ast.Expr]types.TypeAndValue)}
	if _, err := (&types.Config{Importer: stdImporter}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	var elts []ast.Expr
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.CompositeLit); ok {
			elts = lit.Elts
		}
		return true
	})
	want := []bool{true, true, true, false, false, false, false, false, false}
	if len(elts) != len(want) {
		t.Fatalf("%d expressions, want %d", len(elts), len(want))
	}
	for i, e := range elts {
		if got := IsBackground(info, e); got != want[i] {
			t.Errorf("IsBackground(%s) = %v, want %v", types.ExprString(e), got, want[i])
		}
	}
}
