package analysis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/skein-project/skein/graph"
)

// randomGraph is a deterministic random graph of n entities in which every
// entity links to 5 others chosen uniformly (about 5n links, mean degree
// about 10).
func randomGraph(n int) graph.Subgraph {
	rng := rand.New(rand.NewPCG(uint64(n), 42))
	g := graph.Subgraph{Nodes: make([]graph.Entity, n), Links: make([]graph.Link, 0, 5*n)}
	for i := range n {
		id := fmt.Sprintf("person:%07d", i)
		g.Nodes[i] = graph.Entity{ID: id, Kind: graph.KindPerson, Name: id}
	}
	for i := range n {
		for range 5 {
			j := rng.IntN(n)
			g.Links = append(g.Links, graph.Link{
				ID:     fmt.Sprintf("link:%08d", len(g.Links)),
				Type:   graph.LinkAssociateOf,
				Source: g.Nodes[i].ID, Target: g.Nodes[j].ID,
			})
		}
	}
	return g
}

func benchCentrality(b *testing.B, n int, m Metric) {
	g := randomGraph(n)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Centrality(ctx, g, m); err != nil {
			b.Fatal(err)
		}
	}
}

// The 100k betweenness is exact Brandes (no sampling approximation); run it
// with -benchtime=1x. Measured on the 2-core dev machine, busy (load average
// 11-15, 2026-12-03): 10k 12.8 CPU-s (18.9 before the changes of that day,
// same window); 100k about 17-20 CPU-ms per source, one thread, so some
// 1,700-2,000 CPU-s in all (igraph 1.0 on the same machine: 67 CPU-ms per
// source). PageRank 10k ~6 ms, 100k ~0.11 s (2026-11-24).
func BenchmarkBetweenness10k(b *testing.B)  { benchCentrality(b, 10_000, BETWEENNESS) }
func BenchmarkBetweenness100k(b *testing.B) { benchCentrality(b, 100_000, BETWEENNESS) }
func BenchmarkPageRank10k(b *testing.B)     { benchCentrality(b, 10_000, PAGERANK) }
func BenchmarkPageRank100k(b *testing.B)    { benchCentrality(b, 100_000, PAGERANK) }

func BenchmarkEigenvector10k(b *testing.B) { benchCentrality(b, 10_000, EIGENVECTOR) }
func BenchmarkCloseness10k(b *testing.B)   { benchCentrality(b, 10_000, CLOSENESS) }
func BenchmarkHarmonic10k(b *testing.B)    { benchCentrality(b, 10_000, HARMONIC) }
func BenchmarkCoreNumber10k(b *testing.B)  { benchCentrality(b, 10_000, CORE_NUMBER) }
func BenchmarkConstraint10k(b *testing.B)  { benchCentrality(b, 10_000, CONSTRAINT) }

func BenchmarkDisrupt10k(b *testing.B) {
	g := randomGraph(10_000)
	ctx := context.Background()
	remove := []string{g.Nodes[0].ID, g.Nodes[1].ID}
	for b.Loop() {
		if _, err := Disrupt(ctx, g, remove, graph.When{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKeyPlayers10k(b *testing.B) {
	g := randomGraph(10_000)
	ctx := context.Background()
	for b.Loop() {
		if _, err := KeyPlayers(ctx, g, 3, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// Grouped by kind; COMMUNITY grouping runs Louvain first (BenchmarkCommunities10k).
func BenchmarkBrokerage10k(b *testing.B) {
	g := randomGraph(10_000)
	ctx := context.Background()
	for b.Loop() {
		if _, err := Brokerage(ctx, g, ByKind, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCommunities10k(b *testing.B) {
	g := randomGraph(10_000)
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := Communities(ctx, g, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommunities100k: Louvain on 100k entities and about 500k links.
func BenchmarkCommunities100k(b *testing.B) {
	g := randomGraph(100_000)
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := Communities(ctx, g, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndex100k is the simple undirected view every analysis starts
// from (the whole of DEGREE's time, bar sorting the scores).
func BenchmarkIndex100k(b *testing.B) {
	g := randomGraph(100_000)
	ctx := context.Background()
	for b.Loop() {
		if _, err := newIndex(ctx, g); err != nil {
			b.Fatal(err)
		}
	}
}
