// Package nilchan checks operations on channels that are certainly nil.
package nilchan

func process(int) {}

func forgotten() {
	var results chan int
	go func() {
		results <- 1 // want `send on nil channel results blocks forever: results is never assigned a channel; create it with make\(chan int\)`
	}()
	process(<-results) // want `receive from nil channel results blocks forever`
}

func ranged() {
	var jobs chan int
	for j := range jobs { // want `range over nil channel jobs blocks forever`
		process(j)
	}
}

func explicit() {
	ch := (chan int)(nil)
	ch <- 1 // want `send on nil channel ch blocks forever`
}

// ok: a nil case in a select is the idiom to disable it.
func disabled(in chan int, flag bool) {
	var out chan int
	if flag {
		out = make(chan int, 1)
	}
	select {
	case v := <-in:
		process(v)
	case out <- 1:
	}
}

// ok: assigned on some path.
func somePaths(flag bool) {
	var ch chan int
	if flag {
		ch = make(chan int, 1)
	}
	ch <- 1
}

// ok: assigned in a function literal.
func assignedInLiteral() {
	var ch chan int
	func() { ch = make(chan int, 1) }()
	ch <- 1
}

// ok: assigned through its address.
func viaPointer() {
	var ch chan int
	set(&ch)
	ch <- 1
}

func set(p *chan int) { *p = make(chan int, 1) }

var global chan int

// ok: a package-level variable may be assigned anywhere.
func useGlobal() {
	global <- 1
}

// A nil channel in a single-case select blocks just the same.
func singleCase() {
	var ch chan int
	select {
	case v := <-ch: // want `receive from nil channel ch blocks forever`
		process(v)
	}
}

func suppressed() {
	var never chan struct{}
	<-never //leaklint:ignore chanleak blocks the worker forever on purpose until the process exits
}
