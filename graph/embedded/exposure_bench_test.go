package embedded_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
	"github.com/skein-project/skein/graph/embedded"
	"github.com/skein-project/skein/graph/synth"
)

// BenchmarkExposure compares, on a synthetic network of 20,000 entities
// (graph/synth), the two roads to a sanctions exposure answer at 3 hops:
// the store's own search (ExposurePaths, decoding only the entities it
// reaches and the paths' links) and the snapshot road (every entity and
// link within 3 hops decoded and copied, then walked by
// analysis.SanctionsExposure). Both roads' answers must be deeply equal
// before the clock starts. Subjects: 20 people, 5 companies, 5 gangs.
func BenchmarkExposure(b *testing.B) {
	ctx := context.Background()
	s, err := embedded.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := synth.Generate(ctx, synth.Config{Entities: 20_000, Seed: 1}, func(batch graph.Batch) error { return s.Upsert(ctx, batch) }); err != nil {
		b.Fatal(err)
	}
	var ids []string
	for i := range 20 {
		ids = append(ids, fmt.Sprintf("syn:person:%d", i*500))
	}
	for i := range 5 {
		ids = append(ids, fmt.Sprintf("syn:company:%d", i*700), fmt.Sprintf("syn:gang:%d", i))
	}
	const hops = graph.DefaultExposureHops
	roads := []struct {
		name string
		run  func(id string) ([]analysis.Exposure, error)
	}{
		{"store", func(id string) ([]analysis.Exposure, error) {
			return analysis.SanctionsExposureIn(ctx, s, graph.ExposureQuery{ID: id, MaxHops: hops})
		}},
		{"snapshot", func(id string) ([]analysis.Exposure, error) {
			sg, err := s.Snapshot(ctx, graph.SnapshotQuery{IDs: []string{id}, Depth: hops})
			if err != nil {
				return nil, err
			}
			return analysis.SanctionsExposure(ctx, sg, id, hops, nil, graph.When{})
		}},
	}
	for _, id := range ids {
		a, err := roads[0].run(id)
		if err != nil {
			b.Fatal(err)
		}
		c, err := roads[1].run(id)
		if err != nil {
			b.Fatal(err)
		}
		if !reflect.DeepEqual(a, c) {
			b.Fatalf("%s: the store's %d exposures differ from the snapshot's %d", id, len(a), len(c))
		}
	}
	for _, r := range roads {
		b.Run(r.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, err := r.run(ids[i%len(ids)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
