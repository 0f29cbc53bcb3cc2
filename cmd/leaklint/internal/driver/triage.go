package driver

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/leaklint/leaklint/internal/triage"
)

// Exit codes of leaklint triage, besides ExitUsage.
const (
	triageNoLink = 0 // the report was printed; no group matched a static finding
	triageFailed = 1 // the input could not be read or is no goroutine dump
	triageLinked = 3 // some group matched a static finding at its lines
)

// triageReport is the -json output of leaklint triage.
type triageReport struct {
	Format  string         `json:"format"`  // debug=2, debug=1 or proto
	Profile string         `json:"profile"` // goroutine or goroutineleak
	Total   int            `json:"total"`   // goroutines in the input
	Groups  []*triageGroup `json:"groups"`
	Source  *triageSource  `json:"source,omitempty"`
}

type triageGroup struct {
	*triage.Group
	Findings []triageFinding `json:"findings,omitempty"`
	Advice   string          `json:"advice,omitempty"` // what to read next, when no finding matched
}

type triageFinding struct {
	Pass    string `json:"pass"`
	Posn    string `json:"posn"`
	Message string `json:"message"`
	Where   string `json:"where"` // the frame it matched: blocking, created_by or stack
}

type triageSource struct {
	Dir      string   `json:"dir"`
	Patterns []string `json:"patterns"`
	Passes   []string `json:"passes"`
	Error    string   `json:"error,omitempty"`
}

// runTriage is leaklint triage: read a goroutine dump or profile, group
// it, and link the groups to the findings of the passes that look for
// their causes in the source.
func runTriage(progname string, args []string, analyzers []*analysis.Analyzer, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(progname+" triage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("C", ".", "the source the dump comes from: its module's directory")
	jsonOut := fs.Bool("json", false, "emit JSON")
	all := fs.Bool("all", false, "also show goroutines that are not waiting (running, runnable, in a system call)")
	top := fs.Int("n", 20, "show at most this many groups in the text report (0: all)")
	static := fs.Bool("static", true, "run the passes over the source and link groups to their findings")
	fs.Usage = func() {
		fmt.Fprintf(stderr, `Usage: %[1]s triage [flags] FILE|URL|- [packages]

Reads a goroutine dump or profile (/debug/pprof/goroutine?debug=2 or
?debug=1, the binary profile, the goroutineleak profile, a panic's
traceback), groups the goroutines by wait reason, blocking line and
creation site, and links each group to the leaklint finding at those
lines in the source (-C DIR, packages default ./...).

Exit codes: 0 report printed, 3 some group matches a static finding,
1 the input could not be read, 2 bad flags.

Flags:
`, progname)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitClean
		}
		return ExitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "%s triage: name the dump to read (a file, a URL, or - for standard input)\n", progname)
		fs.Usage()
		return ExitUsage
	}
	input, patterns := fs.Arg(0), fs.Args()[1:]
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	dump, err := readDump(input)
	if err != nil {
		fmt.Fprintf(stderr, "%s triage: %s: %v\n", progname, input, err)
		return triageFailed
	}
	groups := triage.GroupGoroutines(dump, triage.Options{})
	report := &triageReport{Format: dump.Format, Profile: dump.Profile, Total: dump.Total()}
	for _, g := range groups {
		if *all || triage.Blocked(g.Reason) {
			report.Groups = append(report.Groups, &triageGroup{Group: g})
		}
	}

	if *static {
		report.Source = linkFindings(report.Groups, *dir, patterns, analyzers)
	}
	linked := false
	absDir, _ := filepath.Abs(*dir)
	for _, g := range report.Groups {
		if len(g.Findings) > 0 {
			linked = true
		} else {
			at := ""
			if g.Blocking.File != "" {
				at = fmt.Sprintf("%s:%d", relativeTo(absDir, g.Blocking.File), g.Blocking.Line)
			}
			g.Advice = triage.Advice(g.Group, at)
		}
	}
	if *jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "\t")
		if err := enc.Encode(report); err != nil {
			fmt.Fprintf(stderr, "%s triage: %v\n", progname, err)
			return triageFailed
		}
	} else {
		printTriage(stdout, report, *dir, *top)
	}
	if report.Source != nil && report.Source.Error != "" {
		fmt.Fprintf(stderr, "%s triage: the source was not analysed: %s\n", progname, report.Source.Error)
	}
	if linked {
		return triageLinked
	}
	return triageNoLink
}

// readDump reads the input: a file, standard input, or a URL.
func readDump(input string) (*triage.Dump, error) {
	switch {
	case input == "-":
		return triage.Parse(os.Stdin)
	case strings.HasPrefix(input, "http://") || strings.HasPrefix(input, "https://"):
		// Only the URL the user gave; a dump endpoint answers quickly.
		client := &http.Client{Timeout: 60 * time.Second}
		resp, err := client.Get(input)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s", resp.Status)
		}
		return triage.Parse(resp.Body)
	}
	f, err := os.Open(input)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return triage.Parse(f)
}

// linkFindings runs the passes the groups call for over the source and
// attaches to each group the findings at its blocking line, its go
// statement, or another line of its stack.
func linkFindings(groups []*triageGroup, dir string, patterns []string, analyzers []*analysis.Analyzer) *triageSource {
	src := &triageSource{Dir: dir, Patterns: patterns}
	var want []string
	for _, g := range groups {
		for _, p := range g.Passes {
			if !slices.Contains(want, p) {
				want = append(want, p)
			}
		}
	}
	var run []*analysis.Analyzer
	for _, a := range analyzers {
		if slices.Contains(want, a.Name) {
			run = append(run, a)
			src.Passes = append(src.Passes, a.Name)
		}
	}
	if len(run) == 0 {
		return src
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		src.Error = err.Error()
		return src
	}
	env, flags := buildFlags(os.Environ(), options{})
	cfg := &packages.Config{
		Mode:       packages.LoadAllSyntax | packages.NeedModule,
		Tests:      true,
		Dir:        abs,
		Env:        env,
		BuildFlags: flags,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		src.Error = goMessage(err)
		return src
	}
	graph, err := checker.Analyze(run, pkgs, nil)
	if err != nil {
		src.Error = err.Error()
		return src
	}
	findings := dedupe(collect(graph))
	funcs := declaredFuncs(pkgs)
	for _, g := range groups {
		for _, f := range findings {
			if !slices.Contains(g.Passes, f.analyzer) {
				continue
			}
			where := matchFrame(g.Group, f.diag.Posn.Filename, f.diag.Posn.Line)
			for _, r := range f.diag.Related {
				if where != "" {
					break
				}
				where = matchFrame(g.Group, r.Posn.Filename, r.Posn.Line)
			}
			if where == "" && funcs.name(f.diag.Posn) == enclosingFunc(g.Blocking.Func) {
				// The finding is in the function the goroutines wait
				// in, or in a literal inside it (a goroutine that
				// returns before Done, found where it returns).
				where = "function"
			}
			if where != "" {
				g.Findings = append(g.Findings, triageFinding{
					Pass:    f.analyzer,
					Posn:    relativeTo(abs, f.diag.Posn.String()),
					Message: f.diag.Message,
					Where:   where,
				})
			}
		}
		slices.SortStableFunc(g.Findings, func(a, b triageFinding) int { return linkRank[a.Where] - linkRank[b.Where] })
	}
	return src
}

// linkRank orders a group's findings, the strongest link first: the
// blocking line, the go statement, the stack, the function.
var linkRank = map[string]int{"blocking": 0, "created_by": 1, "stack": 2, "function": 3}

// funcIndex locates the declared functions of the loaded packages, by
// file name and offset.
type funcIndex map[string][]declRange

type declRange struct {
	start, end int    // offsets
	name       string // as a traceback names it: main.(*T).M, example.com/p.F
}

// declaredFuncs indexes the function declarations of pkgs and their
// dependencies in the same module.
func declaredFuncs(pkgs []*packages.Package) funcIndex {
	idx := make(funcIndex)
	for _, pkg := range pkgs {
		if pkg.Types == nil {
			continue
		}
		prefix := pkg.Types.Path()
		if pkg.Types.Name() == "main" {
			prefix = "main"
		}
		prefix = strings.TrimSuffix(prefix, ".test")
		for _, f := range pkg.Syntax {
			tf := pkg.Fset.File(f.FileStart)
			if tf == nil || idx[tf.Name()] != nil {
				continue
			}
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				name := prefix + "."
				if fd.Recv != nil && len(fd.Recv.List) == 1 {
					t := fd.Recv.List[0].Type
					if idx, ok := t.(*ast.IndexExpr); ok {
						t = idx.X
					}
					if star, ok := t.(*ast.StarExpr); ok {
						name += "(*" + types.ExprString(star.X) + ")."
					} else {
						name += types.ExprString(t) + "."
					}
				}
				name += fd.Name.Name
				idx[tf.Name()] = append(idx[tf.Name()], declRange{tf.Offset(fd.Pos()), tf.Offset(fd.End()), name})
			}
		}
	}
	return idx
}

// name returns the traceback name of the declared function around posn.
func (idx funcIndex) name(posn token.Position) string {
	for _, d := range idx[posn.Filename] {
		if d.start <= posn.Offset && posn.Offset < d.end {
			return d.name
		}
	}
	return ""
}

// closureSuffix matches what a traceback appends to the function a
// literal is in: main.run.func1, main.run.func1.2, main.run.gowrap1.
var closureSuffix = regexp.MustCompile(`(\.(func|gowrap)\d+)(\.\d+)*(\.(func|gowrap)\d+(\.\d+)*)*$`)

// enclosingFunc returns the declared function of a traceback name:
// main.run.func1 is in main.run.
func enclosingFunc(name string) string {
	name = closureSuffix.ReplaceAllString(name, "")
	if i := strings.Index(name, "[...]"); i >= 0 {
		name = name[:i] + name[i+len("[...]"):] // generic functions: pkg.F[...]
	}
	return name
}

// matchFrame says which of g's frames is at file:line ("blocking",
// "created_by", "stack"), or "". The dump names files as they were on
// the machine that built the program; they match the source's by
// suffix.
func matchFrame(g *triage.Group, file string, line int) string {
	same := func(f triage.Frame) bool {
		return f.Line == line && f.File != "" && sameFile(f.File, file)
	}
	switch {
	case same(g.Blocking):
		return "blocking"
	case g.CreatedBy != nil && same(*g.CreatedBy):
		return "created_by"
	}
	for _, f := range g.Stack {
		if same(f) {
			return "stack"
		}
	}
	return ""
}

// sameFile reports whether two paths name the same source file: equal,
// or one ends with the other's last elements (at least the file and its
// directory).
func sameFile(a, b string) bool {
	a, b = filepath.ToSlash(a), filepath.ToSlash(b)
	if a == b {
		return true
	}
	ea, eb := strings.Split(a, "/"), strings.Split(b, "/")
	n := 0
	for n < len(ea) && n < len(eb) && ea[len(ea)-1-n] == eb[len(eb)-1-n] {
		n++
	}
	return n >= 2 || n >= 1 && (len(ea) == 1 || len(eb) == 1)
}

func relativeTo(dir, name string) string {
	if rel, err := filepath.Rel(dir, name); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return name
}

// printTriage prints the text report: one block per group, the largest
// first, in lines that fit a terminal.
func printTriage(w io.Writer, r *triageReport, dir string, top int) {
	abs, _ := filepath.Abs(dir)
	show := func(f triage.Frame) string {
		if f.File == "" {
			return f.Func
		}
		return fmt.Sprintf("%s:%d  %s", relativeTo(abs, f.File), f.Line, shortFunc(f.Func))
	}
	linked := 0
	for _, g := range r.Groups {
		if len(g.Findings) > 0 {
			linked++
		}
	}
	head := fmt.Sprintf("%d goroutines (%s %s profile); %d waiting groups", r.Total, r.Format, r.Profile, len(r.Groups))
	if r.Source != nil && r.Source.Error == "" && len(r.Source.Passes) > 0 {
		head += fmt.Sprintf(", %d matching a static finding (%s)", linked, strings.Join(r.Source.Passes, ", "))
	}
	fmt.Fprint(w, wrap(head, "    "))
	for i, g := range r.Groups {
		if top > 0 && i == top {
			fmt.Fprintf(w, "\n... %d more groups (-n 0 shows all)\n", len(r.Groups)-top)
			break
		}
		reason := g.Reason
		if reason == "" {
			reason = "waiting (no reason in this format)"
		}
		head := fmt.Sprintf("%d goroutine", g.Count)
		if g.Count != 1 {
			head += "s"
		}
		head += " [" + reason
		if g.OldestMinutes > 0 {
			head += fmt.Sprintf(", up to %d minutes", g.OldestMinutes)
		}
		head += "]"
		if g.Leaked {
			head += " leaked"
		}
		if g.Locked {
			head += " (locked to thread)"
		}
		fmt.Fprintf(w, "\n%s\n", head)
		fmt.Fprintf(w, "    blocked at  %s\n", show(g.Blocking))
		if g.CreatedBy != nil {
			fmt.Fprintf(w, "    created at  %s\n", show(*g.CreatedBy))
		} else if g.Entry != g.Blocking {
			fmt.Fprintf(w, "    started in  %s\n", show(g.Entry))
		}
		for _, f := range g.Findings {
			where := ""
			switch f.Where {
			case "stack":
				where = " (a line of the stack)"
			case "function":
				where = " (in the function it waits in)"
			}
			fmt.Fprint(w, wrap(fmt.Sprintf("    %s%s: %s: %s", f.Pass, where, f.Posn, f.Message), "        "))
		}
		if g.Advice != "" {
			fmt.Fprint(w, wrap("    next: "+g.Advice, "        "))
		}
	}
}

// reportWidth is the width the text report wraps long lines at.
const reportWidth = 100

// wrap breaks line at spaces into lines of at most reportWidth
// characters where it can, the later ones indented, and ends it with a
// newline.
func wrap(line, indent string) string {
	var b strings.Builder
	for len(line) > reportWidth {
		cut := strings.LastIndexByte(line[:reportWidth], ' ')
		if cut <= len(indent) {
			break // one long word: leave it whole
		}
		b.WriteString(line[:cut])
		b.WriteString("\n")
		line = indent + strings.TrimLeft(line[cut:], " ")
	}
	b.WriteString(line)
	b.WriteString("\n")
	return b.String()
}

// shortFunc drops the import path's directories: example.com/svc/worker.(*Pool).run
// becomes worker.(*Pool).run.
func shortFunc(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[i+1:]
	}
	return name
}
