package chanleak

import (
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ssa"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/report"
	"github.com/leaklint/leaklint/internal/resolve"
	"github.com/leaklint/leaklint/internal/ssabuild"
)

//go:embed doc.go
var docText string

// Config holds the pass's settings.
type Config struct {
	// Tests reports in test code too (_test.go files, files that import
	// testing, testutil packages). By default it is exempt:
	// a goroutine left blocked by a failed test ends with the test
	// binary, and t.Fatal between a go statement and its receive is the
	// usual way to write a test.
	Tests bool
}

// New returns a chanleak analyzer with its own copy of cfg. Its flag
// -tests (-chanleak.tests on the command line) sets Config.Tests.
func New(cfg Config) *analysis.Analyzer {
	return analysisutil.NewPass(analysisutil.PassSpec[Config]{
		Name:     "chanleak",
		DocText:  docText,
		Requires: []*analysis.Analyzer{ssabuild.Analyzer, inspect.Analyzer, resolve.Analyzer},
		Flags: func(fs *flag.FlagSet, c *Config) {
			fs.BoolVar(&c.Tests, "tests", c.Tests, "also report in test code (_test.go files and test helpers)")
		},
		Run: run,
	}, cfg)
}

// Analyzer is the chanleak analyzer with the default configuration.
var Analyzer = New(Config{})

func run(pass *analysis.Pass, cfg *Config) (any, error) {
	r := report.New(pass)
	(&checker{pass: pass, r: r, cfg: cfg}).checkNoWaker()
	(&checker{pass: pass, r: r, cfg: cfg}).checkSelfWait()

	// Quick exit: with no goroutine started and no channel variable
	// declared without a value, there is nothing to find, and the SSA
	// form need not be built.
	if !mayMatter(pass) {
		return nil, nil
	}
	s := ssabuild.Of(pass)
	if s == nil {
		return nil, nil // type errors: nothing was built
	}
	c := &checker{
		pass:      pass,
		r:         r,
		cfg:       cfg,
		summaries: make(map[summaryKey]*summary),
		loops:     make(map[*ssa.Function][]*loop),
		syn:       newSyntax(pass),
		reported:  make(map[[2]token.Pos]bool),
	}
	for _, fn := range s.Funcs() {
		if c.exempt(fn) {
			continue
		}
		c.checkNil(fn)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mk, ok := instr.(*ssa.MakeChan); ok {
					c.check(fn, mk)
				}
			}
		}
	}
	return nil, nil
}

// mayMatter reports whether pass's files start a goroutine (a go
// statement or a call of a method named Go) or declare a channel
// variable without a value.
func mayMatter(pass *analysis.Pass) bool {
	found := false
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if found {
				return false
			}
			switch n := n.(type) {
			case *ast.GoStmt:
				found = true
			case *ast.SelectorExpr:
				found = n.Sel.Name == "Go"
			case *ast.ValueSpec:
				if len(n.Values) == 0 && n.Type != nil {
					if t := pass.TypesInfo.TypeOf(n.Type); t != nil {
						_, found = t.Underlying().(*types.Chan)
					}
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

type checker struct {
	pass      *analysis.Pass
	r         *report.Reporter
	cfg       *Config
	summaries map[summaryKey]*summary
	loops     map[*ssa.Function][]*loop
	syn       *syntax
	reported  map[[2]token.Pos]bool // operations already reported, with their make
}

// exempt reports whether fn is not checked: main.main, whose return ends
// the program and every goroutine with it, and test code (_test.go files,
// files that import testing, testutil packages) unless -tests is set.
func (c *checker) exempt(fn *ssa.Function) bool {
	if fn.Pos().IsValid() && c.r.Generated(fn.Pos()) {
		return true // nothing is reported in generated files
	}
	if !c.cfg.Tests && fn.Pos().IsValid() && analysisutil.IsTestCode(c.pass, fn.Pos()) {
		return true
	}
	return fn.Parent() == nil && fn.Signature.Recv() == nil && fn.Name() == "main" && c.pass.Pkg.Name() == "main"
}

// fnLoops returns the loops of fn, computed once.
func (c *checker) fnLoops(fn *ssa.Function) []*loop {
	l, ok := c.loops[fn]
	if !ok {
		l = findLoops(fn)
		c.loops[fn] = l
	}
	return l
}

// check looks for a goroutine left blocked on the channel made by mk in
// fn.
func (c *checker) check(fn *ssa.Function, mk *ssa.MakeChan) {
	ch := c.newChannel(fn, mk)
	if ch.escapes || ch.deferred {
		return // other code, or a deferred call, may settle it
	}
	if ch.cap < 0 || len(ch.starts) == 0 {
		return // no constant buffer size, or no goroutine to leave behind
	}
	if defersWait(fn) {
		return // F waits for its goroutines on the way out
	}
	anySend, anyRecv := false, false
	for _, st := range ch.starts {
		anySend = anySend || st.use.anySend
		anyRecv = anyRecv || st.use.anyRecv
	}
	var ro role
	switch {
	case anySend && anyRecv:
		return // the goroutines are each other's partners: F is not the only one
	case anySend:
		ro = senders
		if len(ch.sends) > 0 || len(ch.closes) > 0 || ch.selectsOn(receivers) {
			return // F sends too, or closes under the senders: not modelled
		}
	case anyRecv:
		ro = receivers
		if len(ch.recvs) > 0 || ch.selectsOn(senders) {
			return // F receives too: not modelled
		}
		for _, st := range ch.starts {
			if st.use.valueLoop {
				return // a receive loop that may end on the value received
			}
			if st.use.closes {
				return // a goroutine closes it for F: F is not the only partner
			}
		}
	default:
		return // no goroutine blocks on it without a way out
	}
	s := &search{
		ch:      ch,
		role:    ro,
		siteN:   make(map[ssa.Instruction]int),
		matchAt: ch.recvs,
	}
	if ro == receivers {
		s.matchAt = ch.sends
	}
	ops := make(map[*ssa.BasicBlock]bool)
	for instr := range s.matchAt {
		ops[instr.Block()] = true
	}
	for sel, su := range ch.selects {
		if ro == senders && len(su.recv) > 0 || ro == receivers && len(su.send) > 0 {
			ops[sel.Block()] = true
		}
	}
	for i, st := range ch.starts {
		s.siteN[st.instr] = i
		s.repeats = append(s.repeats, repeats(st.instr, mk))
		s.bound = append(s.bound, tripBound(c.fnLoops(fn), st.instr, mk))
		s.finish = append(s.finish, c.findFinish(ch, st))
	}
	s.drains = drainEdges(c.fnLoops(fn), ops)
	if !s.run() || len(s.exits) == 0 {
		return // gave up, or no way out leaves a goroutine behind
	}
	c.report(s)
}

// defersWait reports whether fn defers a call of a Wait method.
func defersWait(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if d, ok := instr.(*ssa.Defer); ok && isWait(&d.Call) {
				return true
			}
		}
	}
	return false
}

// selectsOn reports whether F has a select case that matches the
// operations of goroutines in role ro: receive cases for senders, send
// cases for receivers.
func (ch *channel) selectsOn(ro role) bool {
	for _, su := range ch.selects {
		if ro == senders && len(su.recv) > 0 || ro == receivers && len(su.send) > 0 {
			return true
		}
	}
	return false
}

// report reports the blocking operations of the goroutines that a bad
// way out leaves pending, each with the first such way out.
func (c *checker) report(s *search) {
	ch := s.ch
	// The way out shown is the first in the source, preferring one that
	// receives nothing at all: the plainest story.
	sort.SliceStable(s.exits, func(i, j int) bool {
		a, b := s.exits[i], s.exits[j]
		if a.partial != b.partial {
			return !a.partial
		}
		return a.pos < b.pos
	})
	fix := c.bufferFix(s)
	for i, st := range ch.starts {
		var ex *exit
		for _, e := range s.exits {
			if e.mask&(1<<i) != 0 {
				ex = e
				break
			}
		}
		if ex == nil {
			continue
		}
		all := st.use.sends
		if s.role == receivers {
			all = st.use.recvs
		}
		// One diagnostic per goroutine, at its first operation that can
		// block; its other ones are related information. A worker
		// started twice, or from several functions, is reported once
		// for each channel it can be left blocked on.
		var ops []ssa.Instruction
		for _, op := range all {
			k := [2]token.Pos{op.Pos(), ch.make.Pos()}
			if !c.reported[k] {
				c.reported[k] = true
				ops = append(ops, op)
			}
		}
		if len(ops) == 0 {
			continue
		}
		sort.Slice(ops, func(i, j int) bool { return ops[i].Pos() < ops[j].Pos() })
		c.reportOp(s, st, ops[0], ops[1:], ex, fix)
	}
}

// reportOp reports the blocking operation op of the goroutine of st,
// with its others as related information.
func (c *checker) reportOp(s *search, st *start, op ssa.Instruction, others []ssa.Instruction, ex *exit, fix *bufFix) {
	ch := s.ch
	node, expr := c.syn.op(op)
	if node == nil {
		return // no syntax for it (it should not happen)
	}
	chName := c.syn.makeName(ch.make)
	fName := funcName(ch.fn)
	name := chName
	if e := types.ExprString(expr); e != chName {
		name = fmt.Sprintf("%s (%s of %s)", e, chName, fName)
	}
	var what, how, hint string
	switch {
	case s.role == receivers:
		what = "receiving from " + name
		how = "without sending on or closing it"
		if _, isRange := node.(*ast.RangeStmt); isRange || ex.pend.endless {
			how = "without closing it"
		}
		hint = fmt.Sprintf("close %s on every path (defer close(%s))", chName, chName)
	default:
		what = "sending on " + name
		how = "without receiving from it"
		if ex.partial {
			how = "before receiving every value"
		}
		switch {
		case fix != nil:
			hint = fmt.Sprintf("give %s a buffer of %s", chName, fix.bufferSize)
		case ch.cap > 0:
			hint = fmt.Sprintf("the buffer of %d is smaller than the %d sends that can be pending", ch.cap, ex.pend.n)
		default:
			hint = "receive on every path, or select on a done channel in the sender"
		}
	}
	exitDesc := fmt.Sprintf("%s can return %s", fName, how)
	if ex.remake {
		exitDesc = fmt.Sprintf("%s can make a new %s %s", fName, chName, how)
	}
	d := analysis.Diagnostic{
		Pos:     node.Pos(),
		End:     node.End(),
		Message: fmt.Sprintf("goroutine can block forever %s: %s (goroutine leak); %s", what, exitDesc, hint),
	}
	if r, ok := node.(*ast.RangeStmt); ok {
		d.Pos, d.End = r.For, r.X.End()
	}
	if ex.via.IsValid() {
		d.Related = append(d.Related, analysis.RelatedInformation{
			Pos:     ex.via,
			Message: fmt.Sprintf("%s can take this case instead", fName),
		})
	}
	exitMsg := fmt.Sprintf("%s returns here", fName)
	if ex.remake {
		exitMsg = fmt.Sprintf("%s makes a new %s here, dropping the old one", fName, chName)
	}
	d.Related = append(d.Related, analysis.RelatedInformation{Pos: ex.pos, Message: exitMsg})
	if !isLiteral(st.fn) || !withinSyntax(st.fn, op.Pos()) {
		// The operation is in a named function or a helper: show where
		// this goroutine comes from.
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: st.instr.Pos(), Message: "the goroutine is started here"})
	}
	for _, o := range others {
		verb := "sending"
		if s.role == receivers {
			verb = "receiving"
		}
		pos := o.Pos()
		if n, _ := c.syn.op(o); n != nil {
			pos = n.Pos()
		}
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: pos, Message: "the goroutine can also block " + verb + " here"})
	}
	if fix != nil && !fix.attached {
		// One edit of the make: on the first diagnostic only.
		d.SuggestedFixes = []analysis.SuggestedFix{fix.SuggestedFix}
		fix.attached = true
	}
	c.r.Report(d)
}

// withinSyntax reports whether pos is inside fn's syntax.
func withinSyntax(fn *ssa.Function, pos token.Pos) bool {
	syn := fn.Syntax()
	return syn != nil && syn.Pos() <= pos && pos < syn.End()
}

// isLiteral reports whether fn is a function literal.
func isLiteral(fn *ssa.Function) bool {
	_, ok := fn.Syntax().(*ast.FuncLit)
	return ok
}

// funcName returns fn's name for messages.
func funcName(fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "the function literal"
	}
	return fn.Name()
}
