package analysis

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/skein-project/skein/graph"
)

// textbookBetweenness is Brandes' algorithm as the paper writes it (a queue,
// predecessor lists, a stack), one source at a time, normalised as
// betweenness: the reference the level-by-level, branch-free version is
// checked against on graphs too big to keep networkx references for.
func textbookBetweenness(x *index) []float64 {
	n := x.len()
	cb := make([]float64, n)
	for s := range n {
		dist := make([]int, n)
		for i := range dist {
			dist[i] = -1
		}
		sigma := make([]float64, n)
		pred := make([][]int32, n)
		var stack []int32
		dist[s], sigma[s] = 0, 1
		queue := []int32{int32(s)}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			stack = append(stack, v)
			for _, w := range x.neighbours(int(v)) {
				if dist[w] < 0 {
					dist[w] = dist[v] + 1
					queue = append(queue, w)
				}
				if dist[w] == dist[v]+1 {
					sigma[w] += sigma[v]
					pred[w] = append(pred[w], v)
				}
			}
		}
		delta := make([]float64, n)
		for i := len(stack) - 1; i >= 0; i-- {
			w := stack[i]
			for _, v := range pred[w] {
				delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
			}
			if int(w) != s {
				cb[w] += delta[w]
			}
		}
	}
	if n > 2 {
		for i := range cb {
			cb[i] /= float64((n - 1) * (n - 2))
		}
	}
	return cb
}

// pairsGraph has n entities and links random pairs until it has m links
// (duplicates and self-links included, as a store may hold them): below
// about n/2 links it falls apart into many components and isolates.
func pairsGraph(n, m int, seed uint64) graph.Subgraph {
	rng := rand.New(rand.NewPCG(seed, 7))
	g := graph.Subgraph{Nodes: make([]graph.Entity, n)}
	for i := range n {
		id := fmt.Sprintf("e%04d", i)
		g.Nodes[i] = graph.Entity{ID: id, Kind: graph.KindPerson, Name: id}
	}
	for k := range m {
		g.Links = append(g.Links, graph.Link{
			ID: fmt.Sprintf("l%05d", k), Type: graph.LinkAssociateOf,
			Source: g.Nodes[rng.IntN(n)].ID, Target: g.Nodes[rng.IntN(n)].ID,
		})
	}
	return g
}

// pathGraph is a chain of n entities: one long shortest path per pair, as
// many levels as entities.
func pathGraph(n int) graph.Subgraph {
	g := pairsGraph(n, 0, 0)
	for i := 1; i < n; i++ {
		g.Links = append(g.Links, graph.Link{ID: fmt.Sprintf("p%05d", i), Type: graph.LinkAssociateOf, Source: g.Nodes[i-1].ID, Target: g.Nodes[i].ID})
	}
	return g
}

// TestBetweennessIsBrandes checks betweenness against the textbook Brandes
// on random graphs (connected, falling apart, dense, with many equal-length
// paths) and a long chain, within 1e-12 of each score; it runs each twice
// and wants the same bits, the scratch of one search reused by the next.
func TestBetweennessIsBrandes(t *testing.T) {
	graphs := map[string]graph.Subgraph{
		"random 700":       randomGraph(700),
		"sparse 500":       pairsGraph(500, 300, 1),
		"components 400":   pairsGraph(400, 420, 2),
		"dense 120":        pairsGraph(120, 3000, 3),
		"small 30":         pairsGraph(30, 45, 4),
		"path 300":         pathGraph(300),
		"two entities":     pairsGraph(2, 1, 5),
		"isolates only 40": pairsGraph(40, 0, 6),
		"chains and hubs":  sparseGraph(3, 600),
	}
	ctx := context.Background()
	for name, g := range graphs {
		t.Run(name, func(t *testing.T) {
			x, err := newIndex(ctx, g)
			if err != nil {
				t.Fatal(err)
			}
			want := textbookBetweenness(x)
			got, err := betweenness(ctx, x)
			if err != nil {
				t.Fatal(err)
			}
			again, err := betweenness(ctx, x)
			if err != nil {
				t.Fatal(err)
			}
			nonzero := 0
			for i := range want {
				if math.Abs(got[i]-want[i]) > 1e-12 {
					t.Errorf("%s: got %.15f, textbook Brandes %.15f", x.ids[i], got[i], want[i])
				}
				if math.Float64bits(got[i]) != math.Float64bits(again[i]) {
					t.Errorf("%s: %v then %v", x.ids[i], got[i], again[i])
				}
				if want[i] != 0 {
					nonzero++
				}
			}
			t.Logf("%d entities, %d with non-zero betweenness", len(want), nonzero)
		})
	}
}
