package neo4j

import (
	"fmt"
	"testing"

	"github.com/skein-project/skein/graph"
)

// TestQueryCacheShapes checks that the cached text of each of these
// shapes (link types and their order, time windows, selections, dated
// links, hops, limits, depths, a kind filter) is what compiling that shape
// writes, the first time and from the cache.
func TestQueryCacheShapes(t *testing.T) {
	var c queryCache
	types := [][]graph.LinkType{nil, {graph.LinkOwns}, {graph.LinkOwns, graph.LinkMemberOf}, {graph.LinkMemberOf, graph.LinkOwns}}
	whens := []graph.When{{}, {AsOf: "2018-06-30"}, {During: graph.DateRange{From: "2018"}}, {During: graph.DateRange{To: "2019"}}}
	sels := []graph.Selection{{}, {Partial: true, LinkIDsOnly: true}, {Partial: true, Entity: graph.EntityName, Link: graph.LinkRole},
		{Partial: true, LinkIDsOnly: true, NoKinds: true}}
	for _, ts := range types {
		for _, w := range whens {
			for _, sel := range sels {
				for _, dated := range []bool{false, true} {
					f := newLinkFilter(ts, w)
					f.dated = dated
					for hops := 1; hops <= 3; hops++ {
						for _, limit := range []int{1, 10} {
							build := func() string { return pathsCypher(hops, limit, f, dated, sel) }
							want := build()
							key := fmt.Sprint("paths ", ts, w, sel, dated, hops, limit)
							for range 2 { // compiled, then cached
								if got := c.text(shapeOf("paths", hops, limit, f, dated, false, sel), build); got != want {
									t.Fatalf("%s: cached text differs from the compiled one", key)
								}
							}
						}
					}
					for depth := 0; depth <= 3; depth++ {
						for _, kinds := range []bool{false, true} {
							build := func() string { return neighborhoodCypher(depth, f, sel, kinds) }
							want := build()
							for range 2 {
								if got := c.text(shapeOf("neighborhood", depth, 0, f, false, kinds, sel), build); got != want {
									t.Fatalf("neighborhood %v %v %v %d %v: cached text differs", ts, w, sel, depth, kinds)
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestQueryCacheBound checks that the cache stops growing at
// maxCachedQueries and still answers shapes beyond it.
func TestQueryCacheBound(t *testing.T) {
	var c queryCache
	for i := range maxCachedQueries + 10 {
		k := queryShape{op: "test", depth: i}
		if got := c.text(k, func() string { return fmt.Sprint(i) }); got != fmt.Sprint(i) {
			t.Fatalf("shape %d: %q", i, got)
		}
	}
	if len(c.m) != maxCachedQueries {
		t.Errorf("%d shapes cached, want %d", len(c.m), maxCachedQueries)
	}
}

// BenchmarkQueryText compares writing a paths query's text (maxHops 4,
// limit 10, ids-only links) with looking it up in the cache.
func BenchmarkQueryText(b *testing.B) {
	sel := graph.Selection{Partial: true, LinkIDsOnly: true}
	f := newLinkFilter(nil, graph.When{})
	build := func() string { return pathsCypher(4, 10, f, false, sel) }
	b.Run("compile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = build()
		}
	})
	b.Run("cached", func(b *testing.B) {
		var c queryCache
		b.ReportAllocs()
		for b.Loop() {
			_ = c.text(shapeOf("paths", 4, 10, f, false, false, sel), build)
		}
	})
}
