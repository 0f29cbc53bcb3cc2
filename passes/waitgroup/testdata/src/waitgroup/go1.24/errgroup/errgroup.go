// want package:"hasSummaries"

// Package errgroup has a Group like golang.org/x/sync/errgroup's, and
// other types with WaitGroup-like methods: none of their uses is checked
// as a WaitGroup's.
package errgroup

import "sync"

type Group struct {
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
}

func (g *Group) Wait() error { // want Wait:"waitgroup\\(g.wg: Done never, waits\\)"
	g.wg.Wait()
	return g.err
}

func (g *Group) Go(f func() error) { // want Go:"waitgroup\\(g.wg: Done unknown, adds\\)"
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.errOnce.Do(func() { g.err = err })
		}
	}()
}

func fetchAll(urls []string) error {
	var g Group
	for _, u := range urls {
		g.Go(func() error {
			if u == "" {
				return nil // ok: the Group calls Done, not this function
			}
			return nil
		})
	}
	return g.Wait()
}

// Counter has Add, Done and Wait methods but is not a sync.WaitGroup.
type Counter struct{ n int }

func (c *Counter) Add(n int) { c.n += n }
func (c *Counter) Done()     { c.n-- }
func (c *Counter) Wait()     {}

func counter() {
	var c Counter
	go func() {
		c.Add(1) // ok: not a sync.WaitGroup
		defer c.Done()
	}()
	c.Wait()
	c.Add(2) // ok
	go func() { defer c.Done() }()
	c.Wait()
}
