package storetest

import (
	"context"
	"testing"

	"github.com/skein-project/skein/graph"
)

func testMerge(t *testing.T, open Opener) {
	ctx := context.Background()
	setup := func(t *testing.T) graph.Store {
		s := open(t)
		keep := person("person:keep", "Burim Krasniqi", "Burimi")
		keep.Countries = []string{"XK"}
		keep.Properties = map[string]string{"birthYear": "1980"}
		m1 := person("person:m1", "B. Krasniqi", "Burimi", "BK")
		m1.Countries = []string{"AL", "XK"}
		m1.Description = "From a second source."
		m1.Properties = map[string]string{"birthYear": "1981", "height": "180"}
		m1.Designations = []graph.Designation{{Regime: "GIM", Authority: "United Kingdom", ListedOn: "2025-10-22", Sources: src("designated")}}
		m2 := person("person:m2", "Krasniqi Burim")
		dup := lnk("l-m1-org", graph.LinkMemberOf, "person:m1", "org:ring")
		dup.Role = "forger"
		dup.Sources = src("m1 forges")
		kept := lnk("l-keep-org", graph.LinkMemberOf, "person:keep", "org:ring")
		kept.Role = "forger"
		upsert(t, s, graph.Batch{
			Entities: []graph.Entity{keep, m1, m2, org("org:ring", "Ring"), person("person:p", "Pal")},
			Links: []graph.Link{
				kept, dup,
				lnk("l-m1-p", graph.LinkAssociateOf, "person:m1", "person:p"),
				lnk("l-p-m2", graph.LinkFamilyOf, "person:p", "person:m2"),
				lnk("l-keep-m2", graph.LinkAssociateOf, "person:keep", "person:m2"),
				lnk("l-m1-m2", graph.LinkAssociateOf, "person:m1", "person:m2"),
				lnk("l-m2-self", graph.LinkLinkedTo, "person:m2", "person:m2"),
			},
		})
		return s
	}

	t.Run("Folds", func(t *testing.T) {
		s := setup(t)
		got, err := s.MergeEntities(ctx, "person:keep", []string{"person:m1", "person:m2"})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := s.Entity(ctx, "person:keep")
		if err != nil {
			t.Fatal(err)
		}
		eqEntity(t, "returned vs stored", got, stored)
		eqStrings(t, "aliases", stored.Aliases, []string{"Burimi", "B. Krasniqi", "BK", "Krasniqi Burim"})
		eqStrings(t, "countries", stored.Countries, []string{"XK", "AL"})
		if stored.Properties["birthYear"] != "1980" || stored.Properties["height"] != "180" {
			t.Errorf("properties %v: keep must win, others be added", stored.Properties)
		}
		if stored.Description != "From a second source." {
			t.Errorf("description %q: an empty one takes the merged entity's", stored.Description)
		}
		if len(stored.Designations) != 1 || stored.Designations[0].Regime != "GIM" {
			t.Errorf("designations %+v", stored.Designations)
		}
		if len(stored.Sources) != 3 {
			t.Errorf("sources %+v: want those of all three", stored.Sources)
		}
		for _, id := range []string{"person:m1", "person:m2"} {
			_, err := s.Entity(ctx, id)
			wantErr(t, "merged entity "+id, err, graph.ErrNotFound)
		}
		ls, err := s.LinksOf(ctx, []string{"person:keep"}, nil, graph.DirectionBoth, graph.When{})
		if err != nil {
			t.Fatal(err)
		}
		eqStrings(t, "links of keep", linkIDs(ls["person:keep"]), []string{"l-keep-org", "l-m1-p", "l-m2-self", "l-p-m2"})
		for _, l := range ls["person:keep"] {
			switch l.ID {
			case "l-keep-org":
				if len(l.Sources) != 2 {
					t.Errorf("surviving duplicate %s should gain the dropped link's sources: %+v", l.ID, l.Sources)
				}
			case "l-m1-p":
				if l.Source != "person:keep" || l.Target != "person:p" {
					t.Errorf("re-pointed %s: %s -> %s", l.ID, l.Source, l.Target)
				}
			case "l-p-m2":
				if l.Source != "person:p" || l.Target != "person:keep" {
					t.Errorf("re-pointed %s: %s -> %s", l.ID, l.Source, l.Target)
				}
			case "l-m2-self":
				if l.Source != "person:keep" || l.Target != "person:keep" {
					t.Errorf("self-link %s: %s -> %s", l.ID, l.Source, l.Target)
				}
			}
		}
		for _, id := range []string{"l-m1-org", "l-keep-m2", "l-m1-m2"} {
			_, err := s.Link(ctx, id)
			wantErr(t, "dropped link "+id, err, graph.ErrNotFound)
		}
		st, _ := s.Stats(ctx)
		if st.Entities != 3 || st.Links != 4 {
			t.Errorf("stats after merge: %+v", st)
		}
		res, _ := s.Search(ctx, graph.SearchQuery{Text: "BK"})
		eqStrings(t, "merged name searchable as alias", hitIDs(res.Hits), []string{"person:keep"})
	})

	t.Run("Errors", func(t *testing.T) {
		s := setup(t)
		_, err := s.MergeEntities(ctx, "person:keep", nil)
		wantErr(t, "empty merge", err, graph.ErrInvalid)
		_, err = s.MergeEntities(ctx, "person:keep", []string{"person:m1", "person:keep"})
		wantErr(t, "merge contains keep", err, graph.ErrInvalid)
		_, err = s.MergeEntities(ctx, "person:keep", []string{"person:m1", "person:nobody"})
		wantErr(t, "unknown merged", err, graph.ErrNotFound)
		_, err = s.MergeEntities(ctx, "person:nobody", []string{"person:m1"})
		wantErr(t, "unknown keep", err, graph.ErrNotFound)
		st, _ := s.Stats(ctx)
		if st.Entities != 5 || st.Links != 7 {
			t.Errorf("failed merges changed the graph: %+v", st)
		}
		if _, err := s.Entity(ctx, "person:m1"); err != nil {
			t.Errorf("failed merge deleted person:m1: %v", err)
		}
	})
}
