package b

func bad() {}

func f() {
	// Reported by the unlock analyzer, which this directive names.
	/* want `has no reason` */ //leaklint:ignore unlock
	bad() // want `call of bad`

	// Unknown names alone are reported only by the first known pass, not by unlock.
	//leaklint:ignore timeafer typo
	bad() // want `call of bad`

	// Unknown names next to known ones are reported by the first known name.
	/* want `unknown pass nosuch` */ //leaklint:ignore unlock,nosuch reason
	bad()
}
