package driver

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/leaklint/leaklint/cmd/leaklint/internal/runner"
)

// runChecker is the driver before the runner: x/tools' checker over
// packages loaded with all their syntax, kept for -checker (to compare)
// and -debug=s (its sanity checks).
func runChecker(progname string, patterns []string, analyzers []*analysis.Analyzer, opts options, env, buildFlags []string, stdout, stderr io.Writer) (exit int) {
	dbg := func(b byte) bool { return strings.IndexByte(opts.debug, b) >= 0 }
	t0 := time.Now()
	cfg := &packages.Config{
		// NeedEmbedFiles makes go list check embed patterns: a missing
		// file is an error that go build reports, so we report it too.
		Mode:       packages.LoadAllSyntax | packages.NeedModule | packages.NeedEmbedFiles,
		Tests:      opts.tests,
		Env:        env,
		BuildFlags: buildFlags,
	}
	initial, err := packages.Load(cfg, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", progname, goMessage(err))
		return ExitError
	}
	if len(initial) == 0 {
		fmt.Fprintf(stderr, "%s: %s matched no packages\n", progname, strings.Join(patterns, " "))
		return ExitError
	}
	if dbg('v') || dbg('t') {
		fmt.Fprintf(stderr, "%s: loaded %d packages in %v\n", progname, len(initial), time.Since(t0).Round(time.Millisecond))
	}
	if n := printLoadErrors(progname, initial, stderr); n > 0 {
		exit = ExitError
	}

	var factLog io.Writer
	if dbg('f') {
		factLog = stderr
	}
	t1 := time.Now()
	graph, err := checker.Analyze(analyzers, initial, &checker.Options{
		Sequential:  dbg('p'),
		SanityCheck: dbg('s'),
		FactLog:     factLog,
	})
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname, err)
		return ExitError
	}
	for act := range graph.All() {
		if act.Err != nil {
			fmt.Fprintf(stderr, "%s: %s: %v\n", progname, act, act.Err)
			exit = ExitError
		}
	}
	exit = report(progname, collect(graph), analyzers, opts, stdout, stderr, exit, graph.PrintJSON)
	if dbg('t') {
		fmt.Fprintf(stderr, "%s: analysed in %v\n", progname, time.Since(t1).Round(time.Millisecond))
		printTiming(stderr, graph, dbg('p'))
	}
	return exit
}

// collect returns the diagnostics of the checker's root actions.
func collect(graph *checker.Graph) []finding {
	var out []finding
	for _, act := range graph.Roots {
		if act.Err != nil {
			continue
		}
		for _, d := range act.Diagnostics {
			out = append(out, finding{act.Analyzer.Name, runner.Resolve(act.Package.Fset, d)})
		}
	}
	return out
}

// printTiming prints the actions that account for 90% of the analysis
// time, longest first.
func printTiming(w io.Writer, graph *checker.Graph, sequential bool) {
	if !sequential {
		fmt.Fprintln(w, "(times include GC and scheduler noise; use -debug=tp for sequential timing)")
	}
	var list []*checker.Action
	var total time.Duration
	for act := range graph.All() {
		list = append(list, act)
		total += act.Duration
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Duration > list[j].Duration })
	var sum time.Duration
	for _, act := range list {
		fmt.Fprintf(w, "%s\t%s\n", act.Duration, act)
		sum += act.Duration
		if sum >= total*9/10 {
			break
		}
	}
	if total > sum {
		fmt.Fprintf(w, "%s\tall others\n", total-sum)
	}
	// Per-analyzer totals over every package: the figure to compare
	// passes by.
	per := make(map[string]time.Duration)
	for _, act := range list {
		per[act.Analyzer.Name] += act.Duration
	}
	printPerAnalyzer(w, per)
}
