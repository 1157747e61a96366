package neo4j_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/graph/synth"
)

// emptyStore opens the test database, emptied.
func emptyStore(b *testing.B) *neo4j.Store {
	b.Helper()
	ctx := context.Background()
	s, err := neo4j.Open(ctx, teststores.Neo4jConfig(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	if err := s.DeleteAll(ctx); err != nil {
		b.Fatal(err)
	}
	return s
}

// benchGraph loads a random graph of n entities and 2n links, with a few
// hubs, into an emptied test database.
func benchGraph(b *testing.B, n int) *neo4j.Store {
	b.Helper()
	s := emptyStore(b)
	loadGraph(b, s, n)
	return s
}

// synthStore loads a synthetic network of n entities (graph/synth, seed
// 1) into an emptied test database.
func synthStore(b *testing.B, n int) *neo4j.Store {
	b.Helper()
	ctx := context.Background()
	s := emptyStore(b)
	if err := synth.Generate(ctx, synth.Config{Entities: n, Seed: 1}, func(batch graph.Batch) error { return s.Upsert(ctx, batch) }); err != nil {
		b.Fatal(err)
	}
	return s
}

// loadGraph writes benchGraph's graph in batches of 5,000 records.
func loadGraph(b *testing.B, s *neo4j.Store, n int) {
	b.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	first := []string{"Burim", "Dardan", "Arta", "Zana", "Nusret", "Ali", "Besnik", "Drita", "Fatos", "Elira"}
	last := []string{"Krasniqi", "Seferović", "Kelmendi", "Leka", "Derakhshan", "Berisha", "Hoxha", "Çela"}
	var es []graph.Entity
	for i := range n {
		es = append(es, graph.Entity{
			ID:   fmt.Sprintf("person:b%05d", i),
			Kind: graph.KindPerson,
			Name: fmt.Sprintf("%s %s %d", first[rng.IntN(len(first))], last[rng.IntN(len(last))], i),
		})
	}
	var ls []graph.Link
	for i := range 2 * n {
		a, c := rng.IntN(n), rng.IntN(n)
		if rng.IntN(10) == 0 {
			a = rng.IntN(10) // hubs
		}
		ls = append(ls, graph.Link{ID: fmt.Sprintf("link:b%06d", i), Type: graph.LinkAssociateOf, Source: es[a].ID, Target: es[c].ID})
	}
	for i := 0; i < len(es); i += 5000 {
		if err := s.Upsert(ctx, graph.Batch{Entities: es[i:min(i+5000, len(es))]}); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < len(ls); i += 5000 {
		if err := s.Upsert(ctx, graph.Batch{Links: ls[i:min(i+5000, len(ls))]}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNeo4jImport loads 10,000 entities and 20,000 links of one type
// into an emptied database per iteration, the first time and again over
// the same ids (every record replaced), and a 20,000-entity synthetic
// network (graph/synth, about 110,000 records of every type).
func BenchmarkNeo4jImport(b *testing.B) {
	ctx := context.Background()
	s, err := neo4j.Open(ctx, teststores.Neo4jConfig(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	const n = 10_000
	for _, again := range []bool{false, true} {
		name := map[bool]string{false: "fresh", true: "replace"}[again]
		b.Run(name, func(b *testing.B) {
			cpu := newCPUMeter()
			for b.Loop() {
				b.StopTimer()
				if !again {
					if err := s.DeleteAll(ctx); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				cpu.start()
				loadGraph(b, s, n)
				cpu.stop()
			}
			b.ReportMetric(float64(3*n*b.N)/b.Elapsed().Seconds(), "records/s")
			cpu.report(b, 3*n*b.N)
		})
	}
	// What skein gen writes: every entity kind and link type, ids as
	// graph.LinkID derives them, into an emptied database (the id lookup
	// has every type's index to consider once the first batch is in).
	b.Run("synth", func(b *testing.B) {
		records := 0
		cpu := newCPUMeter()
		for b.Loop() {
			b.StopTimer()
			if err := s.DeleteAll(ctx); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			cpu.start()
			err := synth.Generate(ctx, synth.Config{Entities: 2 * n, Seed: 1}, func(batch graph.Batch) error {
				records += len(batch.Entities) + len(batch.Links)
				return s.Upsert(ctx, batch)
			})
			cpu.stop()
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
		cpu.report(b, records)
	})
}

func BenchmarkNeo4j(b *testing.B) {
	s := benchGraph(b, 10_000)
	ctx := context.Background()
	b.Run("Neighborhood/hub-depth2", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: "person:b00003", Depth: 2, Limit: graph.MaxLimit}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Search/typo", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Search(ctx, graph.SearchQuery{Text: "krasniqu burim"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Paths/4hops", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Paths(ctx, graph.PathQuery{From: "person:b00100", To: "person:b00200", MaxHops: 4}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Entities/100", func(b *testing.B) {
		ids := make([]string, 100)
		for i := range ids {
			ids[i] = fmt.Sprintf("person:b%05d", i*7)
		}
		for b.Loop() {
			if _, err := s.Entities(ctx, ids); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Snapshot/whole", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Snapshot(ctx, graph.SnapshotQuery{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkNeo4jOwnership compares, on a synthetic network of 20,000
// entities (graph/synth: multi-level OWNS chains, cycles, unstated shares,
// 3% designated), the two roads to an ownership answer: the store's own
// chains (one Cypher query, graph.OwnershipStore) and the snapshot
// graph/analysis walks otherwise (an OWNS neighbourhood of depth 6, or the
// whole OWNS graph for sanctionsOwnership). The snapshot road's figure is
// its fetch alone; the walk over it adds little. One run (-benchtime 200x
// for owners, 20x for sanctionsOwnership) on a 2-core machine shared with
// other work: owners 1.05 ms (store) vs 19.4 ms (snapshot),
// sanctionsOwnership 325 ms vs 2342 ms.
func BenchmarkNeo4jOwnership(b *testing.B) {
	ctx := context.Background()
	s := synthStore(b, 20_000)
	var companies []string
	for i := 0; i < 4000; i += 200 {
		companies = append(companies, fmt.Sprintf("syn:company:%d", i))
	}
	owns := []graph.LinkType{graph.LinkOwns}
	// Each query's plan is made once before the clock starts, as a
	// running server has it cached.
	if _, err := s.OwnershipTallies(ctx, graph.OwnershipQuery{ID: companies[0]}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.DesignatedOwnership(ctx, graph.DesignatedOwnershipQuery{}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Snapshot(ctx, graph.SnapshotQuery{IDs: companies[:1], Depth: graph.MaxDepth, LinkTypes: owns}); err != nil {
		b.Fatal(err)
	}
	b.Run("owners/store", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := s.OwnershipTallies(ctx, graph.OwnershipQuery{ID: companies[i%len(companies)]}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("owners/snapshot", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := s.Snapshot(ctx, graph.SnapshotQuery{IDs: []string{companies[i%len(companies)]}, Depth: graph.MaxDepth, LinkTypes: owns}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("sanctionsOwnership/store", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.DesignatedOwnership(ctx, graph.DesignatedOwnershipQuery{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sanctionsOwnership/snapshot", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Snapshot(ctx, graph.SnapshotQuery{LinkTypes: owns}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
