// Package lib has functions that may block, one and two calls deep.
package lib

import "sync"

type Queue struct {
	ch chan int
	mu sync.Mutex
}

func (q *Queue) Push(v int) { // want Push:`mayBlock\(sends on q.ch\)`
	q.ch <- v
}

// Flush blocks two calls deep, through Push, on every path.
func (q *Queue) Flush(v int) { // want Flush:`mayBlock\(sends on q.ch\)`
	q.Push(v)
}

// PushAll blocks only when vs is not empty: no fact (a fact can't tell
// which calls pass an empty slice).
func (q *Queue) PushAll(vs []int) {
	for _, v := range vs {
		q.Push(v)
	}
}

func (q *Queue) TryPush(v int) bool { // no fact: never blocks
	select {
	case q.ch <- v:
		return true
	default:
		return false
	}
}

// WaitLocked gives the caller's lock up while it waits: no fact.
func (q *Queue) WaitLocked() {
	q.mu.Unlock()
	<-q.ch
	q.mu.Lock()
}
