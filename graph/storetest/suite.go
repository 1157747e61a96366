package storetest

import (
	"context"
	"testing"

	"github.com/skein-project/skein/graph"
)

// Run runs the conformance suite. Each subtest calls open for a fresh,
// empty store.
//
// Where package graph leaves a choice open, the suite pins it down:
//   - SharedAssociates and Snapshot with an unknown id fail with ErrNotFound;
//   - Degrees has an entry (possibly 0) for every existing id and none for
//     unknown ids; LinksOf may omit unknown ids;
//   - a whole-graph Snapshot (no IDs) has every entity and the links of
//     LinkTypes;
//   - search hits carry exactly graph.MatchScore as Score, so both stores
//     rank and page identically; Stats may list zero counts or not;
//   - stores may return nil or empty slices and maps alike.
func Run(t *testing.T, open func(t *testing.T) graph.Store) {
	t.Run("Upsert", func(t *testing.T) { testUpsert(t, open) })
	t.Run("Lookup", func(t *testing.T) { testLookup(t, open) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, open) })
	t.Run("Merge", func(t *testing.T) { testMerge(t, open) })
	t.Run("Search", func(t *testing.T) { testSearch(t, open) })
	t.Run("Neighborhood", func(t *testing.T) { testNeighborhood(t, open) })
	t.Run("LinkColumns", func(t *testing.T) { testLinkColumns(t, open) })
	t.Run("Paths", func(t *testing.T) { testPaths(t, open) })
	t.Run("SharedAssociates", func(t *testing.T) { testShared(t, open) })
	t.Run("Snapshot", func(t *testing.T) { testSnapshot(t, open) })
	t.Run("Stats", func(t *testing.T) { testStats(t, open) })
	t.Run("Registry", func(t *testing.T) { testRegistry(t, open) })
	t.Run("Limits", func(t *testing.T) { testLimits(t, open) })
	t.Run("ManyIDs", func(t *testing.T) { testManyIDs(t, open) })
	t.Run("Concurrency", func(t *testing.T) { testConcurrency(t, open) })
	t.Run("Ping", func(t *testing.T) {
		if err := open(t).Ping(context.Background()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
	t.Run("Reference", func(t *testing.T) { testReference(t, open) })
	t.Run("SearchReference", func(t *testing.T) { testSearchReference(t, open) })
	t.Run("Temporal", func(t *testing.T) { testTemporal(t, open) })
	t.Run("Candidates", func(t *testing.T) { testCandidates(t, open) })
}
