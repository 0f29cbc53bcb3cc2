package knowledge

import (
	"go/ast"
	"go/types"

	"github.com/leaklint/leaklint/internal/callee"
)

// IsBackground reports whether e is a call of context.Background() or
// context.TODO(), parentheses aside: an empty root context, never
// cancelled and without a deadline.
//
// It is the question "is this literally a root context?", on which a
// finding may rest (ctxdone's "the context's parent never ends"). The
// wider question "may this context be cancelled at all?" (nil,
// context.WithoutCancel, WithValue of a root, variables only ever
// assigned one) is ctxdone's cancellable, which only ever makes a pass
// silent.
func IsBackground(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && callee.IsFunc(callee.Of(info, call), "context", "Background", "TODO")
}
