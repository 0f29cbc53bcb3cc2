package a

import (
	"log"
	"os"
)

func plain() int { // want "ssa: plain"
	return 1
}

func literals() func() int { // want "ssa: literals"
	f := func() int { // want "ssa: literals\\$1"
		g := func() int { return 2 } // want "ssa: literals\\$1\\$1"
		return g()
	}
	return f
}

type T struct{}

func (T) method() {} // want "ssa: method"

func Generic[E any](x E) E { // want "ssa: Generic"
	return x
}

func init() {} // want "ssa: init#1"

func init() {} // want "ssa: init#2"

func fatal(msg string) { // want "ssa: fatal"
	log.Fatal(msg) // want "call never returns"
}

func exits() { // want "ssa: exits"
	os.Exit(1) // want "call never returns"
}

func viaHelper() { // want "ssa: viaHelper"
	fatal("x") // want "call never returns"
	plain()
}

func returns() { // want "ssa: returns"
	plain() // want "call returns"
}

var suite = register(func() int { // want "ssa: init\\$1"
	return 1
})

func register(f func() int) int { return f() } // want "ssa: register"
