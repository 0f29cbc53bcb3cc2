// Package driver is the command-line driver behind cmd/leaklint.
//
// It runs the passes with leaklint's runner (one package at a time,
// dependencies first, cached on disk; x/tools' checker behind -checker),
// so that it controls what a linter in CI needs: the output format, the exit code in every format,
// and a clear error for each package that fails to load while the others
// are still analysed. Three jobs it hands to x/tools' multichecker,
// which does them exactly as go vet users expect: applying fixes (-fix,
// -diff), the help command, and the go vet -vettool protocol (-flags and
// the unit .cfg files).
package driver

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"
	"golang.org/x/tools/go/packages"

	"github.com/leaklint/leaklint/cmd/leaklint/internal/runner"
	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/directive"
)

// Exit codes.
const (
	ExitClean    = 0 // no findings
	ExitError    = 1 // a package failed to load, or an analysis failed
	ExitUsage    = 2 // bad flags
	ExitFindings = 3 // findings were reported (and nothing failed)
)

// Main is the whole of cmd/leaklint's main function.
func Main(analyzers ...*analysis.Analyzer) {
	progname := filepath.Base(os.Args[0])
	if Delegated(os.Args[1:]) {
		// Register our -V before multichecker does, so that go vet sees
		// leaklint's real version.
		flag.Var(versionFlag{progname}, "V", "print version and exit")
		// Malformed //leaklint:ignore directives are reported whichever
		// passes run: multichecker runs only the analyzers named true
		// when any is, so name the directive analyzer too.
		if selectsByName(os.Args[1:], analyzers) {
			os.Args = slices.Insert(os.Args, 1, "-"+directive.Analyzer.Name)
		}
		// multichecker accepts -tags but ignores it; the go command
		// reads the same setting from GOFLAGS.
		if tags := flagValue(os.Args[1:], "tags"); tags != "" {
			os.Setenv("GOFLAGS", strings.TrimSpace(os.Getenv("GOFLAGS")+" -tags="+tags))
		}
		multichecker.Main(append(slices.Clip(analyzers), directive.Analyzer)...)
		return
	}
	os.Exit(Run(progname, os.Args[1:], analyzers, os.Stdout, os.Stderr))
}

// valueFlags are the flags of ours and of multichecker that take a value
// in the next argument when written without "=".
var valueFlags = []string{"c", "cache", "debug", "cpuprofile", "memprofile", "trace", "format", "V", "tags", "mod", "modfile"}

// Delegated reports whether args ask for something multichecker does:
// -fix (with or without -diff), -flags, or a go vet unit configuration
// file.
func Delegated(args []string) bool {
	var positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "fix", "flags":
			if !hasValue {
				return true
			}
			if b, err := strconv.ParseBool(value); err == nil && b {
				return true
			}
		}
		if !hasValue && slices.Contains(valueFlags, name) && name != "V" {
			i++ // the value is the next argument
		}
	}
	return len(positional) == 1 && strings.HasSuffix(positional[0], ".cfg")
}

// flagValue returns the value of the flag called name in args (-name=v
// or -name v), or "".
func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		n, v, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || n != name {
			continue
		}
		if hasValue {
			return v
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// selectsByName reports whether args enable one of the analyzers by
// name (-unlock, -unlock=true): then multichecker runs only those named.
func selectsByName(args []string, analyzers []*analysis.Analyzer) bool {
	for _, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !slices.ContainsFunc(analyzers, func(an *analysis.Analyzer) bool { return an.Name == name }) {
			continue
		}
		if !hasValue {
			return true
		}
		if b, err := strconv.ParseBool(value); err == nil && b {
			return true
		}
	}
	return false
}

// options are the settings of one run.
type options struct {
	format       string
	contextLines int
	tests        bool
	debug        string
	cpuprofile   string
	memprofile   string
	cache        string               // -cache: off, a directory, or "" for the default
	checker      bool                 // -checker: x/tools' checker instead of the runner
	all          []*analysis.Analyzer // every pass, for the cache keys
	tags         string               // -tags, as for go build
	mod          string               // -mod
	modfile      string               // -modfile
}

// Run runs leaklint with the command-line arguments args (without the
// program name) and returns the exit code. Findings go to stdout;
// errors, and the debug output, to stderr.
func Run(progname string, args []string, analyzers []*analysis.Analyzer, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(progname, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts options
	enabled := make(map[*analysis.Analyzer]*triState)
	for _, a := range analyzers {
		ts := new(triState)
		enabled[a] = ts
		fs.Var(ts, a.Name, "enable the "+a.Name+" pass (all passes run by default; -NAME=false disables one, -NAME selects only the named ones)")
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	jsonOut := fs.Bool("json", false, "emit JSON output (the same as -format=json)")
	fs.StringVar(&opts.format, "format", "text", "output format: text, json (x/tools' shape), sarif (SARIF 2.1.0) or github (GitHub Actions annotations)")
	fs.IntVar(&opts.contextLines, "c", -1, "display the offending line with this many lines of context")
	fs.BoolVar(&opts.tests, "test", true, "analyze test files too")
	fs.StringVar(&opts.debug, "debug", "", "debug flags, any subset of \"fpstv\": [f]acts, [p]sequential, [s]anity checks, [t]iming, [v]erbose")
	fs.StringVar(&opts.cpuprofile, "cpuprofile", "", "write a CPU profile to this file")
	fs.StringVar(&opts.memprofile, "memprofile", "", "write a memory profile to this file")
	fs.StringVar(&opts.cache, "cache", "", "where to cache each package's facts and findings: a directory, or off (default $LEAKLINT_CACHE, else leaklint under the user cache directory)")
	fs.BoolVar(&opts.checker, "checker", false, "run x/tools' checker, which keeps the whole build in memory, instead of leaklint's package-at-a-time runner (for comparison)")
	opts.all = analyzers
	showVersion := fs.Bool("version", false, "print the version and exit")
	var fullVersion bool
	fs.Var(fullVersionFlag{&fullVersion}, "V", "print the version in go vet's -V=full form and exit")
	fs.Bool("fix", false, "apply all suggested fixes (handled by x/tools' multichecker)")
	fs.Bool("diff", false, "with -fix, don't update the files, but print a unified diff")
	fs.StringVar(&opts.tags, "tags", "", "comma-separated build tags, as for go build and go vet")
	fs.StringVar(&opts.mod, "mod", "", "module download mode (readonly, vendor or mod), as for go build")
	fs.StringVar(&opts.modfile, "modfile", "", "an alternate go.mod file, as for go build")
	fs.Usage = func() { usage(fs, progname) }

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitClean
		}
		return ExitUsage
	}
	if fullVersion {
		fmt.Fprintln(stdout, vetVersion(progname))
		return ExitClean
	}
	if *showVersion {
		fmt.Fprintln(stdout, humanVersion(progname))
		return ExitClean
	}
	if *jsonOut {
		opts.format = "json"
	}
	switch opts.format {
	case "text", "json", "sarif", "github":
	default:
		fmt.Fprintf(stderr, "%s: unknown -format %q (want text, json, sarif or github)\n", progname, opts.format)
		return ExitUsage
	}
	if fs.NArg() == 0 {
		// No packages is a mistake in the command line, as an unknown
		// flag is: say how to use leaklint. (go vet analyses "." then;
		// a linter in CI that silently checked one directory would hide
		// a typo in a script.)
		fmt.Fprintf(stderr, "%s: no packages to analyse: name them, as in %s ./...\n\n", progname, progname)
		usage(fs, progname)
		return ExitUsage
	}
	if fs.Arg(0) == "help" {
		return help(progname, analyzers, fs.Args()[1:], stdout, stderr)
	}
	if fs.Arg(0) == "triage" {
		return runTriage(progname, fs.Args()[1:], analyzers, stdout, stderr)
	}
	if fs.Arg(0) == "vet" {
		return vet(progname, args, stdout, stderr)
	}
	selected := selectAnalyzers(analyzers, enabled)
	if len(selected) == 0 {
		fmt.Fprintf(stderr, "%s: every pass is disabled\n", progname)
		return ExitUsage
	}
	// Malformed //leaklint:ignore directives are reported whichever
	// passes run.
	selected = append(selected, directive.Analyzer)
	return run(progname, fs.Args(), selected, opts, stdout, stderr)
}

// vet runs go vet with this executable as its -vettool: the portable
// spelling of go vet -vettool=$(command -v leaklint), for hooks and
// scripts that run no shell. Everything after "vet" goes to go vet, and
// the leaklint flags before it are passed on as vet flags.
func vet(progname string, args []string, stdout, stderr io.Writer) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname, err)
		return ExitError
	}
	i := slices.Index(args, "vet")
	vetArgs := append([]string{"vet", "-vettool=" + exe}, args[:i]...)
	vetArgs = append(vetArgs, args[i+1:]...)
	cmd := exec.Command("go", vetArgs...)
	cmd.Stdout, cmd.Stderr, cmd.Stdin = stdout, stderr, os.Stdin
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return exitErr.ExitCode()
		}
		fmt.Fprintf(stderr, "%s: running go vet: %v\n", progname, err)
		return ExitError
	}
	return ExitClean
}

func usage(fs *flag.FlagSet, progname string) {
	w := fs.Output()
	fmt.Fprintf(w, `%[1]s finds the causes of goroutine leaks and unbounded blocking in Go code.

Usage:
	%[1]s [flags] packages...        analyse packages (./..., std, a/b/c)
	%[1]s help [pass]                describe the passes, or one pass and its flags
	%[1]s vet [vet flags] packages... run go vet -vettool=%[1]s (its caching, its output)
	%[1]s triage [flags] DUMP [packages] group a goroutine dump and link it to the findings
	go vet -vettool=$(command -v %[1]s) packages...

Exit codes: 0 no findings, 3 findings, 1 a package failed to load or an
analysis failed, 2 bad flags or no packages.

Flags:
`, progname)
	fs.PrintDefaults()
}

// selectAnalyzers applies the -NAME and -NAME=false flags: if any pass
// is named true, only those run; otherwise all but those named false.
func selectAnalyzers(analyzers []*analysis.Analyzer, enabled map[*analysis.Analyzer]*triState) []*analysis.Analyzer {
	anyTrue := false
	for _, ts := range enabled {
		if *ts == setTrue {
			anyTrue = true
		}
	}
	var out []*analysis.Analyzer
	for _, a := range analyzers {
		ts := *enabled[a]
		if anyTrue && ts == setTrue || !anyTrue && ts != setFalse {
			out = append(out, a)
		}
	}
	return out
}

func run(progname string, patterns []string, analyzers []*analysis.Analyzer, opts options, stdout, stderr io.Writer) (exit int) {
	dbg := func(b byte) bool { return strings.IndexByte(opts.debug, b) >= 0 }
	if opts.cpuprofile != "" {
		f, err := os.Create(opts.cpuprofile)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", progname, err)
			return ExitError
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", progname, err)
			return ExitError
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	if opts.memprofile != "" {
		defer func() {
			f, err := os.Create(opts.memprofile)
			if err == nil {
				err = pprof.WriteHeapProfile(f)
				f.Close()
			}
			if err != nil {
				fmt.Fprintf(stderr, "%s: %v\n", progname, err)
			}
		}()
	}

	t0 := time.Now()
	env, buildFlags := buildFlags(os.Environ(), opts)
	if opts.checker || dbg('s') {
		return runChecker(progname, patterns, analyzers, opts, env, buildFlags, stdout, stderr)
	}
	defer limitMemory()()
	ropts := runner.Options{
		Tests:      opts.tests,
		Env:        env,
		BuildFlags: buildFlags,
		Salt:       salt(opts.all, buildFlags),
	}
	if dbg('p') {
		ropts.Jobs = 1
	}
	if dbg('f') {
		ropts.FactLog = stderr
	}
	if cache, err := openCache(opts.cache); err != nil {
		fmt.Fprintf(stderr, "%s: running without the cache: %v\n", progname, err)
	} else {
		ropts.Cache = cache
	}
	res, err := runner.Run(analyzers, patterns, ropts)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", progname, goMessage(err))
		return ExitError
	}
	if len(res.Initial) == 0 {
		fmt.Fprintf(stderr, "%s: %s matched no packages\n", progname, strings.Join(patterns, " "))
		return ExitError
	}
	if dbg('v') || dbg('t') {
		fmt.Fprintf(stderr, "%s: loaded %d packages and analysed them in %v\n", progname, len(res.Initial), time.Since(t0).Round(time.Millisecond))
	}
	if n := printLoadErrors(progname, res.Initial, stderr); n > 0 {
		exit = ExitError
	}
	// Analysis errors, in any package; our passes don't fail on broken
	// packages, so these are real failures.
	for _, pkg := range res.Order {
		for _, o := range pkg.Outcomes {
			if o.Err != "" {
				fmt.Fprintf(stderr, "%s: %s@%s: %s\n", progname, o.Analyzer, pkg.Meta.ID, o.Err)
				exit = ExitError
			}
		}
	}
	var all []finding
	for _, pkg := range res.Order {
		if !pkg.Root {
			continue
		}
		for _, o := range pkg.Outcomes {
			if o.Err == "" {
				for _, d := range o.Diagnostics {
					all = append(all, finding{o.Analyzer, d})
				}
			}
		}
	}
	exit = report(progname, all, analyzers, opts, stdout, stderr, exit, func(w io.Writer) error { return printRunnerJSON(w, res) })
	if dbg('t') {
		printRunnerTiming(stderr, res, dbg('p'))
	}
	return exit
}

// report prints the findings in the chosen format (JSON through
// printJSON) and returns the exit code.
func report(progname string, all []finding, analyzers []*analysis.Analyzer, opts options, stdout, stderr io.Writer, exit int, printJSON func(io.Writer) error) int {
	var real []finding
	for _, f := range dedupe(all) {
		if f.diag.Category == analysisutil.InternalError {
			fmt.Fprintf(stderr, "%s: %s: %s\n", progname, f.diag.Posn, f.diag.Message)
			exit = ExitError
			continue
		}
		real = append(real, f)
	}
	var perr error
	switch opts.format {
	case "json":
		perr = printJSON(stdout)
	case "sarif":
		perr = printSARIF(stdout, analyzers, real)
	case "github":
		perr = printGitHub(stdout, real)
	default:
		printText(stdout, real, opts.contextLines)
	}
	if perr != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname, perr)
		return ExitError
	}
	if exit == ExitClean && len(real) > 0 {
		exit = ExitFindings
	}
	return exit
}

// salt is what the cache keys hold of the command line: every pass flag
// (of the passes that run and the others alike) and the build flags.
func salt(analyzers []*analysis.Analyzer, buildFlags []string) string {
	var b strings.Builder
	for _, a := range analyzers {
		a.Flags.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(&b, "-%s.%s=%s ", a.Name, f.Name, f.Value)
		})
	}
	b.WriteString(strings.Join(buildFlags, " "))
	return b.String()
}

// openCache opens the cache that -cache names: off, a directory, or
// (empty) $LEAKLINT_CACHE, else leaklint under the user cache directory.
// LEAKLINT_CACHE_LIMIT bounds its size in MB.
func openCache(flagValue string) (*runner.Cache, error) {
	dir := cmp.Or(flagValue, os.Getenv("LEAKLINT_CACHE"))
	if dir == "off" {
		return nil, nil
	}
	if dir == "" {
		d, err := runner.DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	var limit int64
	if mb, err := strconv.ParseInt(os.Getenv("LEAKLINT_CACHE_LIMIT"), 10, 64); err == nil && mb > 0 {
		limit = mb << 20
	}
	return runner.OpenCache(dir, limit)
}

// moduleFlags are the go build flags that are valid only in module mode.
// go/packages runs one go command with GO111MODULE=off (to learn the Go
// version), which fails on them when they come from GOFLAGS; given as
// build flags instead, they reach only the commands that load packages.
var moduleFlags = []string{"mod", "modfile", "modcacherw"}

// buildFlags returns the environment and the build flags to load
// packages with: the module flags of GOFLAGS moved to the build flags
// (GOFLAGS=-modfile=go_test.mod works as it does for go vet), then
// leaklint's own -tags, -mod and -modfile.
func buildFlags(environ []string, opts options) (env, flags []string) {
	for _, kv := range environ {
		value, ok := strings.CutPrefix(kv, "GOFLAGS=")
		if !ok {
			env = append(env, kv)
			continue
		}
		var keep []string
		for _, f := range strings.Fields(value) {
			name, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
			if slices.Contains(moduleFlags, name) {
				flags = append(flags, f)
			} else {
				keep = append(keep, f)
			}
		}
		env = append(env, "GOFLAGS="+strings.Join(keep, " "))
	}
	if opts.tags != "" {
		flags = append(flags, "-tags="+opts.tags)
	}
	if opts.mod != "" {
		flags = append(flags, "-mod="+opts.mod)
	}
	if opts.modfile != "" {
		flags = append(flags, "-modfile="+opts.modfile)
	}
	return env, flags
}

// goMessage returns the go command's own words from a go/packages load
// error, without the wrapper around them ("err: exit status 1: stderr:
// go: go.mod file not found ...").
func goMessage(err error) string {
	msg := err.Error()
	if _, stderr, ok := strings.Cut(msg, "stderr: "); ok {
		msg = stderr
	}
	return strings.TrimSpace(msg)
}

// printLoadErrors prints each package's load, parse and type errors once,
// naming the package, and returns how many it printed.
func printLoadErrors(progname string, initial []*packages.Package, w io.Writer) int {
	seen := make(map[string]bool)
	n := 0
	packages.Visit(initial, nil, func(pkg *packages.Package) {
		for _, err := range pkg.Errors {
			msg := err.Msg
			if err.Pos != "" && err.Pos != "-" {
				msg = relative(err.Pos) + ": " + msg
			}
			line := fmt.Sprintf("%s: package %s: %s", progname, pkg.PkgPath, msg)
			if !seen[line] {
				seen[line] = true
				fmt.Fprintln(w, line)
				n++
			}
		}
	})
	return n
}

// A finding is one diagnostic of a root package, positions resolved.
type finding struct {
	analyzer string
	diag     runner.Diagnostic
}

// dedupe returns the findings without the duplicates that come from
// files shared by a package and its test variant, sorted by position.
func dedupe(all []finding) []finding {
	type key struct {
		posn, end token.Position
		analyzer  string
		message   string
	}
	seen := make(map[key]bool)
	var out []finding
	for _, f := range all {
		k := key{f.diag.Posn, f.diag.End, f.analyzer, f.diag.Message}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].diag.Posn, out[j].diag.Posn
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return out[i].analyzer < out[j].analyzer
	})
	return out
}

// A triState is a boolean flag that knows whether it was set.
type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (ts *triState) Get() any { return *ts == setTrue }

func (ts *triState) Set(value string) error {
	b, err := strconv.ParseBool(value)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	if b {
		*ts = setTrue
	} else {
		*ts = setFalse
	}
	return nil
}

func (ts *triState) String() string {
	switch *ts {
	case setTrue:
		return "true"
	case setFalse:
		return "false"
	}
	return "unset"
}

func (ts *triState) IsBoolFlag() bool { return true }
