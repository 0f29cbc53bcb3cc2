package timeafter

import (
	"go/ast"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/chans"
	"github.com/leaklint/leaklint/internal/flow"
)

// returns reports whether fn can return normally. It refines the CFG's
// answer: a range loop over a ticker's channel (time.Tick(d),
// ticker.C, or a variable holding time.Tick(d)) never ends, because the
// time package never closes those channels, so the edge out of such a
// loop is not followed.
func (c *checker) returns(fn *function) bool {
	return c.returnsFrom(fn, fn.CFG.Blocks[0])
}

// returnsFrom reports whether fn can return normally after entering block
// b, refined as returns is.
func (c *checker) returnsFrom(fn *function, b *cfg.Block) bool {
	if fn.CFG.NoReturn() || b == nil {
		return false
	}
	exit := flow.Walk([]*cfg.Block{b}, func(b *cfg.Block) flow.Step {
		if b.Return() != nil {
			return flow.Found
		}
		return flow.Next
	}, func(_, to *cfg.Block) bool { return c.infeasible(to) })
	return exit != nil
}

// infeasible reports whether control never enters block b: b follows a
// range loop over a channel that is never closed.
func (c *checker) infeasible(b *cfg.Block) bool {
	return b.Kind == cfg.KindRangeDone && c.neverClosed(b.Stmt.(*ast.RangeStmt).X)
}

// neverClosed reports whether ch, ranged over in one of the package's
// functions, is a channel the time package never closes.
func (c *checker) neverClosed(ch ast.Expr) bool {
	return chans.NeverClosed(c.pass.TypesInfo, enclosingBody(c.pass, ch), ch)
}

// enclosingBody returns the body of the function declaration that
// contains e, or nil.
func enclosingBody(pass *analysis.Pass, e ast.Expr) *ast.BlockStmt {
	for _, f := range pass.Files {
		if f.FileStart > e.Pos() || e.Pos() > f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && fd.Body.Pos() <= e.Pos() && e.Pos() < fd.Body.End() {
				return fd.Body
			}
		}
	}
	return nil
}
