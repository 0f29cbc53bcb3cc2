package b

import "a"

func ViaOtherPackage() { // want ViaOtherPackage:"noReturn"
	a.T{}.Fail()
}

func ViaGeneric() { // want ViaGeneric:"noReturn"
	a.Generic(1)
}
