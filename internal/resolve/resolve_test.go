package resolve_test

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/internal/resolve"
)

// probe reports, at each call of a function value or an interface
// method, what Callees resolves it to, and at each channel operation the
// field or variable ChanAt names.
var probe = &analysis.Analyzer{
	Name:     "probe",
	Doc:      "test probe",
	Requires: []*analysis.Analyzer{resolve.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		r := resolve.Of(pass)
		chanAt := func(pos token.Pos) {
			if obj := r.ChanAt(pos); obj != nil && obj.Name() == "" {
				p := pass.Fset.Position(obj.Pos())
				pass.Reportf(pos, "chan made at %s:%d", filepath.Base(p.Filename), p.Line)
			} else if obj != nil {
				pass.Reportf(pos, "chan %s", obj.Name())
			}
		}
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SendStmt:
					chanAt(n.Arrow)
				case *ast.UnaryExpr:
					if n.Op == token.ARROW {
						chanAt(n.OpPos)
					}
				case *ast.RangeStmt:
					chanAt(n.For)
				case *ast.CallExpr:
					if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "close" {
						chanAt(n.Lparen)
						return true
					}
					if tv, ok := pass.TypesInfo.Types[n.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
						return true
					}
					if _, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok {
						// A literal called in place: MayCall asks about it.
						pass.Reportf(n.Lparen, "maycall %t", r.MayCall(n, callsMark))
						return true
					}
					if isStatic(pass.TypesInfo, n) {
						return true
					}
					fns, complete := r.Callees(n)
					if !complete {
						pass.Reportf(n.Lparen, "callees unknown")
						return true
					}
					var names []string
					for _, fn := range fns {
						switch fn := fn.(type) {
						case *ast.FuncDecl:
							names = append(names, fn.Name.Name)
						case *ast.FuncLit:
							names = append(names, "lit:"+pass.Fset.Position(fn.Pos()).String()[len(pass.Fset.Position(fn.Pos()).Filename)+1:])
						}
					}
					sort.Strings(names)
					pass.Reportf(n.Lparen, "callees %s", strings.Join(names, " "))
				}
				return true
			})
		}
		return nil, nil
	},
}

// callsMark reports whether the function syn calls mark().
func callsMark(syn ast.Node) bool {
	found := false
	ast.Inspect(syn, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "mark" {
				found = true
			}
		}
		return !found
	})
	return found
}

// isStatic reports whether call calls a declared function or method
// (not through an interface).
func isStatic(info *types.Info, call *ast.CallExpr) bool {
	var id *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	case *ast.FuncLit:
		return true
	default:
		return false
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok {
		return false
	}
	recv := fn.Signature().Recv()
	return recv == nil || !types.IsInterface(recv.Type())
}

func TestResolve(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), probe, "a", "lib")
}

// selfProbe reports, at each call of a function field, what SelfBound
// answers: each function and the variable naming the object, or unknown.
var selfProbe = &analysis.Analyzer{
	Name:     "selfprobe",
	Doc:      "test probe",
	Requires: []*analysis.Analyzer{resolve.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		r := resolve.Of(pass)
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if s := pass.TypesInfo.Selections[sel]; s == nil || s.Kind() != types.FieldVal {
					return true
				}
				bs, ok := r.SelfBound(call)
				if !ok {
					pass.Reportf(call.Lparen, "self unknown")
					return true
				}
				var names []string
				for _, b := range bs {
					switch fn := b.Func.(type) {
					case *ast.FuncDecl:
						names = append(names, fn.Name.Name+" "+b.Self.Name())
					case *ast.FuncLit:
						p := pass.Fset.Position(fn.Pos())
						names = append(names, fmt.Sprintf("lit:%d:%d %s", p.Line, p.Column, b.Self.Name()))
					}
				}
				sort.Strings(names)
				pass.Reportf(call.Lparen, "self %s", strings.Join(names, ", "))
				return true
			})
		}
		return nil, nil
	},
}

func TestSelfBound(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), selfProbe, "self")
}
