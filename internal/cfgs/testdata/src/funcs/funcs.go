// Package funcs checks the list of functions (CFGs.Funcs): its order,
// each literal's parent, and which calls are on every path.
package funcs

var pkgLit = func() { // want `func 0 literal at package level: CFG`
	_ = func() {} // want `func 1 literal in literal at line 5: CFG`
}

func mark() {} // want `func 2 mark: CFG`

func declared(c bool) { // want `func 3 declared: CFG`
	mark() // want `on every path`
	if c {
		mark() // want `not on every path`
		return
	}
	f := func() { // want `func 4 literal in declared: CFG`
		g := func() {} // want `func 5 literal in literal at line 17: CFG`
		g()
	}
	f()
	mark() // want `not on every path`
}

func noBody()

func last() {} // want `func 6 last: CFG`
