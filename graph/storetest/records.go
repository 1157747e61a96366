package storetest

import (
	"context"
	"testing"

	"github.com/skein-project/skein/graph"
)

// fullEntity uses every field, so a store that drops one fails.
func fullEntity() graph.Entity {
	return graph.Entity{
		ID:          "person:burim-krasniqi",
		Kind:        graph.KindPerson,
		Name:        "Burim Krasniqi",
		Aliases:     []string{"B. Krasniqi", "Бурим Красники"},
		Countries:   []string{"XK", "GB"},
		Description: "Leader of a forgery ring.\nSecond line with ünïcödé.",
		Properties:  map[string]string{"birthDate": "1980", "note": "a=b; c", "place of birth": "Prizren", "a.b:c": "{\"json\": true}"},
		Sources:     []graph.SourceRef{{Document: testDoc, Quote: "Burim Krasniqi, leader"}, {Document: "doc:other", Quote: "another \"quote\""}},
		Designations: []graph.Designation{{
			Regime:    "Global Irregular Migration",
			Authority: "United Kingdom",
			ListedOn:  "2025-10-22",
			Measures:  []string{"asset freeze", "travel ban"},
			Reason:    "forged documents",
			Sources:   src("designated"),
		}},
	}
}

func fullLink() graph.Link {
	return graph.Link{
		ID:          "link:full",
		Type:        graph.LinkMemberOf,
		Source:      "person:burim-krasniqi",
		Target:      "org:krasniqi-network",
		Role:        "leader",
		Description: "leads the network",
		StartDate:   "2019-05",
		EndDate:     "2025",
		Weight:      2.5,
		Properties:  map[string]string{"confidence": "high"},
		Sources:     []graph.SourceRef{{Document: testDoc, Quote: "leader of the network"}},
	}
}

func testUpsert(t *testing.T, open Opener) {
	ctx := context.Background()

	t.Run("RoundTrip", func(t *testing.T) {
		s := open(t)
		doc := graph.Document{ID: testDoc, Title: "Test source", Publisher: "HM Government", URL: "https://example.org/x", Published: "2025-10-23", License: "OGL-UK-3.0", Path: "sources/x.txt"}
		e, o, l := fullEntity(), org("org:krasniqi-network", "Krasniqi Network"), fullLink()
		upsert(t, s, graph.Batch{Documents: []graph.Document{doc}, Entities: []graph.Entity{e, o}, Links: []graph.Link{l}})
		got, err := s.Entity(ctx, e.ID)
		if err != nil {
			t.Fatalf("Entity: %v", err)
		}
		eqEntity(t, "Entity", got, e)
		gl, err := s.Link(ctx, l.ID)
		if err != nil {
			t.Fatalf("Link: %v", err)
		}
		eqLink(t, "Link", gl, l)
		gd, err := s.Document(ctx, doc.ID)
		if err != nil {
			t.Fatalf("Document: %v", err)
		}
		if gd != doc {
			t.Errorf("Document: got %+v, want %+v", gd, doc)
		}
		// Mutating a returned record must not change the store.
		got.Aliases[0] = "changed"
		again, _ := s.Entity(ctx, e.ID)
		eqEntity(t, "Entity after mutating a returned copy", again, e)
	})

	t.Run("Normalizes", func(t *testing.T) {
		s := open(t)
		e := person("person:x", "  Xhevdet Hoxha ", "Xhevdet Hoxha", "", " X. H. ", "X. H.")
		upsert(t, s, graph.Batch{Entities: []graph.Entity{e}})
		got, err := s.Entity(ctx, "person:x")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Xhevdet Hoxha" {
			t.Errorf("name %q, want trimmed", got.Name)
		}
		eqStrings(t, "aliases", got.Aliases, []string{"X. H."})
	})

	t.Run("Idempotent", func(t *testing.T) {
		s := open(t)
		b := func() graph.Batch {
			return graph.Batch{
				Entities: []graph.Entity{person("person:a", "Anna"), person("person:b", "Bora")},
				Links:    []graph.Link{lnk("l1", graph.LinkAssociateOf, "person:a", "person:b")},
			}
		}
		upsert(t, s, b())
		upsert(t, s, b())
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Entities != 2 || st.Links != 1 {
			t.Errorf("after upserting twice: %d entities, %d links; want 2, 1", st.Entities, st.Links)
		}
	})

	t.Run("DerivedLinkID", func(t *testing.T) {
		s := open(t)
		l := graph.Link{Type: graph.LinkMemberOf, Source: "person:a", Target: "org:o", Role: "Money Launderer"}
		upsert(t, s, graph.Batch{Entities: []graph.Entity{person("person:a", "Anna"), org("org:o", "Org")}, Links: []graph.Link{l}})
		upsert(t, s, graph.Batch{Links: []graph.Link{l}})
		id := graph.LinkID(graph.LinkMemberOf, "person:a", "org:o", "Money Launderer")
		got, err := s.Link(ctx, id)
		if err != nil {
			t.Fatalf("Link(%q): %v", id, err)
		}
		if got.Role != "Money Launderer" || got.Source != "person:a" || got.Target != "org:o" {
			t.Errorf("derived link: %+v", got)
		}
		st, _ := s.Stats(ctx)
		if st.Links != 1 {
			t.Errorf("same fact twice without id: %d links, want 1", st.Links)
		}
	})

	t.Run("LinksToSameBatch", func(t *testing.T) {
		s := open(t)
		// Links listed before the entities they join, in the same batch.
		upsert(t, s, graph.Batch{
			Links:    []graph.Link{lnk("l1", graph.LinkOwns, "person:a", "company:c")},
			Entities: []graph.Entity{person("person:a", "Anna"), company("company:c", "Cee Ltd")},
		})
		if _, err := s.Link(ctx, "l1"); err != nil {
			t.Errorf("Link: %v", err)
		}
	})

	t.Run("AllOrNothing", func(t *testing.T) {
		s := open(t)
		upsert(t, s, graph.Batch{Entities: []graph.Entity{person("person:old", "Old Name")}})
		bad := []struct {
			name string
			b    graph.Batch
		}{
			{"bad entity", graph.Batch{
				Documents: []graph.Document{{ID: "doc:new", Title: "New"}},
				Entities:  []graph.Entity{person("person:new", "New"), person("person:old", "Renamed"), {ID: "person:bad", Kind: graph.KindPerson, Name: "  "}},
			}},
			{"bad kind", graph.Batch{Entities: []graph.Entity{person("person:new", "New"), {ID: "x:1", Kind: "ALIEN", Name: "X"}}}},
			{"bad link", graph.Batch{
				Entities: []graph.Entity{person("person:new", "New")},
				Links:    []graph.Link{lnk("l1", graph.LinkAssociateOf, "person:new", "person:old"), {ID: "l2", Type: "HATES", Source: "person:new", Target: "person:old"}},
			}},
			{"missing endpoint", graph.Batch{
				Documents: []graph.Document{{ID: "doc:new", Title: "New"}},
				Entities:  []graph.Entity{person("person:new", "New"), person("person:old", "Renamed")},
				Links:     []graph.Link{lnk("l1", graph.LinkAssociateOf, "person:new", "person:old"), lnk("l2", graph.LinkAssociateOf, "person:new", "person:ghost")},
			}},
			{"bad document", graph.Batch{Documents: []graph.Document{{ID: "doc:new", Title: ""}}, Entities: []graph.Entity{person("person:new", "New")}}},
			{"bad id", graph.Batch{Entities: []graph.Entity{person("person:new", "New"), person("person:with space", "Space")}}},
		}
		for _, c := range bad {
			err := s.Upsert(ctx, c.b)
			wantErr(t, c.name, err, graph.ErrInvalid)
		}
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Entities != 1 || st.Links != 0 {
			t.Errorf("failed batches wrote something: %d entities, %d links", st.Entities, st.Links)
		}
		if e, err := s.Entity(ctx, "person:old"); err != nil || e.Name != "Old Name" {
			t.Errorf("failed batch changed person:old: %+v, %v", e, err)
		}
		_, err = s.Document(ctx, "doc:new")
		wantErr(t, "document of a failed batch", err, graph.ErrNotFound)
		if docs, _ := s.Documents(ctx); len(docs) != 0 {
			t.Errorf("failed batches wrote documents: %v", docs)
		}
	})

	t.Run("ReplaceDocument", func(t *testing.T) {
		s := open(t)
		upsert(t, s, graph.Batch{Documents: []graph.Document{{ID: "doc:a", Title: "Old", URL: "https://example.org/old"}}})
		upsert(t, s, graph.Batch{Documents: []graph.Document{{ID: "doc:a", Title: "New"}}})
		d, err := s.Document(ctx, "doc:a")
		if err != nil || d != (graph.Document{ID: "doc:a", Title: "New"}) {
			t.Errorf("replaced document: %+v, %v", d, err)
		}
	})

	t.Run("Empty", func(t *testing.T) {
		s := open(t)
		if err := s.Upsert(ctx, graph.Batch{}); err != nil {
			t.Errorf("empty batch: %v", err)
		}
	})

	t.Run("LaterRecordWins", func(t *testing.T) {
		s := open(t)
		upsert(t, s, graph.Batch{Entities: []graph.Entity{person("person:a", "First"), person("person:a", "Second")}})
		if e, _ := s.Entity(ctx, "person:a"); e.Name != "Second" {
			t.Errorf("name %q, want the later record's", e.Name)
		}
	})

	t.Run("ReplaceEntityKeepsLinks", func(t *testing.T) {
		s := open(t)
		orig := fullEntity()
		orig.ID = "person:a"
		upsert(t, s, graph.Batch{
			Entities: []graph.Entity{orig, person("person:b", "Bora")},
			Links:    []graph.Link{lnk("l1", graph.LinkFamilyOf, "person:a", "person:b")},
		})
		// A replacement is the whole record: fields it lacks are gone.
		repl := company("person:a", "Vesna Holdings") // kind may change too
		repl.Countries = []string{"AL"}
		upsert(t, s, graph.Batch{Entities: []graph.Entity{repl}})
		got, _ := s.Entity(ctx, "person:a")
		eqEntity(t, "replaced entity", got, repl)
		for text, want := range map[string][]string{"krasniqi": nil, "vesna holdings": {"person:a"}} {
			res, err := s.Search(ctx, graph.SearchQuery{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			eqStrings(t, "search "+text+" after replacing", hitIDs(res.Hits), want)
		}
		ls, err := s.LinksOf(ctx, []string{"person:a"}, nil, graph.DirectionBoth)
		if err != nil {
			t.Fatal(err)
		}
		eqStrings(t, "links kept", linkIDs(ls["person:a"]), []string{"l1"})
		st, _ := s.Stats(ctx)
		eqCounts(t, "byKind after kind change", st.ByKind, map[graph.Kind]int{graph.KindPerson: 1, graph.KindCompany: 1})
	})

	t.Run("ReplaceLinkEndpoints", func(t *testing.T) {
		s := open(t)
		upsert(t, s, graph.Batch{
			Entities: []graph.Entity{person("person:a", "Anna"), person("person:b", "Bora"), person("person:c", "Cen")},
			Links:    []graph.Link{lnk("l1", graph.LinkAssociateOf, "person:a", "person:b")},
		})
		moved := lnk("l1", graph.LinkFamilyOf, "person:c", "person:a")
		upsert(t, s, graph.Batch{Links: []graph.Link{moved}})
		got, _ := s.Link(ctx, "l1")
		eqLink(t, "moved link", got, moved)
		deg, err := s.Degrees(ctx, []string{"person:a", "person:b", "person:c"})
		if err != nil {
			t.Fatal(err)
		}
		eqCounts(t, "degrees", deg, map[string]int{"person:a": 1, "person:c": 1})
		if _, ok := deg["person:b"]; !ok {
			t.Errorf("Degrees omits existing person:b")
		}
	})

	t.Run("DuplicateAndSelfLinks", func(t *testing.T) {
		s := open(t)
		upsert(t, s, graph.Batch{
			Entities: []graph.Entity{person("person:a", "Anna"), person("person:b", "Bora")},
			Links: []graph.Link{
				lnk("l1", graph.LinkAssociateOf, "person:a", "person:b"),
				lnk("l2", graph.LinkAssociateOf, "person:a", "person:b"),
				lnk("l3", graph.LinkLinkedTo, "person:a", "person:a"),
			},
		})
		deg, _ := s.Degrees(ctx, []string{"person:a", "person:b"})
		eqCounts(t, "degrees with a self-link", deg, map[string]int{"person:a": 3, "person:b": 2})
	})

	t.Run("Unicode", func(t *testing.T) {
		s := open(t)
		es := []graph.Entity{
			person("person:dërvish-çela", "Dërvish Çela"),
			person("person:seferović", "Nusret Seferović", "Нусрет Сеферовић"),
			org("org:ασπίδα", "Ασπίδα 🛡"),
		}
		upsert(t, s, graph.Batch{Entities: es, Links: []graph.Link{lnk("l:ç→ć", graph.LinkAssociateOf, es[0].ID, es[1].ID)}})
		for _, e := range es {
			got, err := s.Entity(ctx, e.ID)
			if err != nil {
				t.Errorf("Entity(%q): %v", e.ID, err)
				continue
			}
			eqEntity(t, "unicode entity", got, e)
		}
		if l, err := s.Link(ctx, "l:ç→ć"); err != nil || l.Target != es[1].ID {
			t.Errorf("unicode link: %+v, %v", l, err)
		}
	})
}

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
			got, err := s.LinksOf(ctx, ids, c.types, c.dir)
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
		got, err := s.LinksOf(ctx, nil, nil, graph.DirectionBoth)
		if err != nil || len(got) != 0 {
			t.Errorf("LinksOf(nil) = %v, %v", got, err)
		}
	})

	t.Run("Degrees", func(t *testing.T) {
		got, err := s.Degrees(ctx, []string{"person:a", "person:b", "org:o", "person:lone", "person:nobody"})
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
		deg, _ := s.Degrees(ctx, []string{"person:b", "person:c"})
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
		deg, _ = s.Degrees(ctx, []string{"person:a"})
		eqCounts(t, "re-created entity", deg, map[string]int{})
	})

	t.Run("Link", func(t *testing.T) {
		s := setup(t)
		if err := s.DeleteLink(ctx, "l1"); err != nil {
			t.Fatal(err)
		}
		_, err := s.Link(ctx, "l1")
		wantErr(t, "deleted link", err, graph.ErrNotFound)
		ls, _ := s.LinksOf(ctx, []string{"person:a", "person:b"}, nil, graph.DirectionBoth)
		eqStrings(t, "links of a", linkIDs(ls["person:a"]), []string{"l2", "l4"})
		eqStrings(t, "links of b", linkIDs(ls["person:b"]), []string{"l3"})
		wantErr(t, "delete link again", s.DeleteLink(ctx, "l1"), graph.ErrNotFound)
		if err := s.DeleteLink(ctx, "l4"); err != nil {
			t.Errorf("delete self-link: %v", err)
		}
		deg, _ := s.Degrees(ctx, []string{"person:a"})
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
		ls, err := s.LinksOf(ctx, []string{"person:keep"}, nil, graph.DirectionBoth)
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
