package a

func f() {
	//leaklint:ignore timeafter a well-formed directive is not reported
	f()

	/* want `has no reason` */ //leaklint:ignore timeafter
	f()

	//leaklint:ignore timeafer typo in the name // want `unknown pass timeafer`
	f()

	/* want `names no pass` */ //leaklint:ignore
	f()

	//leaklint:ignore unlock,nosuchpass mixed known and unknown // want `unknown pass nosuchpass \(known passes: timeafter, waitgroup`
	f()

	//leaklint:ignore unlock,lockorder two known passes and a reason
	f()

	// leaklint:ignore lockblock a space after the slashes is a directive too
	f()

	// leaklint:ignore lockblok // want `unknown pass lockblok`
	f()

	//leaklint:ignored timeafter is not our directive
	f()
}
