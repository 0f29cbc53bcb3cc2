// Package lib has functions that never return, for another package.
package lib

import (
	"fmt"
	"os"
)

func Fatalf(format string, args ...any) { // want Fatalf:"noReturn"
	fmt.Fprintf(os.Stderr, format, args...)
	os.Exit(1)
}

func Fail(msg string) { // want Fail:"noReturn"
	panic(msg)
}

type Logger struct{}

func (Logger) Fatal(msg string) { // want Fatal:"noReturn"
	Fail(msg)
}

func Maybe(msg string) {
	if msg != "" {
		panic(msg)
	}
}
