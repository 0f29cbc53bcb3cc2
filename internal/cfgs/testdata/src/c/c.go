package c

import "b"

func report(cond bool) {
	if cond {
		b.ViaOtherPackage() // want `call never returns`
	}
	println() // want `call returns`
	func() { // want `call returns`
		if cond {
			b.ViaGeneric() // want `call never returns`
		}
		println() // want `call returns`
	}()
}
