// Package syntax does not parse: a send statement used as a value. The
// parse error is the only message; no pass reports an internal error.
package syntax

func f(c chan int) {
	if c <- 1 {
	}
	go (f(c))
}
