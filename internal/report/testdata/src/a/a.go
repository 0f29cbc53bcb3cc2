package a

func bad() {}

func f() {
	bad() // want `call of bad`
	bad() //leaklint:ignore timeafter a trailing directive covers its own line

	//leaklint:ignore timeafter,unlock a directive alone on a line covers the next line
	bad()

	//leaklint:ignore unlock names another pass only
	bad() // want `call of bad`

	//leaklint:ignore timeafter
	bad() // want `call of bad`

	x := 1 //leaklint:ignore timeafter a trailing directive does not cover the next line
	bad()  // want `call of bad`
	_ = x

	//leaklint:ignore timeafer typo in the name
	bad() // want `call of bad`

	//leaklint:ignore
	bad() // want `call of bad`

	// leaklint:ignore timeafter a space after the slashes is accepted
	bad()

	//leaklint:ignored timeafter is not our directive
	bad() // want `call of bad`

	//leaklint:ignore timeafter,nosuchpass mixed known and unknown
	bad()

	//leaklint:ignore timeafter two lines above does not count

	bad() // want `call of bad`
}
