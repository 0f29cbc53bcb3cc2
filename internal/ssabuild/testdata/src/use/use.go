// Package use calls functions of lib that never return.
package use

import "example.com/lib"

func f(l lib.Logger) { // want "ssa: f"
	lib.Fatalf("x") // want "call never returns"
}

func g(l lib.Logger) { // want "ssa: g"
	l.Fatal("x") // want "call never returns"
}

func h() { // want "ssa: h"
	lib.Fail("x") // want "call never returns"
}

func k() { // want "ssa: k"
	lib.Maybe("x") // want "call returns"
}
