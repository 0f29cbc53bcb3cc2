package c

func bad() {}

// A //line directive moves the positions shown to the user far past the
// end of this file; suppression still works on the file's own lines.

//line generated.y:99999
func f() {
	bad() //leaklint:ignore timeafter a trailing directive after a //line directive
	bad() // want `call of bad`

	//leaklint:ignore timeafter alone on its line after a //line directive
	bad()
}

//line generated.y:10
func g() {
	bad() // want `call of bad`
//line generated.y:1
	bad() //leaklint:ignore timeafter the directive and the call share a line on disk
}
