package graph_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// errSnapshot stops an xref at its snapshot: what follows is not what
// the test is about, and scoring 200,000 entities takes half a minute.
var errSnapshot = errors.New("snapshot asked for")

// snapshotSpy counts the snapshots asked of the store it wraps, and
// answers none.
type snapshotSpy struct {
	graph.Store
	snapshots int
}

func (s *snapshotSpy) Snapshot(context.Context, graph.SnapshotQuery) (graph.Subgraph, error) {
	s.snapshots++
	return graph.Subgraph{}, errSnapshot
}

// TestXrefRefusesLargeGraphAtOnce: a whole-graph xref of a store holding
// more than MaxXrefEntities is TOO_COMPLEX from the store's count, before
// any snapshot (at 1M entities on Neo4j the snapshot alone took minutes,
// which a read-only caller could repeat); at the bound it goes on to the
// snapshot.
func TestXrefRefusesLargeGraphAtOnce(t *testing.T) {
	ctx := context.Background()
	s := teststores.Embedded(t)
	put := func(from, to int) {
		var b graph.Batch
		for i := from; i < to; i++ {
			b.Entities = append(b.Entities, graph.Entity{ID: fmt.Sprintf("person:p%07d", i), Kind: graph.KindPerson, Name: fmt.Sprintf("Person %d", i)})
			if len(b.Entities) == 10_000 || i == to-1 {
				if err := s.Upsert(ctx, b); err != nil {
					t.Fatal(err)
				}
				b = graph.Batch{}
			}
		}
	}
	put(0, graph.MaxXrefEntities)
	spy := &snapshotSpy{Store: s}
	q := graph.XrefQuery{First: 1}
	if _, err := graph.Xref(ctx, spy, s, q); !errors.Is(err, errSnapshot) {
		t.Fatalf("xref of %d entities: %v, want it to ask for the snapshot", graph.MaxXrefEntities, err)
	}
	if spy.snapshots != 1 {
		t.Fatalf("xref at the bound asked for %d snapshots, want 1", spy.snapshots)
	}
	put(graph.MaxXrefEntities, graph.MaxXrefEntities+1)
	spy.snapshots = 0
	_, err := graph.Xref(ctx, spy, s, q)
	if !errors.Is(err, graph.ErrTooComplex) {
		t.Fatalf("xref of %d entities: %v, want ErrTooComplex", graph.MaxXrefEntities+1, err)
	}
	if spy.snapshots != 0 {
		t.Fatalf("the refused xref asked for %d snapshots first", spy.snapshots)
	}
}
