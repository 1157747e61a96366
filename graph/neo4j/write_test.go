package neo4j_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/graph/synth"
)

// TestUpsertMissingEndpoint: links are written without looking their
// endpoints up first, so a missing endpoint shows up as the link creation
// matching fewer rows; the batch must still fail whole, with ErrInvalid
// naming the first link of the batch (in batch order, not type order)
// whose endpoint is not an entity.
func TestUpsertMissingEndpoint(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	if err := s.Upsert(ctx, graph.Batch{Entities: []graph.Entity{
		{ID: "person:me-a", Kind: graph.KindPerson, Name: "Anna"},
		{ID: "person:me-b", Kind: graph.KindPerson, Name: "Bora"},
	}}); err != nil {
		t.Fatal(err)
	}
	// OWNS comes after ASSOCIATE_OF in graph.LinkTypes, so its rows are
	// created later; the error must still name the OWNS link, first in
	// the batch.
	err := s.Upsert(ctx, graph.Batch{
		Entities: []graph.Entity{{ID: "person:me-c", Kind: graph.KindPerson, Name: "Cara"}},
		Links: []graph.Link{
			{ID: "owns:me-1", Type: graph.LinkOwns, Source: "person:me-a", Target: "company:me-ghost"},
			{ID: "associate_of:me-2", Type: graph.LinkAssociateOf, Source: "person:me-c", Target: "person:me-b"},
			{ID: "associate_of:me-3", Type: graph.LinkAssociateOf, Source: "person:me-phantom", Target: "person:me-b"},
		},
	})
	if !errors.Is(err, graph.ErrInvalid) {
		t.Fatalf("upsert with missing endpoints: %v, want ErrInvalid", err)
	}
	if msg := err.Error(); !strings.Contains(msg, `link "owns:me-1"`) || !strings.Contains(msg, `entity "company:me-ghost" does not exist`) {
		t.Errorf("error %q does not name the first bad link and its missing entity", msg)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != 2 || st.Links != 0 {
		t.Errorf("the failed batch wrote something: %d entities, %d links, want 2, 0", st.Entities, st.Links)
	}
	// Endpoints written earlier in the same batch are found.
	if err := s.Upsert(ctx, graph.Batch{
		Entities: []graph.Entity{{ID: "person:me-c", Kind: graph.KindPerson, Name: "Cara"}},
		Links:    []graph.Link{{ID: "associate_of:me-2", Type: graph.LinkAssociateOf, Source: "person:me-c", Target: "person:me-b"}},
	}); err != nil {
		t.Fatalf("link to an entity of the same batch: %v", err)
	}
}

// TestUpsertLinkQueries counts the queries a batch of new links of one type
// costs: into a database without links, the id bounds (which find no type
// to seek in) and the creation; once there are links, the seek of the ids
// in the types whose bounds hold them too; never an endpoint check.
func TestUpsertLinkQueries(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	var es []graph.Entity
	var ls []graph.Link
	for i := range 20 {
		es = append(es, graph.Entity{ID: fmt.Sprintf("person:lq-%02d", i), Kind: graph.KindPerson, Name: fmt.Sprintf("Link Query %d", i)})
		if i > 0 {
			ls = append(ls, graph.Link{Type: graph.LinkAssociateOf, Source: es[i-1].ID, Target: es[i].ID})
		}
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: es}); err != nil {
		t.Fatal(err)
	}
	before := s.RoundTrips()
	if err := s.Upsert(ctx, graph.Batch{Links: ls}); err != nil {
		t.Fatal(err)
	}
	if n := s.RoundTrips() - before; n != 2 {
		t.Errorf("a batch of %d new links of one type into a database without links took %d queries, want 2 (id bounds, creation)", len(ls), n)
	}
	for i := range ls {
		ls[i].Role = "second"
		ls[i].ID = ""
	}
	before = s.RoundTrips()
	if err := s.Upsert(ctx, graph.Batch{Links: ls}); err != nil {
		t.Fatal(err)
	}
	if n := s.RoundTrips() - before; n != 3 {
		t.Errorf("a batch of %d new links of one type took %d queries, want 3 (id bounds, seek, creation)", len(ls), n)
	}
}

// TestReimportUpserts imports a synthetic network twice: the second import
// replaces every record in place (same counts, no link kept twice) and a
// changed record reads back changed.
func TestReimportUpserts(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	var batches []graph.Batch
	if err := synth.Generate(ctx, synth.Config{Entities: 300, Seed: 7, BatchSize: 400}, func(b graph.Batch) error {
		batches = append(batches, b)
		return s.Upsert(ctx, b)
	}); err != nil {
		t.Fatal(err)
	}
	first, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var changed graph.Link
	for i, b := range batches {
		if len(b.Links) > 0 && changed.ID == "" {
			b.Links[0].Description = "re-imported"
			changed = b.Links[0]
			batches[i] = b
		}
		if err := s.Upsert(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	again, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.Entities != first.Entities || again.Links != first.Links || first.Links == 0 {
		t.Errorf("re-import: %d entities, %d links, want %d, %d", again.Entities, again.Links, first.Entities, first.Links)
	}
	got, err := s.Link(ctx, changed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Description != "re-imported" || got.Source != changed.Source || got.Target != changed.Target || got.Type != changed.Type {
		t.Errorf("re-imported link %q: %+v, want description %q", changed.ID, got, "re-imported")
	}
}
