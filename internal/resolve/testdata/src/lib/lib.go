package lib

type T struct {
	F  func()
	ch chan int
}

func (t *T) Run() {
	t.F() // want `callees unknown`
}

// An exported function's parameters can come from anywhere.
func Consume(ch chan int) {
	<-ch
}

func (t *T) start() { Consume(t.ch) }

type Doer interface{ Do() }

type impl struct{}

func (impl) Do() {}

func call(d Doer) {
	d.Do() // want `callees unknown`
}
