// Package benchstores opens stores holding a benchmark's data set, kept
// from one run to the next (teststores' stores are emptied for each
// test). It is apart from teststores because graph/synth's own tests use
// teststores.
package benchstores

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/embedded"
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

// EmbeddedSynth opens an embedded store holding the synthetic network of
// cfg in dir/synth-<entities>, written there (then closed and reopened,
// as `skein gen` and `skein serve` leave it) unless an earlier run left it
// complete, and returns it with its highest-degree entity (ties to the
// least id). An empty dir is a temporary one: the network is written
// every run.
func EmbeddedSynth(t testing.TB, cfg synth.Config, dir string) (*embedded.Store, string) {
	t.Helper()
	ctx := context.Background()
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, fmt.Sprintf("synth-%d", cfg.Entities))
	done := filepath.Join(dir, embedded.FileName+".done")
	_, err := os.Stat(done)
	kept := err == nil
	if !kept {
		_ = os.RemoveAll(dir)
	}
	s, err := embedded.Open(ctx, dir)
	if err != nil {
		t.Fatalf("open embedded store: %v", err)
	}
	deg := map[string]int{}
	if err := synth.Generate(ctx, cfg, func(bt graph.Batch) error {
		for _, l := range bt.Links {
			deg[l.Source]++
			deg[l.Target]++
		}
		if kept {
			return nil
		}
		return s.Upsert(ctx, bt)
	}); err != nil {
		t.Fatal(err)
	}
	if !kept {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(done, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if s, err = embedded.Open(ctx, dir); err != nil {
			t.Fatalf("reopen embedded store: %v", err)
		}
	}
	t.Cleanup(func() { _ = s.Close() })
	var hub string
	for id, d := range deg {
		if d > deg[hub] || d == deg[hub] && id < hub {
			hub = id
		}
	}
	return s, hub
}
