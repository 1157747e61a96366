package neo4j_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestPathsLinkIDsOnly checks a path read for its link ids alone (a
// path's length): the same paths as whole records, entity for entity and
// link for link, each link with its id alone, in one query. The pair has
// 12 paths of two links and 22 of three, so limits below, at and above
// the shortest length's count take both of the query's stages.
func TestPathsLinkIDsOnly(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	b := graph.Batch{Entities: []graph.Entity{
		{ID: "person:pl-a", Kind: graph.KindPerson, Name: "PL A"},
		{ID: "person:pl-b", Kind: graph.KindPerson, Name: "PL B"},
	}}
	for i := range 12 {
		mid := fmt.Sprintf("person:pl-m%02d", i)
		b.Entities = append(b.Entities, graph.Entity{ID: mid, Kind: graph.KindPerson, Name: "PL " + mid})
		b.Links = append(b.Links,
			graph.Link{ID: fmt.Sprintf("link:pl-a%02d", i), Type: graph.LinkAssociateOf, Source: "person:pl-a", Target: mid},
			graph.Link{ID: fmt.Sprintf("link:pl-b%02d", i), Type: graph.LinkFamilyOf, Source: mid, Target: "person:pl-b"})
		if i > 0 {
			// m(i-1) - m(i): a - m(i-1) - m(i) - b is a three-link path.
			b.Links = append(b.Links, graph.Link{ID: fmt.Sprintf("link:pl-c%02d", i), Type: graph.LinkAssociateOf,
				Source: fmt.Sprintf("person:pl-m%02d", i-1), Target: mid})
		}
	}
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	paths := func(q graph.PathQuery) []graph.Path {
		t.Helper()
		before := s.RoundTrips()
		ps, err := s.Paths(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		if n := s.RoundTrips() - before; n != 1 {
			t.Errorf("%+v: %d queries, want 1", q, n)
		}
		return ps
	}
	for _, limit := range []int{1, 5, 12, 13, 20, 40} {
		q := graph.PathQuery{From: "person:pl-a", To: "person:pl-b", MaxHops: 3, Limit: limit}
		full := paths(q)
		if want := min(limit, 12+2*11); len(full) != want {
			t.Errorf("limit %d: %d paths, want %d", limit, len(full), want)
		}
		q.Select = graph.Selection{Partial: true, LinkIDsOnly: true}
		bare := paths(q)
		if len(bare) != len(full) {
			t.Fatalf("limit %d, link ids only: %d paths, want %d", limit, len(bare), len(full))
		}
		for i := range full {
			if len(bare[i].Nodes) != len(full[i].Nodes) || len(bare[i].Links) != len(full[i].Links) {
				t.Fatalf("limit %d, path %d: %d nodes, %d links; want %d, %d", limit, i,
					len(bare[i].Nodes), len(bare[i].Links), len(full[i].Nodes), len(full[i].Links))
			}
			for k, n := range bare[i].Nodes {
				if n.ID != full[i].Nodes[k].ID || n.Kind != full[i].Nodes[k].Kind {
					t.Errorf("limit %d, path %d, entity %d: %s %s, want %s %s", limit, i, k, n.ID, n.Kind, full[i].Nodes[k].ID, full[i].Nodes[k].Kind)
				}
			}
			for k, l := range bare[i].Links {
				if !reflect.DeepEqual(l, graph.Link{ID: full[i].Links[k].ID}) {
					t.Errorf("limit %d, path %d, link %d is %+v, want id %q alone", limit, i, k, l, full[i].Links[k].ID)
				}
			}
		}
	}
}
