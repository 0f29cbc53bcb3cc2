package iotimeout_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/passes/iotimeout"
)

// testdata is the pass's testdata folder; the iotimeout
// cases are GOPATH-style packages under src/iotimeout (the rules do not
// depend on the Go version).
var testdata, _ = filepath.Abs("testdata")

// TestShapes runs the reported and the silent shapes of every rule.
func TestShapes(t *testing.T) {
	analysistest.Run(t, testdata, iotimeout.Analyzer,
		"iotimeout/client", "iotimeout/defaultclient", "iotimeout/server", "iotimeout/dial",
		"iotimeout/sqlctx", "iotimeout/generics", "iotimeout/tests", "iotimeout/configured")
}

// TestFacts checks that constructor facts cross package boundaries,
// and keep a package that imports none of the table's packages from
// exiting early.
func TestFacts(t *testing.T) {
	analysistest.Run(t, testdata, iotimeout.Analyzer, "iotimeout/ctor", "iotimeout/ctoruser", "iotimeout/noimport")
}

// TestNeutralCalls checks that handing a server to a function known to
// set no timeout (http2.ConfigureServer, stubbed in a module) is not an
// escape.
func TestNeutralCalls(t *testing.T) {
	analysistest.Run(t, filepath.Join(testdata, "src", "iotimeout", "http2mod"), iotimeout.Analyzer, "./grpcproxy")
}

// TestFix checks the database/sql rewrite to the context variants.
func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata, iotimeout.Analyzer, "iotimeout/sqlctx")
}

// TestExtra checks APIs added through the -extra flag.
func TestExtra(t *testing.T) {
	a := iotimeout.New(iotimeout.Config{})
	if err := a.Flags.Set("extra", "crypto/tls.Dial=tls.DialWithDialer"); err != nil {
		t.Fatal(err)
	}
	if err := a.Flags.Set("extra", "ctx:(*iotimeout/extra.DB).Select=SelectContext,iotimeout/extra.Dial"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata, a, "iotimeout/extra")
}

// TestExtraConfig checks the same entries given through Config.
func TestExtraConfig(t *testing.T) {
	a := iotimeout.New(iotimeout.Config{Extra: []string{
		"crypto/tls.Dial=tls.DialWithDialer",
		"ctx:(*iotimeout/extra.DB).Select=SelectContext",
		"iotimeout/extra.Dial",
	}})
	analysistest.Run(t, testdata, a, "iotimeout/extra")
}

// TestExtraErrors checks that malformed entries are refused with a
// message that says what to write.
func TestExtraErrors(t *testing.T) {
	for _, bad := range []string{
		"Dial",                           // no package
		"(net.Dialer.Dial",               // malformed receiver
		"ctx:(*database/sql.DB).Query",   // ctx: without =NAME
		"ctx:(*database/sql.DB).Query=1", // NAME not an identifier
	} {
		a := iotimeout.New(iotimeout.Config{})
		err := a.Flags.Set("extra", bad)
		if err == nil {
			t.Errorf("-extra=%s: accepted, want an error", bad)
			continue
		}
		if !strings.Contains(err.Error(), "write") && !strings.Contains(err.Error(), "needs =NAME") {
			t.Errorf("-extra=%s: error %q does not say what to write", bad, err)
		}
	}
}

// TestInstancesAreIndependent checks that flags set on one instance do
// not leak into another: configuration lives on the instance.
func TestInstancesAreIndependent(t *testing.T) {
	a := iotimeout.New(iotimeout.Config{})
	if err := a.Flags.Set("extra", "crypto/tls.Dial"); err != nil {
		t.Fatal(err)
	}
	b := iotimeout.New(iotimeout.Config{})
	if got := a.Flags.Lookup("extra").Value.String(); got != "crypto/tls.Dial" {
		t.Errorf("a: extra = %q, want crypto/tls.Dial", got)
	}
	if got := b.Flags.Lookup("extra").Value.String(); got != "" {
		t.Errorf("b: extra = %q, want empty", got)
	}
	if got := iotimeout.Analyzer.Flags.Lookup("extra").Value.String(); got != "" {
		t.Errorf("default Analyzer: extra = %q, want empty", got)
	}
}
