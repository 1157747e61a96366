package analysis

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// weightedGraph: a to d by many routes (weights in brackets, none = 1):
//
//	ab1 a-b [1]   ab2 a-b [3]   bd b-d [1]   ac a-c [0.5]   dc d->c [0.5]
//	cb c-b [0.25] ad a-d [5]    ae a-e [-]   ed e-d [-]
func weightedGraph() graph.Subgraph {
	var g graph.Subgraph
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		g.Nodes = append(g.Nodes, graph.Entity{ID: id, Kind: graph.KindPerson, Name: id})
	}
	for _, l := range []struct {
		id, s, t string
		w        float64
	}{
		{"ab1", "a", "b", 1}, {"ab2", "a", "b", 3}, {"bd", "b", "d", 1},
		{"ac", "a", "c", 0.5}, {"dc", "d", "c", 0.5}, {"cb", "c", "b", 0.25},
		{"ad", "a", "d", 5}, {"ae", "a", "e", 0}, {"ed", "e", "d", 0},
	} {
		g.Links = append(g.Links, graph.Link{ID: l.id, Type: graph.LinkLinkedTo, Source: l.s, Target: l.t, Weight: l.w})
	}
	return g
}

func linkIDs(ps []graph.Path) []string {
	var out []string
	for _, p := range ps {
		var ids []string
		for _, l := range p.Links {
			ids = append(ids, l.ID)
		}
		out = append(out, strings.Join(ids, ","))
	}
	return out
}

func TestWeightedPaths(t *testing.T) {
	ctx := context.Background()
	g := weightedGraph()
	// Every simple path from a to d, by hand: ac,dc 1; ab1,cb,dc 1.75 and
	// ac,cb,bd 1.75 (3 links each, ab1 < ac); ab1,bd 2 and ae,ed 2 (ab1 <
	// ae); ab2,cb,dc 3.75; ab2,bd 4; ad 5.
	all := []string{"ac,dc", "ab1,cb,dc", "ac,cb,bd", "ab1,bd", "ae,ed", "ab2,cb,dc", "ab2,bd", "ad"}
	for _, tc := range []struct {
		name        string
		k, maxHops  int
		from, to    string
		want        []string
		wantWeights []float64
	}{
		{"all", 100, 4, "a", "d", all, []float64{1, 1.75, 1.75, 2, 2, 3.75, 4, 5}},
		{"first three", 3, 4, "a", "d", all[:3], nil},
		{"two hops", 100, 2, "a", "d", []string{"ac,dc", "ab1,bd", "ae,ed", "ab2,bd", "ad"}, nil},
		{"one hop", 100, 1, "a", "d", []string{"ad"}, nil},
		{"defaults", 0, 0, "a", "d", all, nil},
		// Backwards the 1.75 tie reads bd,cb,ac against dc,cb,ab1: bd wins.
		{"reverse", 3, 4, "d", "a", []string{"dc,ac", "bd,cb,ac", "dc,cb,ab1"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := WeightedPaths(ctx, g, tc.from, tc.to, tc.k, tc.maxHops)
			if err != nil {
				t.Fatal(err)
			}
			if ids := linkIDs(got); !slices.Equal(ids, tc.want) {
				t.Errorf("got %v, want %v", ids, tc.want)
			}
			for i, p := range got {
				if p.Nodes[0].ID != tc.from || p.Nodes[len(p.Nodes)-1].ID != tc.to || len(p.Nodes) != len(p.Links)+1 {
					t.Errorf("path %d runs %v", i, p.Nodes)
				}
				if tc.wantWeights != nil && p.Weight() != tc.wantWeights[i] {
					t.Errorf("path %d weight %v, want %v", i, p.Weight(), tc.wantWeights[i])
				}
			}
		})
	}
}

func TestWeightedPathsErrors(t *testing.T) {
	ctx := context.Background()
	g := weightedGraph()
	g.Nodes = append(g.Nodes, graph.Entity{ID: "lonely", Kind: graph.KindPerson, Name: "lonely"})
	for _, tc := range []struct {
		from, to   string
		k, maxHops int
		want       error
	}{
		{"a", "a", 1, 4, graph.ErrInvalid},
		{"a", "nobody", 1, 4, graph.ErrNotFound},
		{"nobody", "a", 1, 4, graph.ErrNotFound},
		{"a", "d", graph.MaxPathLimit + 1, 4, graph.ErrTooComplex},
		{"a", "d", 1, graph.MaxHops + 1, graph.ErrTooComplex},
	} {
		if _, err := WeightedPaths(ctx, g, tc.from, tc.to, tc.k, tc.maxHops); !errors.Is(err, tc.want) {
			t.Errorf("%+v: %v, want %v", tc, err, tc.want)
		}
	}
	got, err := WeightedPaths(ctx, g, "a", "lonely", 5, 4)
	if err != nil || len(got) != 0 {
		t.Errorf("unreachable: %v, %v; want no paths", got, err)
	}
}

// allSimplePaths enumerates every simple path of at most maxHops links by
// depth-first search, independently of Yen's algorithm.
func allSimplePaths(g graph.Subgraph, from, to string, maxHops int) []graph.Path {
	ent := map[string]graph.Entity{}
	for _, e := range g.Nodes {
		ent[e.ID] = e
	}
	var out []graph.Path
	var walk func(p graph.Path)
	walk = func(p graph.Path) {
		last := p.Nodes[len(p.Nodes)-1].ID
		if last == to {
			out = append(out, graph.Path{Nodes: slices.Clone(p.Nodes), Links: slices.Clone(p.Links)})
			return
		}
		if p.Length() == maxHops {
			return
		}
		for _, l := range g.Links {
			if l.Source != last && l.Target != last || l.Source == l.Target {
				continue
			}
			next := l.Other(last)
			if slices.ContainsFunc(p.Nodes, func(e graph.Entity) bool { return e.ID == next }) {
				continue
			}
			walk(graph.Path{Nodes: append(p.Nodes, ent[next]), Links: append(p.Links, l)})
		}
	}
	walk(graph.Path{Nodes: []graph.Entity{ent[from]}})
	graph.SortPaths(out, true)
	return out
}

// Yen's k shortest paths must be the first k of all simple paths, sorted,
// on random multigraphs with ties (weights are quarters, so sums are exact).
func TestWeightedPathsAgainstEnumeration(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 60 {
		n := 5 + rng.IntN(5)
		var g graph.Subgraph
		for i := range n {
			id := fmt.Sprintf("n%d", i)
			g.Nodes = append(g.Nodes, graph.Entity{ID: id, Kind: graph.KindPerson, Name: id})
		}
		for i := range n * 2 {
			s, d := rng.IntN(n), rng.IntN(n)
			g.Links = append(g.Links, graph.Link{
				ID: fmt.Sprintf("l%02d", rng.IntN(100)) + fmt.Sprintf("-%d", i), Type: graph.LinkLinkedTo,
				Source: g.Nodes[s].ID, Target: g.Nodes[d].ID, Weight: float64(rng.IntN(8)) / 4,
			})
		}
		maxHops := 1 + rng.IntN(5)
		k := 1 + rng.IntN(20)
		want := allSimplePaths(g, "n0", "n1", maxHops)
		if len(want) > k {
			want = want[:k]
		}
		got, err := WeightedPaths(ctx, g, "n0", "n1", k, maxHops)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := linkIDs(got), linkIDs(want); !slices.Equal(a, b) {
			t.Errorf("trial %d (k %d, maxHops %d):\n got  %v\n want %v", trial, k, maxHops, a, b)
		}
	}
}
