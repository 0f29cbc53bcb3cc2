package driver

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/doc"
)

// help prints the list of passes, or the documentation and flags of the
// named passes.
func help(progname string, analyzers []*analysis.Analyzer, names []string, stdout, stderr io.Writer) int {
	if len(names) == 0 {
		fmt.Fprintf(stdout, "%s finds the causes of goroutine leaks and unbounded blocking in Go code.\n\n", progname)
		fmt.Fprintf(stdout, "Passes (all run by default):\n\n")
		for _, a := range analyzers {
			fmt.Fprintf(stdout, "    %-12s %s\n", a.Name, doc.Title(a.Doc))
		}
		fmt.Fprintf(stdout, "\nRun '%s help PASS' for a pass's documentation and flags, and '%s -h' for the\ncommand's flags. Suppress one finding with a comment on its line or the line above:\n\n    //leaklint:ignore PASS reason why it is safe\n", progname, progname)
		return ExitClean
	}
	exit := ExitClean
	for _, name := range names {
		var found *analysis.Analyzer
		for _, a := range analyzers {
			if a.Name == name {
				found = a
			}
		}
		if found == nil {
			fmt.Fprintf(stderr, "%s: no pass named %q\n", progname, name)
			exit = ExitUsage
			continue
		}
		fmt.Fprintf(stdout, "%s: %s\n", found.Name, found.Doc)
		first := true
		found.Flags.VisitAll(func(f *flag.Flag) {
			if first {
				fmt.Fprintf(stdout, "\nFlags:\n")
				first = false
			}
			fmt.Fprintf(stdout, "  -%s.%s\n    \t%s\n", found.Name, f.Name, strings.ReplaceAll(f.Usage, "\n", "\n    \t"))
		})
		if found.URL != "" {
			fmt.Fprintf(stdout, "\nDocumentation: %s\n", found.URL)
		}
	}
	return exit
}
