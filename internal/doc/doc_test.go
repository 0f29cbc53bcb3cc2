package doc

import (
	"strings"
	"testing"
)

const good = `// Package demo defines an Analyzer.
//
// # Analyzer other
//
// other: not this one
//
// # Analyzer demo
//
// demo: report demos that leak
//
// The demo analyzer reports things.
//
//	// WRONG
//	demo()
//
// # When it stays silent
//
// Part of the section.
//
// # Analyzer third
//
// third: not part of demo's section
package demo
`

func TestExtract(t *testing.T) {
	got, err := Extract(good, "demo")
	if err != nil {
		t.Fatal(err)
	}
	want := "report demos that leak\n\nThe demo analyzer reports things.\n\n\t// WRONG\n\tdemo()\n\n# When it stays silent\n\nPart of the section."
	if got != want {
		t.Errorf("Extract = %q, want %q", got, want)
	}
	if title := Title(got); title != "report demos that leak" {
		t.Errorf("Title = %q", title)
	}
	if got, _ := Extract(good, "other"); got != "not this one" {
		t.Errorf("Extract(other) = %q", got)
	}
}

func TestExtractErrors(t *testing.T) {
	for _, tc := range []struct {
		name, content, errPart string
	}{
		{"empty", "", "empty"},
		{"notgo", "this is not Go", "not a Go source file"},
		{"nodoc", "package demo\n", "no package doc comment"},
		{"noheading", "// Package demo.\npackage demo\n", "no \"# Analyzer demo\" heading"},
		{"nosummary", "// Package demo.\n//\n// # Analyzer demo\n//\n// Something else.\npackage demo\n", "not followed by"},
		{"prefixonly", "// # Analyzer demonstration\n//\n// demonstration: x\npackage demo\n", "no \"# Analyzer demo\" heading"},
	} {
		_, err := Extract(tc.content, "demo")
		if err == nil || !strings.Contains(err.Error(), tc.errPart) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.name, err, tc.errPart)
		}
	}
}

func TestMustExtractPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustExtract did not panic on a bad doc.go")
		}
	}()
	MustExtract("package demo\n", "demo")
}
