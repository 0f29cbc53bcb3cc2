// Package use finds its bugs only through the facts of package lib.
package use

import "example.com/e2e/facts/lib"

func Sum(ch <-chan int) int {
	total := 0
	for {
		v, ok := lib.Recv(ch)
		if !ok {
			return total
		}
		total += v
	}
}

func Count(s *lib.Store) int {
	s.Lock()
	defer s.Unlock()
	return s.Len()
}
