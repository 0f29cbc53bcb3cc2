package broken

func f() {
	undefined() // a type error: no CFG is built
	panic("x")
}
