package gcl

import (
	"sync"
	"time"
)

type Cache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *Cache) Get(k string) int {
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		return 0
	}
	c.mu.Unlock()
	return v
}

func Idle(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Minute):
			return
		}
	}
}

func Quiet(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Minute): //nolint:leaklint // golangci-lint's own suppression
			return
		}
	}
}

func Ignored(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Minute): //leaklint:ignore timeafter leaklint's suppression works under golangci-lint too
			return
		}
	}
}
