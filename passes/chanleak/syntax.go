package chanleak

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// syntax maps the positions the SSA builder records back to the
// package's syntax, for narrow ranges and for the names users wrote.
type syntax struct {
	pass   *analysis.Pass
	built  bool
	sends  map[token.Pos]*ast.SendStmt  // by arrow
	recvs  map[token.Pos]*ast.UnaryExpr // by <- operator
	ranges map[token.Pos]*ast.RangeStmt // by for keyword
	makes  map[token.Pos]*ast.CallExpr  // make calls, by left parenthesis
	names  map[*ast.CallExpr]string     // the variable a make call is assigned to
	gos    map[token.Pos][]ast.Node     // go statements by go keyword, with their enclosing nodes
}

func newSyntax(pass *analysis.Pass) *syntax { return &syntax{pass: pass} }

// build indexes the files, once.
func (s *syntax) build() {
	if s.built {
		return
	}
	s.built = true
	s.sends = make(map[token.Pos]*ast.SendStmt)
	s.recvs = make(map[token.Pos]*ast.UnaryExpr)
	s.ranges = make(map[token.Pos]*ast.RangeStmt)
	s.makes = make(map[token.Pos]*ast.CallExpr)
	s.names = make(map[*ast.CallExpr]string)
	s.gos = make(map[token.Pos][]ast.Node)
	for _, f := range s.pass.Files {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			switch n := n.(type) {
			case *ast.SendStmt:
				s.sends[n.Arrow] = n
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					s.recvs[n.OpPos] = n
				}
			case *ast.RangeStmt:
				s.ranges[n.For] = n
			case *ast.GoStmt:
				s.gos[n.Go] = append([]ast.Node(nil), stack...)
			case *ast.CallExpr:
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "make" {
					s.makes[n.Lparen] = n
					if len(stack) > 0 {
						s.names[n] = assignedName(stack[len(stack)-1], n)
					}
				}
			}
			stack = append(stack, n)
			return true
		})
	}
}

// assignedName returns the name of the variable that parent assigns call
// to, or "".
func assignedName(parent ast.Node, call ast.Expr) string {
	switch p := parent.(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) == len(p.Rhs) {
			for i, rhs := range p.Rhs {
				if rhs == call {
					return exprName(p.Lhs[i])
				}
			}
		}
	case *ast.ValueSpec:
		if len(p.Names) == len(p.Values) {
			for i, v := range p.Values {
				if v == call {
					return p.Names[i].Name
				}
			}
		}
	}
	return ""
}

// exprName renders a simple expression for messages.
func exprName(e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x := exprName(e.X); x != "" {
			return x + "." + e.Sel.Name
		}
	}
	return ""
}

// op returns the statement or expression of a channel operation of the
// SSA form, and the channel expression in it.
func (s *syntax) op(instr ssa.Instruction) (ast.Node, ast.Expr) {
	s.build()
	switch instr := instr.(type) {
	case *ssa.Send:
		if n := s.sends[instr.Pos()]; n != nil {
			return n, n.Chan
		}
	case *ssa.UnOp:
		if n := s.recvs[instr.Pos()]; n != nil {
			return n, n.X
		}
		if n := s.ranges[instr.Pos()]; n != nil {
			return n, n.X
		}
	}
	return nil, nil
}

// makeCall returns the make call of mk, or nil.
func (s *syntax) makeCall(mk *ssa.MakeChan) *ast.CallExpr {
	s.build()
	return s.makes[mk.Pos()]
}

// makeName returns the name of the variable the channel of mk is
// assigned to, or a description of the channel.
func (s *syntax) makeName(mk *ssa.MakeChan) string {
	if call := s.makeCall(mk); call != nil {
		if name := s.names[call]; name != "" {
			return name
		}
	}
	return "the channel"
}
