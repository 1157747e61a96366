package neo4j_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestLinkEndIDs: every link carries copies of its ends' ids that agree
// with its nodes, after creation, an update in place, a change of
// endpoints and a merge of entities; links written without them (an
// earlier version) get them when a store opens the database, once, and
// a neighbourhood through the index seeks that read them answers as the
// expansion does.
func TestLinkEndIDs(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	s := open(t, cfg)
	ctx := context.Background()
	raw := rawCypher(t, cfg)
	ent := func(id string) graph.Entity { return graph.Entity{ID: id, Kind: graph.KindPerson, Name: "End " + id} }
	b := graph.Batch{
		Entities: []graph.Entity{ent("person:a"), ent("person:b"), ent("person:c"), ent("person:d")},
		Links: []graph.Link{
			{ID: "e1", Type: graph.LinkAssociateOf, Source: "person:a", Target: "person:b"},
			{ID: "e2", Type: graph.LinkAssociateOf, Source: "person:b", Target: "person:c"},
			{ID: "e3", Type: graph.LinkFamilyOf, Source: "person:c", Target: "person:d"},
		},
	}
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	// In place (same type and ends), with new ends, with a new type.
	if err := s.Upsert(ctx, graph.Batch{Links: []graph.Link{
		{ID: "e1", Type: graph.LinkAssociateOf, Source: "person:a", Target: "person:b", Role: "again"},
		{ID: "e2", Type: graph.LinkAssociateOf, Source: "person:d", Target: "person:a", StartDate: "2015", EndDate: "2016-06"},
		{ID: "e3", Type: graph.LinkAssociateOf, Source: "person:c", Target: "person:d"},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeEntities(ctx, "person:a", []string{"person:c"}); err != nil {
		t.Fatal(err)
	}
	check := func(when string, wantCopies bool) {
		t.Helper()
		recs := raw("MATCH (a)-[r]->(b) RETURN r.id AS id, a.id = r.srcId AND b.id = r.tgtId AS ok, r.srcId IS NULL AND r.tgtId IS NULL AS none", nil)
		if len(recs) == 0 {
			t.Fatalf("%s: no links", when)
		}
		for _, rec := range recs {
			id, _ := rec.Get("id")
			ok, _ := rec.Get("ok")
			none, _ := rec.Get("none")
			if wantCopies && ok != true {
				t.Errorf("%s: link %v: end id copies disagree with its nodes", when, id)
			}
			if !wantCopies && none != true {
				t.Errorf("%s: link %v still has end id copies", when, id)
			}
		}
	}
	check("after writes", true)
	q := graph.NeighborhoodQuery{ID: "person:a", Depth: 2}
	want, err := s.Neighborhood(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Nodes) < 3 {
		t.Fatalf("neighbourhood of person:a: %d nodes, want at least 3", len(want.Nodes))
	}

	// What an earlier version left: no copies, no marker.
	raw("MATCH ()-[r]->() REMOVE r.srcId, r.tgtId", nil)
	raw("MATCH (m:SkeinMigration) DELETE m", nil)
	check("before the migration", false)
	s2, err := neo4j.Open(ctx, cfg) // migrates
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	check("after the migration", true)
	// The index seeks answer as the expansion does, with the filters too.
	for _, q := range []graph.NeighborhoodQuery{q,
		{ID: "person:a", Depth: 2, When: graph.When{AsOf: "2020"}},
		{ID: "person:a", Depth: 1, When: graph.When{AsOf: "2016-01-01"}},
		{ID: "person:a", Depth: 2, Kinds: []graph.Kind{graph.KindPerson}, LinkTypes: []graph.LinkType{graph.LinkAssociateOf}},
	} {
		neo4j.SetDenseMargin(s2, 0)
		want, err := s2.Neighborhood(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		neo4j.SetDenseMargin(s2, -1<<30)
		if got, err := s2.Neighborhood(ctx, q); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%+v by the index seeks: %+v, %v; want %+v", q, got, err, want)
		}
	}
	// Done once: a link that lacks them now keeps lacking them at the
	// next start-up (the marker spares every start-up the scan).
	raw("MATCH ()-[r {id: 'e1'}]->() REMOVE r.srcId, r.tgtId", nil)
	s3, err := neo4j.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	if recs := raw("MATCH ()-[r {id: 'e1'}]->() RETURN r.srcId IS NULL AS none", nil); len(recs) != 1 {
		t.Fatalf("link e1: %d records", len(recs))
	} else if none, _ := recs[0].Get("none"); none != true {
		t.Errorf("second start-up scanned the links again")
	}
	if n := len(raw("MATCH (m:SkeinMigration {id: 'link-end-ids-1'}) RETURN m", nil)); n != 1 {
		t.Errorf("%d end id migration markers, want 1", n)
	}
}
