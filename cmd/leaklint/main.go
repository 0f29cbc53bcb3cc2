// Command leaklint finds the causes of goroutine leaks, stuck goroutines
// and unbounded blocking in Go code.
//
// Usage:
//
//	leaklint [flags] packages...
//	leaklint help [pass]
//	go vet -vettool=$(command -v leaklint) packages...
//
// Exit codes: 0 no findings, 3 findings, 1 a package failed to load or
// an analysis failed, 2 bad flags or no packages. See the README for the passes, the
// flags and how to suppress a finding.
package main

import (
	"github.com/leaklint/leaklint/cmd/leaklint/internal/driver"
	"github.com/leaklint/leaklint/passes"
)

func main() {
	driver.Main(passes.Analyzers()...)
}
