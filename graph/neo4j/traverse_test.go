package neo4j_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestSharedAssociatesOneQuery checks that shared associates are one query
// at depth 1 (the plain expansion) and deeper (the breadth-first search),
// found or not, and that the two agree where they should: one hop out,
// parallel links and self-links count once.
func TestSharedAssociatesOneQuery(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	p := func(id string) graph.Entity {
		return graph.Entity{ID: "person:sh-" + id, Kind: graph.KindPerson, Name: "Shared " + id}
	}
	l := func(t graph.LinkType, a, b string) graph.Link {
		return graph.Link{Type: t, Source: "person:sh-" + a, Target: "person:sh-" + b}
	}
	b := graph.Batch{Entities: []graph.Entity{p("a"), p("b"), p("c"), p("d"), p("e"), p("f")}, Links: []graph.Link{
		l(graph.LinkAssociateOf, "a", "c"), l(graph.LinkFamilyOf, "a", "c"), l(graph.LinkAssociateOf, "c", "b"),
		l(graph.LinkAssociateOf, "a", "a"), l(graph.LinkAssociateOf, "a", "d"), l(graph.LinkAssociateOf, "d", "e"),
		l(graph.LinkAssociateOf, "e", "b"), l(graph.LinkAssociateOf, "b", "f"),
	}}
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ids   []string
		depth int
		want  []string
	}{
		{[]string{"a", "b"}, 1, []string{"c"}},
		{[]string{"a", "b"}, 2, []string{"c", "d", "e"}},
		{[]string{"a", "f"}, 1, nil},
		{[]string{"a", "c", "e"}, 1, nil},
		{[]string{"a", "missing"}, 1, nil},
	} {
		var ids []string
		for _, id := range c.ids {
			ids = append(ids, "person:sh-"+id)
		}
		before := s.RoundTrips()
		es, err := s.SharedAssociates(ctx, graph.SharedQuery{IDs: ids, Depth: c.depth})
		if n := s.RoundTrips() - before; n != 1 {
			t.Errorf("shared %v depth %d: %d queries, want 1", c.ids, c.depth, n)
		}
		if c.ids[1] == "missing" {
			if !errors.Is(err, graph.ErrNotFound) {
				t.Errorf("shared with an unknown id: %v, want ErrNotFound", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range es {
			got = append(got, e.ID[len("person:sh-"):])
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("shared %v depth %d: %v, want %v", c.ids, c.depth, got, c.want)
		}
	}
}
