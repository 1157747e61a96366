package analysis

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
)

// TestIndexMatchesBruteForce builds the index of graphs with repeated
// nodes, parallel, reversed, self and dangling links, large enough to be
// split among workers, and compares it with the simple graph built the
// plain way: a set of neighbours per id.
func TestIndexMatchesBruteForce(t *testing.T) {
	for _, n := range []int{1, 7, 3000, 20_000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(n), 7))
			var g graph.Subgraph
			for i := range n {
				id := fmt.Sprintf("e%d", rng.IntN(3*n)) // some ids twice
				g.Nodes = append(g.Nodes, graph.Entity{ID: id, Kind: graph.KindPerson, Name: fmt.Sprint("listed ", i)})
			}
			end := func() string {
				if rng.IntN(20) == 0 {
					return "missing" // not a node: the link is skipped
				}
				return g.Nodes[rng.IntN(n)].ID
			}
			for i := range 3 * n {
				g.Links = append(g.Links, graph.Link{ID: fmt.Sprint("l", i), Type: graph.LinkAssociateOf, Source: end(), Target: end()})
			}

			first := map[string]string{} // id -> name of its first listing
			for _, e := range g.Nodes {
				if _, ok := first[e.ID]; !ok {
					first[e.ID] = e.Name
				}
			}
			nb := map[string]map[string]bool{}
			edges := 0
			for _, l := range g.Links {
				_, okS := first[l.Source]
				_, okT := first[l.Target]
				if !okS || !okT || l.Source == l.Target || nb[l.Source][l.Target] {
					continue
				}
				for _, p := range [][2]string{{l.Source, l.Target}, {l.Target, l.Source}} {
					if nb[p[0]] == nil {
						nb[p[0]] = map[string]bool{}
					}
					nb[p[0]][p[1]] = true
				}
				edges++
			}

			x, err := newIndex(context.Background(), g)
			if err != nil {
				t.Fatal(err)
			}
			if x.len() != len(first) || !slices.IsSorted(x.ids) || x.edges != edges {
				t.Fatalf("%d nodes (want %d), sorted %v, %d edges (want %d)", x.len(), len(first), slices.IsSorted(x.ids), x.edges, edges)
			}
			for _, id := range []string{"missing", "", "e"} {
				if i, ok := x.find(id); ok || i != -1 || x.at(id) != -1 {
					t.Errorf("find(%q) = %d, %v; want -1, false", id, i, ok)
				}
			}
			for i, id := range x.ids {
				if x.at(id) != i || x.entities[i].ID != id || x.entities[i].Name != first[id] {
					t.Fatalf("node %d: id %q pos %d entity %q %q, want the first listing %q", i, id, x.at(id), x.entities[i].ID, x.entities[i].Name, first[id])
				}
				var want []int32
				for j := range nb[id] {
					want = append(want, int32(x.at(j)))
				}
				slices.Sort(want)
				if got := x.neighbours(i); !slices.Equal(got, want) && len(got)+len(want) > 0 {
					t.Fatalf("neighbours of %q: %v, want %v", id, got, want)
				}
			}
		})
	}
}

func TestIndexCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newIndex(ctx, randomGraph(100)); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}
