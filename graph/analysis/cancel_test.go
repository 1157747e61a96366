package analysis

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/skein-project/skein/graph"
)

// TestCancelStopsWithinBoundedWork runs each long analysis to the end,
// counting its work (nodes and links visited, as its meters report them),
// then again with a context cancelled once a tenth of that work is done,
// and checks that it then returns the context's error having done at most
// one check interval (plus one node's links) more per worker. Work is
// counted, not timed.
func TestCancelStopsWithinBoundedWork(t *testing.T) {
	big := randomGraph(2000)
	small := randomGraph(600)
	huge := randomGraph(10000)
	analyses := []struct {
		name string
		g    graph.Subgraph
		run  func(context.Context, graph.Subgraph) error
	}{
		{"keyPlayers exhaustive", small, func(ctx context.Context, g graph.Subgraph) error {
			_, err := KeyPlayers(ctx, g, 2, nil)
			return err
		}},
		{"keyPlayers heuristic", big, func(ctx context.Context, g graph.Subgraph) error {
			_, err := KeyPlayers(ctx, g, 3, nil)
			return err
		}},
		{"disruption", big, func(ctx context.Context, g graph.Subgraph) error {
			_, err := Disrupt(ctx, g, []string{g.Nodes[0].ID}, graph.When{})
			return err
		}},
		{"brokerage", huge, func(ctx context.Context, g graph.Subgraph) error {
			_, err := Brokerage(ctx, g, ByKind, 1)
			return err
		}},
		{"index", huge, func(ctx context.Context, g graph.Subgraph) error {
			_, err := newIndex(ctx, g)
			return err
		}},
		{"communities", huge, func(ctx context.Context, g graph.Subgraph) error {
			_, _, err := Communities(ctx, g, 1)
			return err
		}},
	}
	for _, m := range []Metric{BETWEENNESS, CLOSENESS, HARMONIC, PAGERANK, EIGENVECTOR, CONSTRAINT} {
		analyses = append(analyses, struct {
			name string
			g    graph.Subgraph
			run  func(context.Context, graph.Subgraph) error
		}{string(m), big, func(ctx context.Context, g graph.Subgraph) error {
			_, err := Centrality(ctx, g, m)
			return err
		}})
	}
	for _, a := range analyses {
		t.Run(a.name, func(t *testing.T) {
			x, _ := newIndex(context.Background(), a.g)
			maxDegree := 0
			for i := range x.len() {
				maxDegree = max(maxDegree, x.degree(i))
			}
			var full atomic.Int64
			ctx := context.WithValue(context.Background(), workReportKey{}, workReport(func(u int) { full.Add(int64(u)) }))
			if err := a.run(ctx, a.g); err != nil {
				t.Fatal(err)
			}
			after := full.Load() / 10
			slack := int64(runtime.GOMAXPROCS(0)) * int64(checkEvery+maxDegree+1)
			if after+slack >= full.Load()/2 {
				t.Fatalf("the whole run did %d units of work: too little to test a cancellation after %d", full.Load(), after)
			}

			var done atomic.Int64
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ctx = context.WithValue(ctx, workReportKey{}, workReport(func(u int) {
				if done.Add(int64(u)) >= after {
					cancel()
				}
			}))
			err := a.run(ctx, a.g)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled after %d of %d units of work: err %v, want context.Canceled", after, full.Load(), err)
			}
			if got := done.Load(); got > after+slack {
				t.Errorf("did %d units of work, cancelled at %d: more than %d after the cancellation", got, after, slack)
			}
		})
	}
}
