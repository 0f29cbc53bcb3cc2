package lockorder

import (
	_ "embed"
	"fmt"
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// ---- cycles ----

// reportCycles finds the cycles of the lock-order graph (this package's
// edges and those of every package it depends on) that go through an edge
// of this package, and reports each once.
func (c *checker) reportCycles(own []*ownEdge) {
	if len(own) == 0 {
		return
	}
	graph := make(map[string][]edge)
	for _, pf := range c.pass.AllPackageFacts() {
		f, ok := pf.Fact.(*orderEdges)
		if !ok || pf.Package == c.pass.Pkg {
			continue
		}
		for _, e := range f.Edges {
			graph[e.From] = append(graph[e.From], e)
		}
	}
	for _, e := range own {
		graph[e.From] = append(graph[e.From], e.edge)
	}
	for _, edges := range graph {
		sort.Slice(edges, func(i, j int) bool { return edges[i].To < edges[j].To })
	}
	reported := make(map[string]bool)
	for _, e := range own {
		path := shortestPath(graph, e.To, e.From)
		if path == nil {
			continue
		}
		cycle := append([]edge{e.edge}, path...)
		key := cycleKey(cycle)
		if reported[key] || c.r.Suppressed(e.pos) {
			continue
		}
		reported[key] = true
		var names []string
		for _, x := range cycle {
			names = append(names, short(x.From))
		}
		names = append(names, short(e.From))
		d := analysis.Diagnostic{
			Pos: e.pos,
			End: e.end,
			Message: fmt.Sprintf("lock order cycle %s: %s acquires %s while holding %s, and elsewhere they are taken the other way round; goroutines taking both deadlock, so pick one order",
				strings.Join(names, " → "), e.Func, short(e.To), short(e.From)),
		}
		for _, x := range cycle {
			msg := fmt.Sprintf("%s → %s: %s takes %s at %s while holding %s (taken at %s)", short(x.From), short(x.To), x.Func, short(x.To), x.At, short(x.From), x.Held)
			if x.Via != "" {
				msg += ", through the call of " + x.Via
				if x.Retake {
					msg += ", which releases " + short(x.To) + " and locks it again"
				}
			}
			pos := e.pos
			if x == e.edge {
				pos = e.pos
			} else if p := c.ownPos(own, x); p.IsValid() {
				pos = p
			}
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: pos, Message: msg})
		}
		c.r.Report(d)
	}
}

// ownPos returns the position of an edge of this package, or NoPos.
func (c *checker) ownPos(own []*ownEdge, x edge) token.Pos {
	for _, e := range own {
		if e.edge == x {
			return e.pos
		}
	}
	return token.NoPos
}

// shortestPath returns the edges of a shortest path from class src to
// class dst, or nil.
func shortestPath(graph map[string][]edge, src, dst string) []edge {
	type step struct {
		prev string
		e    edge
	}
	from := map[string]step{src: {}}
	queue := []string{src}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n == dst {
			var path []edge
			for n != src {
				s := from[n]
				path = append([]edge{s.e}, path...)
				n = s.prev
			}
			return path
		}
		for _, e := range graph[n] {
			if _, ok := from[e.To]; !ok {
				from[e.To] = step{n, e}
				queue = append(queue, e.To)
			}
		}
	}
	return nil
}

// cycleKey names a cycle independently of where it starts.
func cycleKey(cycle []edge) string {
	var parts []string
	for _, e := range cycle {
		parts = append(parts, e.From+"->"+e.To)
	}
	sort.Strings(parts)
	return strings.Join(parts, ";")
}
