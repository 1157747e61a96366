package neo4j_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
)

// BenchmarkNeo4jExposure compares, on a synthetic network of 20,000
// entities (graph/synth, 3% designated), the two roads to a sanctions
// exposure answer at the API's default of 3 hops, every link type, with
// and without asOf: the store's own paths (analysis.SanctionsExposureIn,
// one Cypher query, graph.ExposureStore) and the snapshot road it replaced
// (Snapshot of the 3-hop neighbourhood, one query per layer and two more,
// walked by analysis.SanctionsExposure), and the store's road selecting
// names only (store-names). Each reports queries/op (more than one on
// the store road means it declined and read a snapshot). The subjects
// are 20 people and 5 companies spread over the graph (ordinary), and the
// first 5 gangs (hubs: a gang's members are one link away). Before the
// clock starts, both roads' answers must be deeply equal for every
// subject. One run (-benchtime 30x, load average 14-16 on 2 shared
// cores), ms/op store / snapshot / store-names: ordinary now 23.5 / 167 /
// 14.0, ordinary asOf 8.7 / 82.9 / 4.0, hubs now 21.0 / 365 / 19.2, hubs
// asOf 22.5 / 198 / 22.8; 1 query against 6.
func BenchmarkNeo4jExposure(b *testing.B) {
	ctx := context.Background()
	s := synthStore(b, 20_000)
	groups := map[string][]string{}
	for i := range 20 {
		groups["ordinary"] = append(groups["ordinary"], fmt.Sprintf("syn:person:%d", i*500))
	}
	for i := range 5 {
		groups["ordinary"] = append(groups["ordinary"], fmt.Sprintf("syn:company:%d", i*700))
		groups["hubs"] = append(groups["hubs"], fmt.Sprintf("syn:gang:%d", i))
	}
	for _, ids := range groups {
		found, err := s.Entities(ctx, ids)
		if err != nil {
			b.Fatal(err)
		}
		if len(found) != len(ids) {
			b.Fatalf("%d of the %d subjects exist", len(found), len(ids))
		}
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
	for _, group := range []string{"ordinary", "hubs"} {
		ids := groups[group]
		for _, w := range []graph.When{{}, {AsOf: "2020-06-30"}} {
			name := group + "/now"
			if w.AsOf != "" {
				name = group + "/asOf"
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
				if !reflect.DeepEqual(a, c) {
					b.Fatalf("%s %+v: the snapshot road's %d exposures differ from the store road's %d", id, w, len(a), len(c))
				}
				total += len(a)
			}
			b.Logf("%s: %d exposures over %d subjects", name, total, len(ids))
			for _, r := range []struct {
				road string
				run  func(string, graph.When) ([]analysis.Exposure, error)
			}{{"store", storeRoad}, {"snapshot", snapshotRoad}, {"store-names", namesRoad}} {
				run := r.run
				b.Run(name+"/"+r.road, func(b *testing.B) {
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
}
