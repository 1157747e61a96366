package formats

import (
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// eachStore runs fn once per store backend (teststores: the Neo4j half is
// skipped without NEO4J_URI, and fails under CI=true); fresh gives an empty
// store of that backend each time it is called. On Neo4j it is the one test
// database, emptied, so a test must not use an earlier store after calling
// fresh again.
func eachStore(t *testing.T, fn func(t *testing.T, fresh func(t *testing.T) graph.Store)) {
	t.Helper()
	t.Run("embedded", func(t *testing.T) {
		fn(t, func(t *testing.T) graph.Store { return teststores.Embedded(t) })
	})
	t.Run("neo4j", func(t *testing.T) {
		teststores.Neo4jConfig(t) // skip before any work when there is no Neo4j
		fn(t, func(t *testing.T) graph.Store { return teststores.Neo4j(t) })
	})
}
