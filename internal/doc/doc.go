// Package doc extracts an analyzer's documentation from the package
// comment of its doc.go file, so that `leaklint help <pass>`, the
// analyzer's Doc field and pkg.go.dev all show the same text.
//
// The doc.go of a pass looks like this:
//
//	// Package timeafter defines an Analyzer that ...
//	//
//	// # Analyzer timeafter
//	//
//	// timeafter: report timers and tickers that leak before Go 1.23
//	//
//	// The full description, with a // WRONG and a // RIGHT example.
//	package timeafter
//
// and the pass embeds it with //go:embed doc.go.
package doc

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the section of the package doc comment in content that
// starts with the heading "# Analyzer name": the summary after "name:"
// followed by the rest of the section, up to the next "# Analyzer"
// heading. Other headings are kept, as "# Heading" lines.
func Extract(content, name string) (string, error) {
	if content == "" {
		return "", fmt.Errorf("empty Go source file")
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", fmt.Errorf("not a Go source file: %v", err)
	}
	if f.Doc == nil {
		return "", fmt.Errorf("no package doc comment")
	}
	heading := "Analyzer " + name
	// Text() turns "// # Heading" into "# Heading" at the start of a line.
	// A pass's section runs from its heading to the next "# Analyzer"
	// heading; other headings inside it (# Versions, # When it stays
	// silent) are part of the section.
	text := "\n" + f.Doc.Text()
	for _, section := range strings.Split(text, "\n# Analyzer ")[1:] {
		title, body, _ := strings.Cut(section, "\n")
		if "Analyzer "+strings.TrimSpace(title) != heading {
			continue
		}
		body = strings.TrimSpace(body)
		rest, ok := strings.CutPrefix(body, name+":")
		if !ok {
			return "", fmt.Errorf("heading %q is not followed by a %q line", "# "+heading, name+": summary")
		}
		return strings.TrimSpace(rest), nil
	}
	return "", fmt.Errorf("package doc comment has no %q heading", "# "+heading)
}

// MustExtract is like Extract but panics on error. It is meant for
// package initialisation, where a malformed doc.go is a programming error
// caught by the pass's own tests.
func MustExtract(content, name string) string {
	s, err := Extract(content, name)
	if err != nil {
		panic(fmt.Sprintf("doc.go of %s: %v", name, err))
	}
	return s
}

// Title returns the first line of an analyzer's Doc: its one-line summary.
func Title(doc string) string {
	title, _, _ := strings.Cut(doc, "\n")
	return strings.TrimSpace(title)
}
