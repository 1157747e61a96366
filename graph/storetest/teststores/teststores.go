// Package teststores opens fresh, empty stores of every backend for tests
// of packages above the stores (seed, schema, formats), so each of them runs
// its tests on the embedded store and on a real Neo4j.
//
// Neo4j is reached through NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD
// (`eval "$(scripts/neo4j.sh start)"` sets them). Without NEO4J_URI the Neo4j
// half is skipped, except under CI=true where it fails: CI never skips
// silently. Tests sharing the one Neo4j database must not run in parallel
// across packages (the Makefile runs go test -p 1).
package teststores

import (
	"context"
	"os"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/embedded"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/testenv"
)

// Embedded opens a fresh embedded store in a temporary directory, closed at
// the end of the test.
func Embedded(t testing.TB) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("open embedded store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Neo4jHint says how to get the test Neo4j.
const Neo4jHint = `eval "$(bash scripts/neo4j.sh start)" starts a local Neo4j and sets NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD (make test does)`

// Neo4jConfig returns the test Neo4j's settings, skipping (or, under
// CI=true, failing) the test when none is configured.
func Neo4jConfig(t testing.TB) neo4j.Config {
	t.Helper()
	uri := testenv.Getenv(t, "NEO4J_URI", Neo4jHint)
	return neo4j.Config{
		URI:      uri,
		Username: os.Getenv("NEO4J_USERNAME"),
		Password: os.Getenv("NEO4J_PASSWORD"),
	}
}

// Neo4j opens the test Neo4j and empties it, closed at the end of the test.
func Neo4j(t testing.TB) *neo4j.Store {
	t.Helper()
	ctx := context.Background()
	s, err := neo4j.Open(ctx, Neo4jConfig(t))
	if err != nil {
		t.Fatalf("open neo4j store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if err := s.DeleteAll(ctx); err != nil {
		t.Fatalf("empty neo4j: %v", err)
	}
	return s
}

// Each runs fn as a subtest on a fresh store of every backend.
func Each(t *testing.T, fn func(t *testing.T, s graph.Store)) {
	t.Helper()
	t.Run("embedded", func(t *testing.T) { fn(t, Embedded(t)) })
	t.Run("neo4j", func(t *testing.T) { fn(t, Neo4j(t)) })
}
