package neo4j_test

import (
	"context"
	"testing"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/benchstores"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/graph/synth"
	"github.com/skein-project/skein/graph/testenv/cputime"
)

// BenchmarkHubNeighborhood is the store's share of the hub answer of issue
// 17 (a depth-1 neighbourhood at limit 500 of the highest-degree entity
// of a 30,000-entity synthetic network, schema's hub fixture) against the
// bare driver call of the same query text and parameters (raw: the
// driver's decoding and nothing of the store's), for the two selections a
// client asks most: ids only, and the bench harness's `nodes { id name
// kind } links { id type source { id } target { id } }`. store minus raw
// is what the store's Go side adds to the driver's.
func BenchmarkHubNeighborhood(b *testing.B) {
	ctx := context.Background()
	s, hub := hubStore(b)
	cfg := teststores.Neo4jConfig(b)
	drv, err := neo4jdrv.NewDriverWithContext(cfg.URI, neo4jdrv.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = drv.Close(context.Background()) })
	for _, c := range hubSelections {
		q := graph.NeighborhoodQuery{ID: hub, Depth: 1, Limit: 500, Select: c.sel}
		sg, err := s.Neighborhood(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("hub %s, %s: %d nodes, %d links", hub, c.name, len(sg.Nodes), len(sg.Links)+sg.LinkColumns.Len())
		b.Run(c.name+"/store", func(b *testing.B) {
			hubLoop(b, func() {
				if _, err := s.Neighborhood(ctx, q); err != nil {
					b.Fatal(err)
				}
			})
		})
		cypher := neo4j.NeighborhoodCypher(1, c.sel)
		b.Run(c.name+"/raw", func(b *testing.B) {
			hubLoop(b, func() {
				params := map[string]any{"id": hub, "kinds": nil, "limit": 500, "cut": 499, "dense": 1500}
				sess := drv.NewSession(ctx, neo4jdrv.SessionConfig{DatabaseName: cfg.Database, AccessMode: neo4jdrv.AccessModeRead})
				_, err := sess.ExecuteRead(ctx, func(tx neo4jdrv.ManagedTransaction) (any, error) {
					res, err := tx.Run(ctx, cypher, params)
					if err != nil {
						return nil, err
					}
					return res.Collect(ctx)
				})
				_ = sess.Close(ctx)
				if err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// hubSelections are the selections of the hub benchmarks: ids only (as the
// fast executor asks for `nodes { id } links { id }`), and the bench
// harness's, with the links as records and as columns.
var hubSelections = []struct {
	name string
	sel  graph.Selection
}{
	{"ids", graph.Selection{Partial: true, LinkIDsOnly: true, NoKinds: true}},
	{"bench", graph.Selection{Partial: true, Entity: graph.EntityName}},
	// As the fast executor asks: the links as columns.
	{"ids-columns", graph.Selection{Partial: true, LinkIDsOnly: true, NoKinds: true, LinkColumns: true}},
	{"bench-columns", graph.Selection{Partial: true, Entity: graph.EntityName, LinkColumns: true}},
}

// hubStore is the hub benchmarks' database: schema's hub fixture, the
// 30,000-entity synthetic network, and its highest-degree entity.
func hubStore(b *testing.B) (*neo4j.Store, string) {
	return benchstores.Neo4jSynth(b, synth.Config{Entities: 30_000, Seed: 1})
}

// hubLoop runs fn b.N times, reporting allocations, this process's CPU
// time per run (cpu-ns/op) and, when scripts/neo4j.sh's server is found
// (newCPUMeter), the server's (server-cpu-ns/op, in 10 ms ticks: use
// enough runs).
func hubLoop(b *testing.B, fn func()) {
	b.ReportAllocs()
	m := newCPUMeter()
	start, server := cputime.Process(), processCPU(m.pid)
	for b.Loop() {
		fn()
	}
	b.ReportMetric(float64(cputime.Process()-start)/float64(b.N), "cpu-ns/op")
	if m.pid != 0 {
		b.ReportMetric(float64(processCPU(m.pid)-server)/float64(b.N), "server-cpu-ns/op")
	}
}

// BenchmarkDecodeHub decodes the columns of one hub neighbourhood answer,
// fetched once, over and over: the store's Go side beyond the driver,
// without the server, the network or the driver in the figure.
func BenchmarkDecodeHub(b *testing.B) {
	ctx := context.Background()
	s, hub := hubStore(b)
	for _, c := range hubSelections {
		decode, ok, err := neo4j.HubDecoder(ctx, s, hub, c.sel)
		if err != nil || !ok {
			b.Fatal(hub, ok, err)
		}
		b.Run(c.name, func(b *testing.B) {
			hubLoop(b, func() {
				if _, err := decode(); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
