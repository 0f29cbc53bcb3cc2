package lockblock

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/cfgs"
	"github.com/leaklint/leaklint/internal/chans"
	"github.com/leaklint/leaklint/internal/doc"
	"github.com/leaklint/leaklint/internal/flow"
	"github.com/leaklint/leaklint/internal/locks"
	"github.com/leaklint/leaklint/internal/report"
)

//go:embed doc.go
var docText string

// Config holds the pass's settings.
type Config struct {
	// Stall reports every operation that can wait without bound while a
	// lock is held, not only those that can deadlock with the lock's
	// other users.
	Stall bool
}

// New returns a lockblock analyzer with its own copy of cfg. Its flag
// -stall (-lockblock.stall) sets Config.Stall.
func New(cfg Config) *analysis.Analyzer {
	conf := new(Config)
	*conf = cfg
	a := &analysis.Analyzer{
		Name:      "lockblock",
		Doc:       doc.MustExtract(docText, "lockblock"),
		URL:       "https://pkg.go.dev/github.com/leaklint/leaklint/passes/lockblock",
		Requires:  []*analysis.Analyzer{locks.Analyzer, cfgs.Analyzer},
		FactTypes: []analysis.Fact{new(mayBlock)},
	}
	a.Flags.BoolVar(&conf.Stall, "stall", conf.Stall, "also report waits that stall the lock's other users without being able to deadlock with them: sleeps, I/O, waits whose partners are unknown or don't need the lock")
	analysisutil.Install(a, func(pass *analysis.Pass) (any, error) { return run(pass, conf) })
	return a
}

// Analyzer is the lockblock analyzer with the default configuration.
var Analyzer = New(Config{})

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

// blockingCalls lists the calls that wait for another party: the table a
// team extends to teach the pass a client library (one line per API).
var blockingCalls = []struct {
	spec callee.Spec
	what string
	io   bool // network I/O on the receiver
}{
	{callee.ParseSpec("(sync.WaitGroup).Wait"), "waits for a WaitGroup", false},
	{callee.ParseSpec("time.Sleep"), "sleeps", false},
	{callee.ParseSpec("(net/http.Client).Do"), "makes an HTTP request", false},
	{callee.ParseSpec("(net/http.Client).Get"), "makes an HTTP request", false},
	{callee.ParseSpec("(net/http.Client).Head"), "makes an HTTP request", false},
	{callee.ParseSpec("(net/http.Client).Post"), "makes an HTTP request", false},
	{callee.ParseSpec("(net/http.Client).PostForm"), "makes an HTTP request", false},
	{callee.ParseSpec("net/http.Get"), "makes an HTTP request", false},
	{callee.ParseSpec("net/http.Head"), "makes an HTTP request", false},
	{callee.ParseSpec("net/http.Post"), "makes an HTTP request", false},
	{callee.ParseSpec("net/http.PostForm"), "makes an HTTP request", false},
	{callee.ParseSpec("(net.Conn).Read"), "reads from a network connection", true},
	{callee.ParseSpec("(net.Conn).Write"), "writes to a network connection", true},
	{callee.ParseSpec("(net.TCPConn).Read"), "reads from a network connection", true},
	{callee.ParseSpec("(net.TCPConn).Write"), "writes to a network connection", true},
	{callee.ParseSpec("(net.UDPConn).Read"), "reads from a network connection", true},
	{callee.ParseSpec("(net.UDPConn).Write"), "writes to a network connection", true},
	{callee.ParseSpec("(net.UnixConn).Read"), "reads from a network connection", true},
	{callee.ParseSpec("(net.UnixConn).Write"), "writes to a network connection", true},
	{callee.ParseSpec("(crypto/tls.Conn).Read"), "reads from a network connection", true},
	{callee.ParseSpec("(crypto/tls.Conn).Write"), "writes to a network connection", true},
	{callee.ParseSpec("(crypto/tls.Conn).Handshake"), "performs a TLS handshake", true},
	{callee.ParseSpec("net.Dial"), "dials the network", false},
	{callee.ParseSpec("net.DialTimeout"), "dials the network", false},
	{callee.ParseSpec("(net.Dialer).Dial"), "dials the network", false},
	{callee.ParseSpec("(net.Dialer).DialContext"), "dials the network", false},
	{callee.ParseSpec("(net.Listener).Accept"), "waits for a connection", false},
	{callee.ParseSpec("(net.TCPListener).Accept"), "waits for a connection", false},
}

func init() {
	// database/sql: every call that talks to the database.
	for _, recv := range []string{"DB", "Tx", "Conn", "Stmt"} {
		for _, m := range []string{"Query", "QueryContext", "QueryRow", "QueryRowContext", "Exec", "ExecContext", "Prepare", "PrepareContext", "Begin", "BeginTx", "Ping", "PingContext"} {
			blockingCalls = append(blockingCalls, struct {
				spec callee.Spec
				what string
				io   bool
			}{callee.Spec{Pkg: "database/sql", Recv: recv, Name: m}, "queries the database", true})
		}
	}
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
}

type partnerKind int

const (
	noPartner    partnerKind = iota
	chanSender               // ends by a send on, or close of, the channel
	chanReceiver             // ends by a receive from the channel
	wgDone                   // ends by Done on the WaitGroup
)

type checker struct {
	pass  *analysis.Pass
	conf  *Config
	r     *report.Reporter
	res   *locks.Result
	conds map[types.Object]condLock
	ops   map[ast.Node][]*op // by function node
	facts map[*types.Func]*mayBlock
	byObj map[*types.Func]*locks.Func
	// buffered lists the channel variables and fields that every make in
	// the package gives a constant, non-zero capacity.
	buffered map[types.Object]bool
	// tokens lists the channel variables and fields used as token pools:
	// made buffered and filled in a loop, then taken and given back.
	tokens map[types.Object]bool
	// sites counts the acquisition sites of each lock identity (a field,
	// or a variable) in the package.
	sites map[types.Object]int
	// partners maps channels and WaitGroups to the functions that can end
	// a wait on them; built on first use.
	partners    map[partnerKey][]*locks.Func
	methodNames map[string]bool
	// inner marks the partners that run only inside another partner: a
	// function of the package that the package calls, or a literal
	// deferred or called where it is written. The others are where a
	// goroutine able to end a wait starts.
	inner map[*locks.Func]bool
	byLit map[*ast.FuncLit]*locks.Func
	// goCalls holds the calls of go statements: the callee runs on a
	// goroutine of its own, not as part of the function that starts it.
	goCalls map[*ast.CallExpr]bool
}

func run(pass *analysis.Pass, conf *Config) (any, error) {
	r := report.New(pass)
	res := pass.ResultOf[locks.Analyzer].(*locks.Result)
	if res.Broken {
		return nil, nil
	}
	c := &checker{
		pass:  pass,
		conf:  conf,
		r:     r,
		res:   res,
		ops:   make(map[ast.Node][]*op),
		facts: make(map[*types.Func]*mayBlock),
		byObj: make(map[*types.Func]*locks.Func),
	}
	c.conds = findConds(pass)
	c.buffered = findBuffered(pass)
	c.tokens = findTokenPools(pass)
	type fnInfo struct {
		node ast.Node
		obj  *types.Func
		body *ast.BlockStmt
	}
	var funcs []fnInfo
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			funcs = append(funcs, fnInfo{fd, obj, fd.Body})
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if lit, ok := n.(*ast.FuncLit); ok {
					funcs = append(funcs, fnInfo{lit, nil, lit.Body})
				}
				return true
			})
		}
	}
	for _, fn := range res.Funcs {
		if fn.Obj != nil {
			c.byObj[fn.Obj] = fn
		}
	}
	// The package's may-block facts depend on each other through calls:
	// iterate to a fixed point (each round can only add). The runtime and
	// std's internal packages get none: their channels are the
	// scheduler's and the garbage collector's machinery, not waits a
	// caller can see (the blocking entry points above them are listed).
	machinery := runtimeMachinery(pass.Pkg.Path())
	cf := pass.ResultOf[cfgs.Analyzer].(*cfgs.CFGs)
	// Round 0 finds every function's operations; later rounds redo only
	// the functions that call one whose fact appeared in the round before.
	callees := make(map[ast.Node][]*types.Func)
	for _, fn := range funcs {
		ast.Inspect(fn.body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if g := callee.Of(pass.TypesInfo, call); g != nil && g.Pkg() == pass.Pkg {
					callees[fn.node] = append(callees[fn.node], g)
				}
			}
			return true
		})
	}
	added := make(map[*types.Func]bool)
	for changed, round := true, 0; changed; round++ {
		changed = false
		newly := make(map[*types.Func]bool)
		for _, fn := range funcs {
			if round > 0 && !callsAny(callees[fn.node], added) {
				continue
			}
			ops := c.findOps(fn.body, fn.obj)
			c.ops[fn.node] = ops
			if machinery || fn.obj == nil || c.facts[fn.obj] != nil || len(ops) == 0 {
				continue
			}
			if lf := c.byObj[fn.obj]; lf != nil && len(lf.CallerHeld) > 0 {
				continue // it gives its caller's lock up itself: we can't tell
			}
			// Only a function that blocks on every path gets the fact:
			// one that waits only in some mode (when a child exists,
			// when a flag is set) is not blamed for every call, since
			// the fact can't tell which mode a call takes.
			g := cf.FuncDecl(fn.node.(*ast.FuncDecl))
			if g == nil {
				continue
			}
			if o := unconditional(g, ops); o != nil {
				c.facts[fn.obj] = o.root
				newly[fn.obj] = true
				changed = true
			}
		}
		added = newly
	}
	for obj, f := range c.facts {
		pass.ExportObjectFact(obj, f)
	}

	c.sites = lockSites(pass, res)
	for _, fn := range res.Funcs {
		if len(fn.Events) == 0 || analysisutil.IsTestCode(pass, fn.Body.Pos()) {
			continue // no locks taken here, or test code (fakes, test helpers)
		}
		c.check(fn)
	}
	if analysisutil.Imports(pass.Pkg, "sync") {
		c.checkUnsignalledConds()
		c.checkStuckCondLoops()
	}
	return nil, nil
}

// check reports the blocking operations of fn reached with a lock held.
func (c *checker) check(fn *locks.Func) {
	ix := fn.Index()
	info := c.pass.TypesInfo
	derived := derivedRoots(info, fn.Body)
	fresh := locks.FreshVars(info, fn.Body)
	for _, o := range c.ops[fn.Node] {
		b, i := ix.Locate(o.at.Pos())
		if b == nil {
			continue
		}
		held := c.relevant(fn, fn.HeldAt(info, b.Nodes[i]), fresh)
		if len(held) > 0 {
			held = c.deadlockable(o, held)
		}
		// Operations earlier in the same node don't change the held set
		// in practice (a node is one statement); use the set before it.
		if len(held) == 0 {
			continue
		}
		if cw, ok := o.at.(*ast.CallExpr); ok && c.isCondWait(cw) {
			if !c.condOnOtherLock(fn, cw, held) {
				continue
			}
		}
		if o.io != nil {
			// I/O on the object whose lock is held, or on a value made
			// from it (tx := s.db.Begin(); tx.Exec(...) under s.mu): the
			// lock serializes that object's I/O (crypto/tls's c.out
			// around c.conn.Write, a store's update lock around its
			// transactions). Holding it is the design, not a bug.
			root := derived[o.io]
			if root == nil {
				root = o.io
			}
			var other []locks.Held
			for _, h := range held {
				if h.Path.Root != root && h.Path.Root != o.io {
					other = append(other, h)
				}
			}
			held = other
			if len(held) == 0 {
				continue
			}
		}
		h := held[0]
		if c.r.Suppressed(o.pos) {
			continue
		}
		msg := fmt.Sprintf("%s while %s is held (locked at line %d): every other user of %s waits for it, and a deadlock follows if the other side needs %s; release the lock first",
			o.what, h.Path, c.line(h.By.Pos()), h.Path, h.Path)
		if p := c.partnerTaking(o, h); p != "" {
			msg = fmt.Sprintf("%s while %s is held (locked at line %d), but %s, which ends this wait, takes %s too: the two goroutines can deadlock; release %s before waiting",
				o.what, h.Path, c.line(h.By.Pos()), p, h.Path, h.Path)
		}
		c.r.Report(analysis.Diagnostic{
			Pos:     o.pos,
			End:     o.end,
			Message: msg,
			Related: []analysis.RelatedInformation{{Pos: h.By.Pos(), Message: fmt.Sprintf("%s is locked here", h.Path)}},
		})
	}
}

// relevant drops from held the locks whose holding cannot stall anyone
// but the holder's own kind:
//
//   - a lock acquired at exactly one site of the package, on an
//     unexported field or a local or unexported variable: it only
//     serializes that one critical section (a pipe's write mutex, a
//     "one Drain at a time" lock), so whoever waits for it wants the same
//     wait anyway;
//   - a lock of an object the function has just made (s := &Server{...}):
//     no other goroutine can hold or want it yet.
func (c *checker) relevant(fn *locks.Func, held []locks.Held, fresh map[*types.Var]bool) []locks.Held {
	var out []locks.Held
	for _, h := range held {
		if fresh[h.Path.Root] {
			continue
		}
		if id := identity(h.Path); id != nil && !id.Exported() && c.sites[id] == 1 {
			continue
		}
		out = append(out, h)
	}
	return out
}

// deadlockable returns the held locks to report o under. By default only
// those that can deadlock: a receive, range or WaitGroup.Wait whose
// partners are known and may take the held lock. With -stall, every
// held lock, except those the known partners of a wait cannot take.
func (c *checker) deadlockable(o *op, held []locks.Held) []locks.Held {
	if c.conf.Stall {
		if o.waitsFor != nil {
			return c.partnersMayTake(o, held, true)
		}
		return held
	}
	if o.waitsFor == nil {
		return nil // a sleep, I/O, a select, a call that may block: a stall
	}
	return c.partnersMayTake(o, held, false)
}

// partnerTaking names a partner of o's wait that takes the lock h, or
// returns "".
func (c *checker) partnerTaking(o *op, h locks.Held) string {
	if o.waitsFor == nil {
		return ""
	}
	id := identity(h.Path)
	for _, fn := range c.partners[partnerKey{o.waitsFor, o.waitKind}] {
		ids, known := c.takes(fn, make(map[*locks.Func]bool))
		if known && ids[id] {
			return fn.Name()
		}
	}
	return ""
}

// partnersMayTake returns the held locks that the goroutines able to end
// the wait of o may need: for a receive, the code that sends on or
// closes the channel; for WaitGroup.Wait, the code that calls Done. A
// held lock none of them can take only makes other users of the lock
// wait (and the join is usually a shutdown path); one they may take can
// deadlock. When the partners are not all known — none found, or one of
// them makes calls we can't follow — every held lock counts.
func (c *checker) partnersMayTake(o *op, held []locks.Held, unknownCounts bool) []locks.Held {
	if c.partners == nil {
		c.partners = c.findPartners()
	}
	unknown := held
	if !unknownCounts {
		unknown = nil
	}
	ps := c.partners[partnerKey{o.waitsFor, o.waitKind}]
	if len(ps) == 0 {
		return unknown
	}
	may := make(map[types.Object]bool)
	for _, fn := range ps {
		ids, known := c.takes(fn, make(map[*locks.Func]bool))
		if !known {
			return unknown
		}
		for id := range ids {
			may[id] = true
		}
	}
	var out []locks.Held
	for _, h := range held {
		id := identity(h.Path)
		if id != nil && !may[id] {
			continue
		}
		if !unknownCounts && id != nil && o.waitKind != wgDone && c.escapes(ps, id) {
			continue
		}
		out = append(out, h)
	}
	return out
}

// escapes reports whether one of the goroutines able to end a channel
// wait can do so without taking the lock id: a partner where a goroutine
// starts (see checker.inner) whose code never takes it, such as the
// callback of a time.AfterFunc that closes the channel. One partner is
// enough to end a channel wait, so it does not depend on the lock. (A
// WaitGroup.Wait needs every Done: any partner that takes the lock can
// deadlock it.)
func (c *checker) escapes(ps []*locks.Func, id types.Object) bool {
	for _, fn := range ps {
		if c.inner[fn] {
			continue
		}
		if ids, known := c.takes(fn, make(map[*locks.Func]bool)); known && !ids[id] {
			return true
		}
	}
	return false
}

type partnerKey struct {
	obj  types.Object
	kind partnerKind
}

// findPartners maps each channel and WaitGroup of the package to the
// functions (declarations and literals) that send on or close it, or
// call Done on it.
func (c *checker) findPartners() map[partnerKey][]*locks.Func {
	info := c.pass.TypesInfo
	out := make(map[partnerKey][]*locks.Func)
	c.findInline()
	for _, fn := range c.res.Funcs {
		if analysisutil.IsTestFile(c.pass, fn.Body.Pos()) {
			// Tests are not partners: the package's own goroutines are
			// (and a package analysed with its tests must say the same
			// as without them).
			continue
		}
		seen := make(map[partnerKey]bool)
		note := func(k partnerKey) {
			if k.obj != nil && !seen[k] {
				seen[k] = true
				out[k] = append(out[k], fn)
			}
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				// A function of its own in c.res.Funcs; one deferred or
				// called in place also runs as part of fn.
				return c.byLit[n] != nil && c.inner[c.byLit[n]]
			case *ast.SendStmt:
				note(partnerKey{c.chanObj(n.Chan), chanSender})
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					note(partnerKey{c.chanObj(n.X), chanReceiver})
				}
			case *ast.RangeStmt:
				if _, ok := typeUnder(info.TypeOf(n.X)).(*types.Chan); ok {
					note(partnerKey{c.chanObj(n.X), chanReceiver})
				}
			case *ast.CallExpr:
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "close" && len(n.Args) == 1 {
					note(partnerKey{c.chanObj(n.Args[0]), chanSender})
				}
				if f := callee.Of(info, n); callee.IsMethod(f, "sync", "WaitGroup", "Done") {
					if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
						note(partnerKey{c.chanObj(sel.X), wgDone})
					}
				}
			}
			return true
		})
	}
	// A goroutine that ends the wait through a helper (defer
	// s.SetStopped(), which calls Done) is a partner too: add the callers
	// of partners, transitively.
	callers := make(map[*types.Func][]*locks.Func)
	started := make(map[*types.Func]bool)
	for _, fn := range c.res.Funcs {
		if analysisutil.IsTestFile(c.pass, fn.Body.Pos()) {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if lit, ok := n.(*ast.FuncLit); ok {
				return c.inner[c.byLit[lit]]
			}
			if call, ok := n.(*ast.CallExpr); ok {
				if g := callee.Of(info, call); g != nil && g.Pkg() == c.pass.Pkg {
					if c.goCalls[call] {
						started[g] = true // a goroutine of its own
					} else {
						callers[g] = append(callers[g], fn)
					}
				}
			}
			return true
		})
	}
	for _, fn := range c.res.Funcs {
		if fn.Obj != nil && len(callers[fn.Obj]) > 0 && !started[fn.Obj] {
			c.inner[fn] = true
		}
	}
	for k, fns := range out {
		seen := make(map[*locks.Func]bool)
		queue := append([]*locks.Func(nil), fns...)
		for _, f := range fns {
			seen[f] = true
		}
		for len(queue) > 0 {
			f := queue[0]
			queue = queue[1:]
			if f.Obj == nil {
				continue
			}
			for _, caller := range callers[f.Obj] {
				if !seen[caller] {
					seen[caller] = true
					out[k] = append(out[k], caller)
					queue = append(queue, caller)
				}
			}
		}
	}
	return out
}

// findInline fills c.byLit and marks in c.inner the function literals
// that are deferred or called where they are written: their code runs on
// the goroutine of the function around them.
func (c *checker) findInline() {
	c.byLit = make(map[*ast.FuncLit]*locks.Func)
	c.inner = make(map[*locks.Func]bool)
	c.goCalls = make(map[*ast.CallExpr]bool)
	for _, fn := range c.res.Funcs {
		if lit, ok := fn.Node.(*ast.FuncLit); ok {
			c.byLit[lit] = fn
		}
	}
	for _, fn := range c.res.Funcs {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // visited as a function of its own
			case *ast.GoStmt:
				// Its literal starts a goroutine; its arguments are
				// evaluated here.
				c.goCalls[n.Call] = true
				for _, arg := range n.Call.Args {
					ast.Inspect(arg, func(m ast.Node) bool {
						if call, ok := m.(*ast.CallExpr); ok {
							c.markInline(call)
						}
						return true
					})
				}
				if _, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); !ok {
					ast.Inspect(n.Call.Fun, func(m ast.Node) bool {
						if call, ok := m.(*ast.CallExpr); ok {
							c.markInline(call)
						}
						return true
					})
				}
				return false
			case *ast.CallExpr:
				c.markInline(n)
			}
			return true
		})
	}
}

func (c *checker) markInline(call *ast.CallExpr) {
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		if lf := c.byLit[lit]; lf != nil {
			c.inner[lf] = true
		}
	}
}

// takes returns the lock identities fn acquires, itself or through the
// functions of the package it calls, and whether that is all it may
// acquire: false when it calls something we can't follow (a function
// value, an interface method, or a function of another package that
// takes locks).
func (c *checker) takes(fn *locks.Func, visiting map[*locks.Func]bool) (map[types.Object]bool, bool) {
	ids := make(map[types.Object]bool)
	if visiting[fn] {
		return ids, true
	}
	visiting[fn] = true
	for _, evs := range fn.Events {
		for _, e := range evs {
			if e.Op.Acquire() || e.Op == locks.TryLock || e.Op == locks.TryRLock {
				if id := identity(e.Path); id != nil {
					ids[id] = true
				}
			}
		}
	}
	known := true
	info := c.pass.TypesInfo
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if !known {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			// A literal deferred or called in place runs here.
			if lf := c.byLit[n]; lf != nil && c.inner[lf] {
				sub, ok := c.takes(lf, visiting)
				if !ok {
					known = false
				}
				for id := range sub {
					ids[id] = true
				}
			}
			return false
		case *ast.CallExpr:
			if tv, ok := info.Types[n.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
				return true
			}
			if _, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok {
				return true // the literal's code, above
			}
			if c.goCalls[n] {
				// The callee runs on its own goroutine, a partner of
				// its own when it ends the wait; fn does not take its
				// locks.
				return true
			}
			g := callee.Of(info, n)
			if g == nil {
				known = false // a function value
				return false
			}
			if sig := g.Signature(); sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
				// An interface method: unknown if a method of that name
				// in this package takes a lock.
				if c.lockingMethods()[g.Name()] {
					known = false
					return false
				}
				return true
			}
			if g.Pkg() != c.pass.Pkg {
				// Another package: it can only take our locks through
				// what we pass it; lock methods are events already.
				return true
			}
			if lf := c.byObj[g]; lf != nil {
				sub, ok := c.takes(lf, visiting)
				if !ok {
					known = false
					return false
				}
				for id := range sub {
					ids[id] = true
				}
			}
		}
		return true
	})
	return ids, known
}

// lockingMethods returns the names of the package's methods that
// acquire a lock.
func (c *checker) lockingMethods() map[string]bool {
	if c.methodNames != nil {
		return c.methodNames
	}
	c.methodNames = make(map[string]bool)
	for _, fn := range c.res.Funcs {
		if fn.Obj == nil || fn.Obj.Signature().Recv() == nil {
			continue
		}
		for _, evs := range fn.Events {
			for _, e := range evs {
				if e.Op.Acquire() {
					c.methodNames[fn.Obj.Name()] = true
				}
			}
		}
	}
	return c.methodNames
}

// identity returns the object that names a lock across the package: the
// field its path ends in (every s.mu of type S is "S's mu"), or its
// variable.
func identity(p locks.Path) types.Object {
	if p.Root == nil {
		return nil
	}
	if p.Fields == "" {
		return p.Root
	}
	t := p.Root.Type()
	var f *types.Var
	for _, name := range strings.Split(p.Fields[1:], ".") {
		if ptr, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
			t = ptr.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return nil
		}
		f = nil
		for i := 0; i < st.NumFields(); i++ {
			if st.Field(i).Name() == name {
				f = st.Field(i)
			}
		}
		if f == nil {
			return nil
		}
		t = f.Type()
	}
	if f != nil && f.Origin() != nil {
		return f.Origin()
	}
	return f
}

// lockSites counts, per lock identity, the direct Lock and RLock calls of
// the package.
func lockSites(pass *analysis.Pass, res *locks.Result) map[types.Object]int {
	out := make(map[types.Object]int)
	for _, fn := range res.Funcs {
		for _, evs := range fn.Events {
			for _, e := range evs {
				if e.Via == nil && (e.Op.Acquire() || e.Op == locks.TryLock || e.Op == locks.TryRLock) {
					if id := identity(e.Path); id != nil {
						out[id]++
					}
				}
			}
		}
	}
	return out
}

func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

func (c *checker) shortPos(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

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
			}
		case *ast.UnaryExpr:
			if o := c.chanObj(n.X); n.Op == token.ARROW && !sems[o] && !c.tokens[o] && !closedBefore(info, body, n.X, n.Pos()) {
				what := "receives from " + types.ExprString(n.X)
				add(n, n.Pos(), n.End(), what, what, nil)
				ops[len(ops)-1].waitsFor, ops[len(ops)-1].waitKind = o, chanSender
			}
		case *ast.RangeStmt:
			if t, ok := typeUnder(info.TypeOf(n.X)).(*types.Chan); ok && t != nil && !closedBefore(info, body, n.X, n.Pos()) {
				what := "ranges over " + types.ExprString(n.X)
				add(n.X, n.For, n.X.End(), what, what, nil)
				ops[len(ops)-1].waitsFor, ops[len(ops)-1].waitKind = c.chanObj(n.X), chanSender
			}
		case *ast.CallExpr:
			fn := callee.Of(info, n)
			if fn == nil {
				break
			}
			if c.isCondWait(n) {
				add(n, n.Pos(), n.End(), types.ExprString(n.Fun)+"() waits on a sync.Cond", "waits on a sync.Cond", nil)
				break
			}
			for _, bc := range blockingCalls {
				if bc.spec.Match(fn) {
					add(n, n.Pos(), n.End(), fmt.Sprintf("%s() %s", types.ExprString(n.Fun), bc.what), bc.what, nil)
					if fn.Name() == "Wait" && callee.RecvNamed(fn, "sync", "WaitGroup") {
						if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
							ops[len(ops)-1].waitsFor, ops[len(ops)-1].waitKind = c.chanObj(sel.X), wgDone
						}
					}
					if bc.io {
						o := ops[len(ops)-1]
						o.io = rootVar(info, n.Fun)
						o.root.OnRecv = recv != nil && o.io == recv
					}
					return true
				}
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
func unconditional(g *cfg.CFG, ops []*op) *op {
	ix := flow.NewIndex(g)
	for _, o := range ops {
		b, i := ix.Locate(o.at.Pos())
		if b == nil {
			continue
		}
		node := b.Nodes[i]
		if flow.UncoveredExit(g.Blocks[0], -1, func(n ast.Node) bool { return n == node }) == nil {
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

// ---- sync.Cond ----

// condLock records the lock a Cond was made on: for a Cond in a field,
// the path of the lock relative to the struct holding both (".mu"); for
// a Cond in a local or global variable, the lock's own path.
type condLock struct {
	fields string     // relative fields, for a Cond held in a field
	path   locks.Path // absolute path, for a Cond variable
}

// findConds finds the sync.NewCond(&lock) calls of the package: assigned
// to a field of a variable (s.cond = sync.NewCond(&s.mu)) or to a
// variable (cond := sync.NewCond(&mu)).
func findConds(pass *analysis.Pass) map[types.Object]condLock {
	info := pass.TypesInfo
	out := make(map[types.Object]condLock)
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, rhs := range as.Rhs {
				call, ok := ast.Unparen(rhs).(*ast.CallExpr)
				if !ok || len(call.Args) != 1 || !callee.IsFunc(callee.Of(info, call), "sync", "NewCond") {
					continue
				}
				arg := ast.Unparen(call.Args[0])
				if u, ok := arg.(*ast.UnaryExpr); ok && u.Op == token.AND {
					arg = u.X
				}
				switch lhs := ast.Unparen(as.Lhs[i]).(type) {
				case *ast.SelectorExpr:
					// s.cond = sync.NewCond(&s.mu): same base, field mu.
					base := types.ExprString(lhs.X)
					if sel, ok := arg.(*ast.SelectorExpr); ok && types.ExprString(sel.X) == base {
						if obj := info.Uses[lhs.Sel]; obj != nil {
							out[obj] = condLock{fields: "." + sel.Sel.Name}
						}
					}
				case *ast.Ident:
					obj := info.ObjectOf(lhs)
					if id, ok := arg.(*ast.Ident); ok && obj != nil {
						if v, ok := info.Uses[id].(*types.Var); ok {
							out[obj] = condLock{path: locks.Path{Root: v}}
						}
					}
				}
			}
			return true
		})
	}
	return out
}

// isCondWait reports whether call is (*sync.Cond).Wait.
func (c *checker) isCondWait(call *ast.CallExpr) bool {
	return callee.IsMethod(callee.Of(c.pass.TypesInfo, call), "sync", "Cond", "Wait")
}

// condOnOtherLock reports whether a Cond.Wait waits on a lock known to be
// different from every held one (so the held lock stays held across the
// wait). When the Cond's lock is unknown, it reports false: silence.
func (c *checker) condOnOtherLock(fn *locks.Func, call *ast.CallExpr, held []locks.Held) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	info := c.pass.TypesInfo
	switch x := ast.Unparen(sel.X).(type) {
	case *ast.SelectorExpr:
		cl, ok := c.conds[info.Uses[x.Sel]]
		if !ok || cl.fields == "" {
			return false
		}
		// The held lock must be base+fields, with base the same
		// expression the Cond was reached through.
		base := types.ExprString(x.X)
		for _, h := range held {
			if h.Path.String() == base+cl.fields || h.Path.String() == types.ExprString(x)+".L" {
				return false // Wait releases the held lock: its contract
			}
		}
		return true
	case *ast.Ident:
		cl, ok := c.conds[info.Uses[x]]
		if !ok || cl.path.Root == nil {
			return false
		}
		for _, h := range held {
			if h.Path == cl.path || h.Path.String() == x.Name+".L" {
				return false
			}
		}
		return true
	}
	return false
}

// ---- buffered channels with room ----

// room knows the sends that cannot block: on a channel made in the same
// function with a constant capacity, used only for sends, receives,
// close, len and cap there, and sent on at most that many times, never in
// a loop.
type room struct {
	ok map[*ast.SendStmt]bool
}

func newRoom(info *types.Info, body *ast.BlockStmt) *room {
	r := &room{ok: make(map[*ast.SendStmt]bool)}
	capOf := make(map[types.Object]int64)
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, rhs := range as.Rhs {
			call, ok := ast.Unparen(rhs).(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				continue
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "make" {
				continue
			}
			tv := info.Types[call.Args[1]]
			if tv.Value == nil || tv.Value.Kind() != constant.Int {
				continue
			}
			n, ok := constant.Int64Val(tv.Value)
			if !ok || n <= 0 {
				continue
			}
			if id, ok := as.Lhs[i].(*ast.Ident); ok {
				if obj := info.Defs[id]; obj != nil {
					capOf[obj] = n
				}
			}
		}
		return true
	})
	if len(capOf) == 0 {
		return r
	}
	// Count the sends per channel, and give up on channels used in any
	// other way or sent on in a loop.
	sends := make(map[types.Object][]*ast.SendStmt)
	bad := make(map[types.Object]bool)
	var loops int
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch top.(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				loops--
			}
			return true
		}
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			loops++
		case *ast.FuncLit:
			// A use inside a literal: the channel is shared.
			ast.Inspect(n, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok && capOf[info.Uses[id]] > 0 {
					bad[info.Uses[id]] = true
				}
				return true
			})
			return false
		case *ast.Ident:
			obj := info.Uses[n]
			if capOf[obj] == 0 || len(stack) == 0 {
				break
			}
			switch p := stack[len(stack)-1].(type) {
			case *ast.SendStmt:
				if p.Chan == n {
					sends[obj] = append(sends[obj], p)
					if loops > 0 {
						bad[obj] = true
					}
				}
			case *ast.UnaryExpr:
				// a receive
			case *ast.CallExpr:
				if id, ok := p.Fun.(*ast.Ident); !ok || (id.Name != "close" && id.Name != "len" && id.Name != "cap") {
					bad[obj] = true // passed to a function
				}
			default:
				bad[obj] = true
			}
		}
		stack = append(stack, n)
		return true
	})
	for obj, ss := range sends {
		if !bad[obj] && int64(len(ss)) <= capOf[obj] {
			for _, s := range ss {
				r.ok[s] = true
			}
		}
	}
	return r
}

func (r *room) has(s *ast.SendStmt) bool { return r.ok[s] }

// rootVar returns the variable at the root of a selector chain
// (c in c.conn.Write), or nil.
func rootVar(info *types.Info, e ast.Expr) *types.Var {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.Ident:
			v, _ := info.Uses[x].(*types.Var)
			return v
		default:
			return nil
		}
	}
}

// chanObj returns the variable or field a channel expression names.
func (c *checker) chanObj(e ast.Expr) types.Object {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return c.pass.TypesInfo.Uses[x]
	case *ast.SelectorExpr:
		return c.pass.TypesInfo.Uses[x.Sel]
	}
	return nil
}

// findBuffered returns the channel variables and fields of the package
// that every make assigned to them buffers with a constant capacity: a
// send on them is taken to be designed to have room (a queue sized for
// its load), and is not reported. Receives from them still are.
func findBuffered(pass *analysis.Pass) map[types.Object]bool {
	info := pass.TypesInfo
	buffered := make(map[types.Object]bool)
	unbuffered := make(map[types.Object]bool)
	note := func(obj types.Object, rhs ast.Expr) {
		call, ok := ast.Unparen(rhs).(*ast.CallExpr)
		if obj == nil || !ok {
			return
		}
		if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "make" {
			return
		}
		if _, ok := typeUnder(info.TypeOf(call)).(*types.Chan); !ok {
			return
		}
		if len(call.Args) == 2 {
			if tv := info.Types[call.Args[1]]; tv.Value != nil && tv.Value.Kind() == constant.Int {
				if n, ok := constant.Int64Val(tv.Value); ok && n > 0 {
					buffered[obj] = true
					return
				}
			}
		}
		unbuffered[obj] = true
	}
	target := func(e ast.Expr) types.Object {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return info.ObjectOf(x)
		case *ast.SelectorExpr:
			return info.Uses[x.Sel]
		}
		return nil
	}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i := range n.Lhs {
						note(target(n.Lhs[i]), n.Rhs[i])
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) == len(n.Values) {
					for i := range n.Names {
						note(info.Defs[n.Names[i]], n.Values[i])
					}
				}
			case *ast.KeyValueExpr:
				if key, ok := n.Key.(*ast.Ident); ok {
					// A field in a composite literal: its object is the
					// field (Uses records it for struct literals).
					note(info.Uses[key], n.Value)
				}
			}
			return true
		})
	}
	for obj := range unbuffered {
		delete(buffered, obj)
	}
	return buffered
}

// refill returns the send of a select case that replaces a pending value:
// case <-ch: ch <- v, the first statement after receiving from the same
// channel (nomad's AllocBroadcaster drops a listener's stale update for
// the new one). The receive made the room the send fills.
func refill(cc *ast.CommClause) *ast.SendStmt {
	var from ast.Expr
	switch comm := cc.Comm.(type) {
	case *ast.ExprStmt:
		if u, ok := ast.Unparen(comm.X).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			from = u.X
		}
	case *ast.AssignStmt:
		if len(comm.Rhs) == 1 {
			if u, ok := ast.Unparen(comm.Rhs[0]).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
				from = u.X
			}
		}
	}
	if from == nil || len(cc.Body) == 0 {
		return nil
	}
	send, ok := cc.Body[0].(*ast.SendStmt)
	if !ok || types.ExprString(send.Chan) != types.ExprString(from) {
		return nil
	}
	return send
}

// semaphores returns the channels a function both sends on and receives
// from outside selects: a channel used as a counting semaphore (<-sem ...
// sem <- token). Taking a token is waiting for a lock-like resource, not
// for another party; lock ordering, not this pass, is the concern there.
func semaphores(info *types.Info, body *ast.BlockStmt) map[types.Object]bool {
	sends := make(map[types.Object]bool)
	recvs := make(map[types.Object]bool)
	obj := func(e ast.Expr) types.Object {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return info.Uses[x]
		case *ast.SelectorExpr:
			return info.Uses[x.Sel]
		}
		return nil
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.SelectStmt:
			return false
		case *ast.SendStmt:
			if o := obj(n.Chan); o != nil {
				sends[o] = true
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				if o := obj(n.X); o != nil {
					recvs[o] = true
				}
			}
		}
		return true
	})
	out := make(map[types.Object]bool)
	for o := range sends {
		if recvs[o] {
			out[o] = true
		}
	}
	return out
}

// derivedRoots maps the local variables of body assigned from an
// expression rooted at another variable (tx, err := s.db.Begin()) to that
// root, transitively (stmt := tx.Prepare(...) is rooted at s too).
func derivedRoots(info *types.Info, body *ast.BlockStmt) map[*types.Var]*types.Var {
	out := make(map[*types.Var]*types.Var)
	for changed := true; changed; {
		changed = false
		ast.Inspect(body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Rhs) != 1 {
				return true
			}
			root := rootVar(info, callBase(as.Rhs[0]))
			if root == nil {
				// txp := &stmts{Tx: tx}: a value built around tx.
				root = compositeRoot(info, as.Rhs[0])
			}
			if root == nil {
				return true
			}
			if r, ok := out[root]; ok {
				root = r
			}
			for _, lhs := range as.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok {
					continue
				}
				v, ok := info.ObjectOf(id).(*types.Var)
				if !ok || v == root || out[v] == root {
					continue
				}
				if _, seen := out[v]; seen {
					continue // assigned from two roots: keep the first
				}
				out[v] = root
				changed = true
			}
			return true
		})
	}
	return out
}

// compositeRoot returns the root variable of the first element of a
// composite literal (or of &T{...}) that has one, or nil.
func compositeRoot(info *types.Info, e ast.Expr) *types.Var {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			elt = kv.Value
		}
		if v := rootVar(info, callBase(elt)); v != nil {
			return v
		}
	}
	return nil
}

// callBase returns the receiver expression of a method call (s.db in
// s.db.Begin()), or e itself.
func callBase(e ast.Expr) ast.Expr {
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			return sel.X
		}
	}
	return e
}

// boundedSend reports whether a select without default only sends on
// buffered channels, its other cases waiting for a timer or a
// cancellation: post(v) with a timeout on a queue sized for its load.
func (c *checker) boundedSend(sel *ast.SelectStmt) bool {
	sends := 0
	for _, cl := range sel.Body.List {
		comm := cl.(*ast.CommClause).Comm
		if send, ok := comm.(*ast.SendStmt); ok {
			if !c.buffered[c.chanObj(send.Chan)] {
				return false
			}
			sends++
			continue
		}
		ch := chans.Received(comm)
		if ch == nil {
			return false
		}
		if !isTimerOrDone(c.pass.TypesInfo, ch) {
			return false
		}
	}
	return sends > 0
}

// isTimerOrDone reports whether ch is time.After(d), t.C of a timer or
// ticker, or a Done() call.
func isTimerOrDone(info *types.Info, ch ast.Expr) bool {
	switch x := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		if callee.IsFunc(callee.Of(info, x), "time", "After") {
			return true
		}
		sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "Done" && len(x.Args) == 0
	case *ast.SelectorExpr:
		t := info.TypeOf(x.X)
		return x.Sel.Name == "C" && (callee.IsNamed(t, "time", "Timer") || callee.IsNamed(t, "time", "Ticker"))
	}
	return false
}

// closedBefore reports whether ch, a local variable, is closed by a
// close(ch) statement earlier in a block that also holds the position
// at: close(errCh); for err := range errCh { ... } cannot block.
func closedBefore(info *types.Info, body *ast.BlockStmt, ch ast.Expr, at token.Pos) bool {
	id, ok := ast.Unparen(ch).(*ast.Ident)
	if !ok {
		return false
	}
	v := info.Uses[id]
	if v == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		blk, ok := n.(*ast.BlockStmt)
		if !ok || found || at < blk.Pos() || at >= blk.End() {
			return !found
		}
		for _, st := range blk.List {
			if st.Pos() >= at {
				break
			}
			es, ok := st.(*ast.ExprStmt)
			if !ok {
				continue
			}
			call, ok := es.X.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				continue
			}
			if fid, ok := call.Fun.(*ast.Ident); ok && fid.Name == "close" {
				if aid, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok && info.Uses[aid] == v {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// findTokenPools returns the channel variables and fields used as token
// pools: made with a buffer and filled in a loop by the same function
// (dios = make(chan struct{}, n); for i := 0; i < n; i++ { dios <- token }).
// Taking a token is waiting for a lock-like resource that holders give
// back, not for another party; lock ordering is the concern there.
func findTokenPools(pass *analysis.Pass) map[types.Object]bool {
	info := pass.TypesInfo
	out := make(map[types.Object]bool)
	target := func(e ast.Expr) types.Object {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return info.ObjectOf(x)
		case *ast.SelectorExpr:
			return info.Uses[x.Sel]
		}
		return nil
	}
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			made := make(map[types.Object]bool)
			isMake := func(e ast.Expr) bool {
				call, ok := ast.Unparen(e).(*ast.CallExpr)
				if !ok || len(call.Args) != 2 {
					return false
				}
				id, ok := call.Fun.(*ast.Ident)
				return ok && id.Name == "make"
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					if len(n.Lhs) != len(n.Rhs) {
						return true
					}
					for i, rhs := range n.Rhs {
						if o := target(n.Lhs[i]); o != nil && isMake(rhs) {
							made[o] = true
						}
					}
				case *ast.KeyValueExpr:
					// d := &sem{ch: make(chan struct{}, n)}
					if key, ok := n.Key.(*ast.Ident); ok && isMake(n.Value) {
						if o := info.Uses[key]; o != nil {
							made[o] = true
						}
					}
				}
				return true
			})
			if len(made) == 0 {
				continue
			}
			var visit func(n ast.Node, inLoop bool)
			visit = func(n ast.Node, inLoop bool) {
				ast.Inspect(n, func(m ast.Node) bool {
					switch m := m.(type) {
					case *ast.ForStmt:
						visit(m.Body, true)
						return false
					case *ast.RangeStmt:
						visit(m.Body, true)
						return false
					case *ast.SendStmt:
						if o := target(m.Chan); inLoop && o != nil && made[o] {
							out[o] = true
						}
					}
					return true
				})
			}
			visit(fd.Body, false)
		}
	}
	return out
}
