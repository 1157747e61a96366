package analysis

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/skein-project/skein/graph"
)

// plainDistances is the reference for the bit-parallel sweeps: one
// ordinary breadth-first search from s, avoiding removed nodes.
func plainDistances(x *index, s int, removed []bool) []int {
	dist := make([]int, x.len())
	for i := range dist {
		dist[i] = -1
	}
	dist[s] = 0
	queue := []int{s}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range x.neighbours(v) {
			if dist[w] < 0 && (removed == nil || !removed[w]) {
				dist[w] = dist[v] + 1
				queue = append(queue, int(w))
			}
		}
	}
	return dist
}

// sparseGraph has several components, isolates, hubs and long chains, so
// that sweeps span batches of 64 sources with sources in different
// components and distances up to a few dozen.
func sparseGraph(seed uint64, n int) graph.Subgraph {
	rng := rand.New(rand.NewPCG(seed, 7))
	g := graph.Subgraph{}
	for i := range n {
		g.Nodes = append(g.Nodes, graph.Entity{ID: fmt.Sprintf("n%04d", i), Kind: graph.KindPerson})
	}
	link := func(u, v int) {
		g.Links = append(g.Links, graph.Link{ID: fmt.Sprintf("l%05d", len(g.Links)), Type: graph.LinkAssociateOf, Source: g.Nodes[u].ID, Target: g.Nodes[v].ID})
	}
	for i := 1; i < n; i++ {
		switch r := rng.IntN(10); {
		case r < 5: // a chain
			link(i-1, i)
		case r < 8: // a random tie, often far away
			link(i, rng.IntN(n))
		case r < 9: // a hub
			link(i, rng.IntN(3))
		} // else an isolate unless others tie to it
	}
	return g
}

// TestSweepMatchesPlainSearch checks closeness, harmonic centrality and
// global efficiency (with removals) against the plain per-source search.
func TestSweepMatchesPlainSearch(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(6) {
		g := sparseGraph(seed, 130+int(seed)*70)
		x, _ := newIndex(context.Background(), g)
		n := x.len()
		removed := make([]bool, n)
		for i := range n {
			removed[i] = i%17 == int(seed)
		}
		wantClose, wantHarm := make([]float64, n), make([]float64, n)
		var wantEff float64
		left := 0
		for s := range n {
			var total, reached int
			var harm, eff float64
			for _, d := range plainDistances(x, s, nil) {
				if d > 0 {
					total += d
					reached++
					harm += 1 / float64(d)
				}
			}
			if total > 0 {
				wantClose[s] = float64(reached) / float64(total) * float64(reached) / float64(n-1)
			}
			wantHarm[s] = harm / float64(n-1)
			if removed[s] {
				continue
			}
			left++
			for _, d := range plainDistances(x, s, removed) {
				if d > 0 {
					eff += 1 / float64(d)
				}
			}
			wantEff += eff
		}
		wantEff /= float64(left) * float64(left-1)

		gotClose, err := closeness(ctx, x)
		if err != nil {
			t.Fatal(err)
		}
		gotHarm, err := harmonic(ctx, x)
		if err != nil {
			t.Fatal(err)
		}
		gotEff, err := globalEfficiency(ctx, x, removed)
		if err != nil {
			t.Fatal(err)
		}
		for s := range n {
			if math.Abs(gotClose[s]-wantClose[s]) > 1e-12 || math.Abs(gotHarm[s]-wantHarm[s]) > 1e-12 {
				t.Fatalf("seed %d node %d: closeness %v harmonic %v, plain search %v %v", seed, s, gotClose[s], gotHarm[s], wantClose[s], wantHarm[s])
			}
		}
		if math.Abs(gotEff-wantEff) > 1e-11 {
			t.Errorf("seed %d: efficiency %v, plain search %v", seed, gotEff, wantEff)
		}
	}
}
