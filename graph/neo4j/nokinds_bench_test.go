package neo4j_test

import (
	"context"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/synth"
)

// BenchmarkNeo4jNoKinds reads the bench harness's selections (ids only:
// nodes { id } links { id }, paths' length, shared associates' and search
// hits' ids) with and without the entities' kinds
// (graph.Selection.NoKinds), alternately in one loop on a 20,000-entity
// synthetic network, reporting each one's wall time and server CPU per
// read.
func BenchmarkNeo4jNoKinds(b *testing.B) {
	ctx := context.Background()
	s := emptyStore(b)
	deg := map[string]int{}
	var ids []string
	err := synth.Generate(ctx, synth.Config{Entities: 20_000, Seed: 1}, func(batch graph.Batch) error {
		for _, e := range batch.Entities {
			ids = append(ids, e.ID)
		}
		for _, l := range batch.Links {
			deg[l.Source]++
			deg[l.Target]++
		}
		return s.Upsert(ctx, batch)
	})
	if err != nil {
		b.Fatal(err)
	}
	hub, ordinary := "", ""
	for _, id := range ids {
		if deg[id] > deg[hub] {
			hub = id
		}
		if ordinary == "" && deg[id] >= 4 && deg[id] <= 8 && id > ids[len(ids)/2] {
			ordinary = id
		}
	}
	b.Logf("hub %s (degree %d), ordinary %s (degree %d)", hub, deg[hub], ordinary, deg[ordinary])
	reads := []struct {
		name string
		read func(sel graph.Selection) error
	}{
		{"hub-d1", func(sel graph.Selection) error {
			_, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: hub, Depth: 1, Limit: 500, Select: sel})
			return err
		}},
		{"ordinary-d2", func(sel graph.Selection) error {
			_, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: ordinary, Depth: 2, Limit: 500, Select: sel})
			return err
		}},
		{"ordinary-d3", func(sel graph.Selection) error {
			_, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: ordinary, Depth: 3, Limit: 500, Select: sel})
			return err
		}},
		{"paths", func(sel graph.Selection) error {
			_, err := s.Paths(ctx, graph.PathQuery{From: ordinary, To: hub, MaxHops: 4, Limit: 10, Select: sel})
			return err
		}},
		{"shared", func(sel graph.Selection) error {
			_, err := s.SharedAssociates(ctx, graph.SharedQuery{IDs: []string{hub, ordinary}, Depth: 2, Select: sel})
			return err
		}},
	}
	idsOnly := graph.Selection{Partial: true, LinkIDsOnly: true}
	noKinds := idsOnly
	noKinds.NoKinds = true
	sels := []graph.Selection{idsOnly, noKinds}
	for _, r := range reads {
		// One loop alternates the two, each read warmed up first, so that
		// the server's caches and compiled plans favour neither.
		b.Run(r.name, func(b *testing.B) {
			for _, sel := range sels {
				for range 20 {
					if err := r.read(sel); err != nil {
						b.Fatal(err)
					}
				}
			}
			var wall [2]time.Duration
			cpu := [2]*cpuMeter{newCPUMeter(), newCPUMeter()}
			for b.Loop() {
				for i, sel := range sels {
					t0 := time.Now()
					cpu[i].start()
					if err := r.read(sel); err != nil {
						b.Fatal(err)
					}
					cpu[i].stop()
					wall[i] += time.Since(t0)
				}
			}
			for i, name := range []string{"kinds", "nokinds"} {
				b.ReportMetric(float64(wall[i].Microseconds())/float64(b.N), name+"-us/op")
				if cpu[i].pid != 0 {
					b.ReportMetric(float64(cpu[i].server.Microseconds())/float64(b.N), name+"-server-cpu-us/op")
				}
			}
		})
	}
}
