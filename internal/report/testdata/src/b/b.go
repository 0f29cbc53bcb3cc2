package b

func bad() {}

func f() {
	// No reason: suppresses nothing (the directive analyzer reports it).
	//leaklint:ignore unlock
	bad() // want `call of bad`

	// Unknown names only: suppresses nothing.
	//leaklint:ignore timeafer typo
	bad() // want `call of bad`

	// Unknown names next to known ones: the known one still suppresses.
	//leaklint:ignore unlock,nosuch reason
	bad()
}
