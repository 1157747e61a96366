package neo4j_test

import (
	"context"
	"fmt"
	"testing"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// planStats sums the database hits of a profiled plan and counts its
// operators by name.
func planStats(p neo4jdrv.ProfiledPlan, ops map[string]int) int64 {
	ops[p.Operator()]++
	hits := p.DbHits()
	for _, c := range p.Children() {
		hits += planStats(c, ops)
	}
	return hits
}

// TestLinkEndsSeeksOnlyTypesInUse profiles the id lookup an import makes
// for every batch of links: on a database whose links are all of one type
// (as after DeleteAll and a first batch), it reads the relationship counts
// from the count store and seeks each id in that type's index only, not in
// the index of every link type.
func TestLinkEndsSeeksOnlyTypesInUse(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	ctx := context.Background()
	s := open(t, cfg)
	var es []graph.Entity
	var ls []graph.Link
	for i := range 50 {
		es = append(es, graph.Entity{ID: fmt.Sprintf("person:le-%02d", i), Kind: graph.KindPerson, Name: fmt.Sprintf("Link End %d", i)})
		if i > 0 {
			ls = append(ls, graph.Link{ID: fmt.Sprintf("associate_of:le-%02d", i), Type: graph.LinkAssociateOf, Source: es[i-1].ID, Target: es[i].ID})
		}
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: es, Links: ls}); err != nil {
		t.Fatal(err)
	}
	ids := make([]any, 0, 1000)
	for i := range 1000 {
		ids = append(ids, fmt.Sprintf("associate_of:le-%02d", i)) // 49 exist, the rest do not
	}
	d, err := neo4jdrv.NewDriverWithContext(cfg.URI, neo4jdrv.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	r, err := neo4jdrv.ExecuteQuery(ctx, d, "PROFILE "+neo4j.LinkEndsCypher(), map[string]any{"ids": ids}, neo4jdrv.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Records) != len(ls) {
		t.Errorf("lookup found %d links, want %d", len(r.Records), len(ls))
	}
	ops := map[string]int{}
	hits := planStats(r.Summary.Profile(), ops)
	counted := 0
	for op, n := range ops {
		if len(op) >= len("RelationshipCountFromCountStore") && op[:len("RelationshipCountFromCountStore")] == "RelationshipCountFromCountStore" {
			counted += n
		}
	}
	if counted != len(graph.LinkTypes) {
		t.Errorf("plan reads %d relationship counts from the count store, want one per link type (%d): %v", counted, len(graph.LinkTypes), ops)
	}
	// One hit per id for the seek in the one type in use, a few per found
	// link for its ends; seeking every type would be len(LinkTypes) per id.
	if max := int64(2*len(ids) + 10*len(ls)); hits > max {
		t.Errorf("lookup of %d ids made %d database hits, want at most %d (seeks in types without links?): %v", len(ids), hits, max, ops)
	}
	t.Logf("%d ids: %d database hits, operators %v", len(ids), hits, ops)
}
