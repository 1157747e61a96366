package storetest

import (
	"context"
	"testing"

	"github.com/skein-project/skein/graph"
)

func testLookup(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	upsert(t, s, graph.Batch{
		Documents: []graph.Document{{ID: "doc:b", Title: "B"}, {ID: "doc:a", Title: "A"}},
		Entities:  []graph.Entity{person("person:a", "Anna"), person("person:b", "Bora"), org("org:o", "Org"), person("person:lone", "Lone")},
		Links: []graph.Link{
			lnk("l3", graph.LinkMemberOf, "person:a", "org:o"),
			lnk("l1", graph.LinkAssociateOf, "person:b", "person:a"),
			lnk("l2", graph.LinkAssociateOf, "person:a", "person:b"),
			lnk("l0", graph.LinkLinkedTo, "person:a", "person:a"),
		},
	})

	t.Run("NotFound", func(t *testing.T) {
		_, err := s.Entity(ctx, "person:nobody")
		wantErr(t, "Entity", err, graph.ErrNotFound)
		_, err = s.Link(ctx, "l-none")
		wantErr(t, "Link", err, graph.ErrNotFound)
		_, err = s.Document(ctx, "doc:none")
		wantErr(t, "Document", err, graph.ErrNotFound)
	})

	t.Run("Entities", func(t *testing.T) {
		es, err := s.Entities(ctx, []string{"org:o", "person:nobody", "person:a"})
		if err != nil {
			t.Fatal(err)
		}
		eqStrings(t, "Entities keeps the order of ids and skips unknown ones", entityIDs(es), []string{"org:o", "person:a"})
		es, err = s.Entities(ctx, nil)
		if err != nil || len(es) != 0 {
			t.Errorf("Entities(nil) = %v, %v", es, err)
		}
	})

	t.Run("Documents", func(t *testing.T) {
		docs, err := s.Documents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, d := range docs {
			ids = append(ids, d.ID)
		}
		eqStrings(t, "Documents ordered by id", ids, []string{"doc:a", "doc:b"})
	})

	t.Run("LinksOf", func(t *testing.T) {
		cases := []struct {
			name  string
			types []graph.LinkType
			dir   graph.Direction
			want  map[string][]string
		}{
			{"both", nil, graph.DirectionBoth, map[string][]string{"person:a": {"l0", "l1", "l2", "l3"}, "person:b": {"l1", "l2"}, "org:o": {"l3"}}},
			{"outgoing", nil, graph.DirectionOutgoing, map[string][]string{"person:a": {"l0", "l2", "l3"}, "person:b": {"l1"}}},
			{"incoming", nil, graph.DirectionIncoming, map[string][]string{"person:a": {"l0", "l1"}, "person:b": {"l2"}, "org:o": {"l3"}}},
			{"typed", []graph.LinkType{graph.LinkAssociateOf, graph.LinkFamilyOf}, graph.DirectionBoth, map[string][]string{"person:a": {"l1", "l2"}, "person:b": {"l1", "l2"}}},
			{"typed outgoing", []graph.LinkType{graph.LinkMemberOf}, graph.DirectionOutgoing, map[string][]string{"person:a": {"l3"}}},
		}
		ids := []string{"person:a", "person:b", "org:o", "person:lone", "person:nobody"}
		for _, c := range cases {
			got, err := s.LinksOf(ctx, ids, c.types, c.dir, graph.When{})
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			for _, id := range ids {
				eqStrings(t, c.name+" "+id, linkIDs(got[id]), c.want[id])
			}
			for _, l := range got["person:a"] {
				if l.Source != "person:a" && l.Target != "person:a" {
					t.Errorf("%s: link %s does not touch person:a", c.name, l.ID)
				}
			}
		}
		got, err := s.LinksOf(ctx, nil, nil, graph.DirectionBoth, graph.When{})
		if err != nil || len(got) != 0 {
			t.Errorf("LinksOf(nil) = %v, %v", got, err)
		}
	})

	t.Run("Degrees", func(t *testing.T) {
		got, err := s.Degrees(ctx, []string{"person:a", "person:b", "org:o", "person:lone", "person:nobody"}, graph.When{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"person:a": 4, "person:b": 2, "org:o": 1, "person:lone": 0}
		if len(got) != len(want) {
			t.Errorf("Degrees returned %v; want exactly the existing ids %v", got, want)
		}
		for id, n := range want {
			if g, ok := got[id]; !ok || g != n {
				t.Errorf("degree of %s = %d (present %v), want %d", id, g, ok, n)
			}
		}
	})
}

func testStats(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != 0 || st.Links != 0 || len(nonZero(st.ByKind)) != 0 || len(nonZero(st.ByLinkType)) != 0 {
		t.Errorf("empty store stats: %+v", st)
	}
	fixture(t, s)
	st, err = s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != 8 || st.Links != 9 {
		t.Errorf("stats: %d entities, %d links; want 8, 9", st.Entities, st.Links)
	}
	eqCounts(t, "byKind", st.ByKind, map[graph.Kind]int{graph.KindPerson: 6, graph.KindOrganization: 1, graph.KindCompany: 1})
	eqCounts(t, "byLinkType", st.ByLinkType, map[graph.LinkType]int{
		graph.LinkMemberOf: 2, graph.LinkAssociateOf: 3, graph.LinkDirectorOf: 1,
		graph.LinkOwns: 1, graph.LinkFamilyOf: 1, graph.LinkLinkedTo: 1,
	})
}
