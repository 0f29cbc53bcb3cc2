package line

//line generated.y:99999
func f() {
	//leaklint:ignore timeafer after a //line directive // want `unknown pass timeafer`
	f()
}
