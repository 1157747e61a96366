package analysis_test

import (
	"context"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
	"github.com/skein-project/skein/graph/synth"
)

// ownsSnapshot is the generated network's whole-graph OWNS snapshot, as
// sanctionsOwnership asks a store for it.
func ownsSnapshot(b *testing.B, n int) graph.Subgraph {
	var g graph.Subgraph
	err := synth.Generate(context.Background(), synth.Config{Entities: n, Seed: 1}, func(bt graph.Batch) error {
		if err := bt.Normalize(); err != nil {
			return err
		}
		g.Nodes = append(g.Nodes, bt.Entities...)
		for _, l := range bt.Links {
			if l.Type == graph.LinkOwns {
				g.Links = append(g.Links, l)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return g
}

func benchSanctionsOwnership(b *testing.B, n int, combined bool) {
	g := ownsSnapshot(b, n)
	ctx := context.Background()
	b.ResetTimer()
	var findings int
	for b.Loop() {
		fs, err := analysis.SanctionsOwnership(ctx, g, 50, combined, nil)
		if err != nil {
			b.Fatal(err)
		}
		findings = len(fs)
	}
	b.ReportMetric(float64(findings), "findings")
}

func BenchmarkSanctionsOwnership10k(b *testing.B)          { benchSanctionsOwnership(b, 10_000, false) }
func BenchmarkSanctionsOwnership100k(b *testing.B)         { benchSanctionsOwnership(b, 100_000, false) }
func BenchmarkSanctionsOwnershipCombined100k(b *testing.B) { benchSanctionsOwnership(b, 100_000, true) }
