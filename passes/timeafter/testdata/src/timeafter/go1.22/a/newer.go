//go:build go1.23

package a

import "time"

// This file's Go version is go1.23 through its build constraint: timers
// are collected, and nothing is reported.
func newerFile(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Second): // ok: go1.23 file
		}
	}
}
