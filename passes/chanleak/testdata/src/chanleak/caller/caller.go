// Package caller has a worker used from another package.
package caller

import "os"

// Worker sends its result on out.
func Worker(x int, out chan<- error) {
	out <- nil
}

// Die never returns: it exits the process.
func Die(msg string) {
	println(msg)
	os.Exit(1)
}
