package directive_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/internal/directive"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), directive.Analyzer, "a", "line")
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		text   string
		passes []string
		reason string
		isDir  bool
	}{
		{"//leaklint:ignore unlock,timeafter why not", []string{"unlock", "timeafter"}, "why not", true},
		{"// leaklint:ignore unlock because", []string{"unlock"}, "because", true},
		{"//leaklint:ignore\tunlock\tbecause", []string{"unlock"}, "because", true},
		{"//leaklint:ignore", nil, "", true},
		{"//leaklint:ignored unlock x", nil, "", false},
		{"/* leaklint:ignore unlock x */", nil, "", false},
	} {
		d := directive.Parse(&ast.Comment{Text: tc.text})
		if (d != nil) != tc.isDir {
			t.Errorf("Parse(%q) = %v, want a directive: %v", tc.text, d, tc.isDir)
			continue
		}
		if d == nil {
			continue
		}
		if len(d.Passes) != len(tc.passes) || d.Reason != tc.reason {
			t.Errorf("Parse(%q) = %q, %q; want %q, %q", tc.text, d.Passes, d.Reason, tc.passes, tc.reason)
		}
		for i := range tc.passes {
			if d.Passes[i] != tc.passes[i] {
				t.Errorf("Parse(%q) passes = %q, want %q", tc.text, d.Passes, tc.passes)
			}
		}
	}
	// Silences needs the name and a reason.
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", "package p\n//leaklint:ignore unlock why\n//leaklint:ignore unlock\n", parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	withReason := directive.Parse(f.Comments[0].List[0])
	without := directive.Parse(f.Comments[0].List[1])
	if !withReason.Silences("unlock") || withReason.Silences("timeafter") || without.Silences("unlock") {
		t.Error("Silences is wrong")
	}
}
