package storetest

import (
	"context"
	"testing"

	"github.com/skein-project/skein/graph"
)

func testDelete(t *testing.T, open Opener) {
	ctx := context.Background()
	setup := func(t *testing.T) graph.Store {
		s := open(t)
		upsert(t, s, graph.Batch{
			Entities: []graph.Entity{person("person:a", "Anna Doe"), person("person:b", "Bora"), person("person:c", "Cen")},
			Links: []graph.Link{
				lnk("l1", graph.LinkAssociateOf, "person:a", "person:b"),
				lnk("l2", graph.LinkAssociateOf, "person:c", "person:a"),
				lnk("l3", graph.LinkAssociateOf, "person:b", "person:c"),
				lnk("l4", graph.LinkLinkedTo, "person:a", "person:a"),
			},
		})
		return s
	}

	t.Run("EntityCascades", func(t *testing.T) {
		s := setup(t)
		if err := s.DeleteEntity(ctx, "person:a"); err != nil {
			t.Fatal(err)
		}
		_, err := s.Entity(ctx, "person:a")
		wantErr(t, "deleted entity", err, graph.ErrNotFound)
		for _, id := range []string{"l1", "l2", "l4"} {
			_, err := s.Link(ctx, id)
			wantErr(t, "link of deleted entity "+id, err, graph.ErrNotFound)
		}
		deg, _ := s.Degrees(ctx, []string{"person:b", "person:c"}, graph.When{})
		eqCounts(t, "degrees after delete", deg, map[string]int{"person:b": 1, "person:c": 1})
		st, _ := s.Stats(ctx)
		if st.Entities != 2 || st.Links != 1 {
			t.Errorf("stats after delete: %+v", st)
		}
		res, err := s.Search(ctx, graph.SearchQuery{Text: "anna"})
		if err != nil || res.TotalCount != 0 {
			t.Errorf("search finds a deleted entity: %+v, %v", res, err)
		}
		wantErr(t, "delete again", s.DeleteEntity(ctx, "person:a"), graph.ErrNotFound)
		// The id can be used again, without the old links.
		upsert(t, s, graph.Batch{Entities: []graph.Entity{person("person:a", "Anna Again")}})
		deg, _ = s.Degrees(ctx, []string{"person:a"}, graph.When{})
		eqCounts(t, "re-created entity", deg, map[string]int{})
	})

	t.Run("Link", func(t *testing.T) {
		s := setup(t)
		if err := s.DeleteLink(ctx, "l1"); err != nil {
			t.Fatal(err)
		}
		_, err := s.Link(ctx, "l1")
		wantErr(t, "deleted link", err, graph.ErrNotFound)
		ls, _ := s.LinksOf(ctx, []string{"person:a", "person:b"}, nil, graph.DirectionBoth, graph.When{})
		eqStrings(t, "links of a", linkIDs(ls["person:a"]), []string{"l2", "l4"})
		eqStrings(t, "links of b", linkIDs(ls["person:b"]), []string{"l3"})
		wantErr(t, "delete link again", s.DeleteLink(ctx, "l1"), graph.ErrNotFound)
		if err := s.DeleteLink(ctx, "l4"); err != nil {
			t.Errorf("delete self-link: %v", err)
		}
		deg, _ := s.Degrees(ctx, []string{"person:a"}, graph.When{})
		eqCounts(t, "degree after deleting self-link", deg, map[string]int{"person:a": 1})
	})

	t.Run("Unknown", func(t *testing.T) {
		s := setup(t)
		wantErr(t, "DeleteEntity unknown", s.DeleteEntity(ctx, "person:nobody"), graph.ErrNotFound)
		wantErr(t, "DeleteLink unknown", s.DeleteLink(ctx, "nope"), graph.ErrNotFound)
		st, _ := s.Stats(ctx)
		if st.Entities != 3 || st.Links != 4 {
			t.Errorf("failed deletes changed the graph: %+v", st)
		}
	})
}
