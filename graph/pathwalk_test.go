package graph

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// testLink is an undirected test link between two integer nodes.
type testLink struct {
	id   string
	a, b int
	ok   bool // false: of a type outside the filter
	// start is the link's start day; dated false: it has none.
	start Day
	dated bool
}

// testGraph is a PathGraph over adjacency lists, with distances to the
// target from a BFS written here.
type testGraph struct {
	adj  map[int][]testLink
	dist map[int]int
}

func (g testGraph) Links(u int) []testLink { return g.adj[u] }

func (g testGraph) Follow(u int, l testLink) (int, bool) {
	if l.a == u {
		return l.b, l.ok
	}
	return l.a, l.ok
}

func (g testGraph) Start(l testLink) (Day, bool) { return l.start, l.dated }

func (g testGraph) Dist(v int) (int, bool) {
	d, ok := g.dist[v]
	return d, ok
}

func randomTestGraph(rng *rand.Rand, nodes, links, to, depth int) testGraph {
	g := testGraph{adj: map[int][]testLink{}, dist: map[int]int{to: 0}}
	for i := range links {
		l := testLink{id: fmt.Sprintf("l%03d", rng.IntN(1000)*1000+i), a: rng.IntN(nodes), b: rng.IntN(nodes), ok: rng.IntN(6) > 0,
			start: Day(rng.IntN(8)), dated: rng.IntN(5) > 0} // few days: many equal starts
		g.adj[l.a] = append(g.adj[l.a], l)
		if l.b != l.a {
			g.adj[l.b] = append(g.adj[l.b], l)
		}
	}
	for u := range g.adj {
		slices.SortFunc(g.adj[u], func(x, y testLink) int { return strings.Compare(x.id, y.id) })
	}
	frontier := []int{to}
	for d := 1; d <= depth; d++ {
		var next []int
		for _, u := range frontier {
			for _, l := range g.adj[u] {
				if v, ok := g.Follow(u, l); ok {
					if _, seen := g.dist[v]; !seen {
						g.dist[v] = d
						next = append(next, v)
					}
				}
			}
		}
		frontier = next
	}
	return g
}

// allPaths is every simple path from from to to of at most maxHops usable
// links, in PathQuery's order, found without any pruning; chronological
// keeps those whose links are all dated with non-decreasing starts,
// checked on the whole path once found.
func allPaths(g testGraph, from, to, maxHops int, chronological bool) []Walk[int, testLink] {
	var out []Walk[int, testLink]
	var dfs func(nodes []int, links []testLink)
	dfs = func(nodes []int, links []testLink) {
		u := nodes[len(nodes)-1]
		if u == to {
			if !chronological || sequential(links) {
				out = append(out, Walk[int, testLink]{slices.Clone(nodes), slices.Clone(links)})
			}
			return
		}
		if len(links) == maxHops {
			return
		}
		for _, l := range g.adj[u] {
			if v, ok := g.Follow(u, l); ok && !slices.Contains(nodes, v) {
				dfs(append(nodes, v), append(links, l))
			}
		}
	}
	dfs([]int{from}, nil)
	slices.SortStableFunc(out, func(a, b Walk[int, testLink]) int {
		if len(a.Links) != len(b.Links) {
			return len(a.Links) - len(b.Links)
		}
		return slices.CompareFunc(a.Links, b.Links, func(x, y testLink) int { return strings.Compare(x.id, y.id) })
	})
	return out
}

func sequential(links []testLink) bool {
	for i, l := range links {
		if !l.dated || (i > 0 && l.start < links[i-1].start) {
			return false
		}
	}
	return true
}

// WalkPaths must return the first limit of all simple paths in order,
// whatever it prunes on the way, chronological or not.
func TestWalkPathsMatchesBruteForce(t *testing.T) {
	for _, chrono := range []bool{false, true} {
		t.Run(fmt.Sprint("chronological=", chrono), func(t *testing.T) { testWalkPaths(t, chrono) })
	}
}

func testWalkPaths(t *testing.T, chrono bool) {
	rng := rand.New(rand.NewPCG(11, 12))
	nonEmpty, multiHop := 0, 0
	for i := range 300 {
		nodes := 4 + rng.IntN(12)
		maxHops := 1 + rng.IntN(5)
		limit := 1 + rng.IntN(20)
		from, to := 0, 1+rng.IntN(nodes-1)
		g := randomTestGraph(rng, nodes, nodes+rng.IntN(3*nodes), to, maxHops-1)
		got, err := WalkPaths[int, testLink](context.Background(), g, from, to, maxHops, limit, chrono)
		if err != nil {
			t.Fatal(err)
		}
		want := allPaths(g, from, to, maxHops, chrono)
		want = want[:min(len(want), limit)]
		if len(want) == 0 {
			want = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("graph %d (%d hops, limit %d):\n got  %v\n want %v", i, maxHops, limit, got, want)
		}
		if len(want) > 0 {
			nonEmpty++
			if len(want[len(want)-1].Links) > 1 {
				multiHop++
			}
		}
	}
	if nonEmpty < 100 || multiHop < 50 {
		t.Errorf("only %d of 300 random graphs had paths, %d longer than one link", nonEmpty, multiHop)
	}
}

// A dense graph with a cancelled context stops with the context's error.
func TestWalkPathsStopsOnCancel(t *testing.T) {
	g := testGraph{adj: map[int][]testLink{}, dist: map[int]int{}}
	const n = 40
	for a := range n {
		g.dist[a] = 1
		for b := a + 1; b < n; b++ {
			l := testLink{id: fmt.Sprintf("l%02d-%02d", a, b), a: a, b: b, ok: true}
			g.adj[a] = append(g.adj[a], l)
			g.adj[b] = append(g.adj[b], l)
		}
	}
	g.dist[n-1] = 0
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := WalkPaths[int, testLink](ctx, g, 0, n-1, 6, 1<<20, false); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
