// Package benchstores opens stores holding a benchmark's data set, kept
// from one run to the next (teststores' stores are emptied for each
// test). It is apart from teststores because graph/synth's own tests use
// teststores.
package benchstores

import (
	"context"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/graph/synth"
)

// Neo4jSynth opens the test Neo4j holding the synthetic network of cfg
// (graph/synth) and returns it with its highest-degree entity (ties to the
// least id). The network is loaded into the emptied database unless the
// database already holds exactly its numbers of entities and links: a
// benchmark run again on the same database skips a load of minutes.
// Benchmarks only: a test must not trust a database by its counts.
func Neo4jSynth(t testing.TB, cfg synth.Config) (*neo4j.Store, string) {
	t.Helper()
	ctx := context.Background()
	s, err := neo4j.Open(ctx, teststores.Neo4jConfig(t))
	if err != nil {
		t.Fatalf("open neo4j store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	deg := map[string]int{}
	entities, links := 0, 0
	if err := synth.Generate(ctx, cfg, func(bt graph.Batch) error {
		entities, links = entities+len(bt.Entities), links+len(bt.Links)
		for _, l := range bt.Links {
			deg[l.Source]++
			deg[l.Target]++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var hub string
	for id, d := range deg {
		if d > deg[hub] || d == deg[hub] && id < hub {
			hub = id
		}
	}
	if st, err := s.Stats(ctx); err == nil && st.Entities == entities && st.Links == links {
		return s, hub
	}
	if err := s.DeleteAll(ctx); err != nil {
		t.Fatalf("empty neo4j: %v", err)
	}
	if err := synth.Generate(ctx, cfg, func(bt graph.Batch) error { return s.Upsert(ctx, bt) }); err != nil {
		t.Fatal(err)
	}
	return s, hub
}
