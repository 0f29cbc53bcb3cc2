// Command golangci-lint is golangci-lint v2 with leaklint's module plugin
// compiled in: what `golangci-lint custom` builds from .custom-gcl.yml,
// made here without cloning golangci-lint from the internet. The tests in
// this repository build it to run leaklint inside a real golangci-lint.
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/leaklint/leaklint/plugin"
)

func main() {
	info := commands.BuildInfo{Version: "2.15.0-leaklint", Commit: "(custom)", Date: "(unknown)", GoVersion: "unknown"}
	if bi, ok := debug.ReadBuildInfo(); ok {
		info.GoVersion = bi.GoVersion
	}
	if err := commands.Execute(info); err != nil {
		fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
