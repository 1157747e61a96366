package neo4j_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/graph/synth"
)

// BenchmarkNeo4jExposure compares, on a synthetic network of 20,000
// entities (graph/synth, 3% designated), the two roads to a sanctions
// exposure answer at the API's default of 3 hops, every link type, with
// and without asOf: the store's own paths (analysis.SanctionsExposureIn,
// one Cypher query, graph.ExposureStore) and the snapshot road it replaced
// (Snapshot of the 3-hop neighbourhood, one query per layer and two more,
// walked by analysis.SanctionsExposure), and the store's road selecting
// names only (store-names). Each reports queries/op. The
// subjects are 20 people and 5 companies spread over the graph.
func BenchmarkNeo4jExposure(b *testing.B) {
	ctx := context.Background()
	s, err := neo4j.Open(ctx, teststores.Neo4jConfig(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	if err := s.DeleteAll(ctx); err != nil {
		b.Fatal(err)
	}
	if err := synth.Generate(ctx, synth.Config{Entities: 20_000, Seed: 1}, func(batch graph.Batch) error { return s.Upsert(ctx, batch) }); err != nil {
		b.Fatal(err)
	}
	var ids []string
	for i := range 20 {
		ids = append(ids, fmt.Sprintf("syn:person:%d", i*500))
	}
	for i := range 5 {
		ids = append(ids, fmt.Sprintf("syn:company:%d", i*700))
	}
	found, err := s.Entities(ctx, ids)
	if err != nil {
		b.Fatal(err)
	}
	if len(found) != len(ids) {
		b.Fatalf("%d of the %d subjects exist", len(found), len(ids))
	}
	const hops = graph.DefaultExposureHops
	snapshotRoad := func(id string, w graph.When) ([]analysis.Exposure, error) {
		sg, err := s.Snapshot(ctx, graph.SnapshotQuery{IDs: []string{id}, Depth: hops, When: w})
		if err != nil {
			return nil, err
		}
		return analysis.SanctionsExposure(ctx, sg, id, hops, nil, w)
	}
	storeRoad := func(id string, w graph.When) ([]analysis.Exposure, error) {
		return analysis.SanctionsExposureIn(ctx, s, graph.ExposureQuery{ID: id, MaxHops: hops, When: w})
	}
	// What sanctionsExposure { entity { id name } designation { regime }
	// path { length } } selects.
	namesRoad := func(id string, w graph.When) ([]analysis.Exposure, error) {
		return analysis.SanctionsExposureIn(ctx, s, graph.ExposureQuery{ID: id, MaxHops: hops, When: w,
			Select: graph.Selection{Partial: true, Entity: graph.EntityName}})
	}
	for _, w := range []graph.When{{}, {AsOf: "2020-06-30"}} {
		name := "now"
		if w.AsOf != "" {
			name = "asOf"
		}
		// Plans are made before the clock starts, as a running server
		// has them cached; both roads must agree.
		total := 0
		for _, id := range ids {
			a, err := snapshotRoad(id, w)
			if err != nil {
				b.Fatal(err)
			}
			c, err := storeRoad(id, w)
			if err != nil {
				b.Fatal(err)
			}
			if len(a) != len(c) {
				b.Fatalf("%s %+v: snapshot road %d exposures, store road %d", id, w, len(a), len(c))
			}
			total += len(a)
		}
		b.Logf("%s: %d exposures over %d subjects", name, total, len(ids))
		for road, run := range map[string]func(string, graph.When) ([]analysis.Exposure, error){
			"store": storeRoad, "store-names": namesRoad, "snapshot": snapshotRoad} {
			b.Run(name+"/"+road, func(b *testing.B) {
				i, before := 0, s.RoundTrips()
				for b.Loop() {
					if _, err := run(ids[i%len(ids)], w); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(float64(s.RoundTrips()-before)/float64(i), "queries/op")
			})
		}
	}
}
