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
			Regime:     "Global Irregular Migration",
			Authority:  "United Kingdom",
			ListedOn:   "2025-10-22",
			Measures:   []string{"asset freeze", "travel ban"},
			Reason:     "forged documents",
			Sources:    src("designated"),
			ID:         "gb-gim-0042",
			Properties: map[string]string{"sourceUrl": "https://example.org/list", "status": "active; listed"},
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
		ls, err := s.LinksOf(ctx, []string{"person:a"}, nil, graph.DirectionBoth, graph.When{})
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
		deg, err := s.Degrees(ctx, []string{"person:a", "person:b", "person:c"}, graph.When{})
		if err != nil {
			t.Fatal(err)
		}
		eqCounts(t, "degrees", deg, map[string]int{"person:a": 1, "person:c": 1})
		if _, ok := deg["person:b"]; !ok {
			t.Errorf("Degrees omits existing person:b")
		}
	})

	// An upsert finds a link by its id whatever type the batch gives it,
	// even where the id looks like another type's or is not ASCII.
	t.Run("RetypeKeepsOneLink", func(t *testing.T) {
		s := open(t)
		upsert(t, s, graph.Batch{
			Entities: []graph.Entity{person("person:a", "Anna"), person("person:b", "Bora"), org("org:o", "Orbis")},
			Links: []graph.Link{
				lnk("associate_of:a->b", graph.LinkAssociateOf, "person:a", "person:b"),
				lnk("associate_of:b->a", graph.LinkAssociateOf, "person:b", "person:a"),
				lnk("owns:a->o", graph.LinkOwns, "person:a", "org:o"),
				lnk("l:ç→ć", graph.LinkFamilyOf, "person:a", "person:b"),
			},
		})
		retyped := []graph.Link{
			lnk("associate_of:b->a", graph.LinkOwns, "person:b", "org:o"), // in ASSOCIATE_OF's range, outside OWNS's
			lnk("owns:a->o", graph.LinkDirectorOf, "person:a", "org:o"),   // into a type without links
			lnk("l:ç→ć", graph.LinkAssociateOf, "person:b", "person:a"),
		}
		upsert(t, s, graph.Batch{Links: retyped})
		for _, want := range retyped {
			got, err := s.Link(ctx, want.ID)
			if err != nil {
				t.Errorf("Link(%q): %v", want.ID, err)
				continue
			}
			eqLink(t, "retyped link", got, want)
		}
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Links != 4 {
			t.Errorf("%d links after retyping three of four, want 4 (a retyped link kept twice?)", st.Links)
		}
		deg, err := s.Degrees(ctx, []string{"person:a", "person:b", "org:o"}, graph.When{})
		if err != nil {
			t.Fatal(err)
		}
		eqCounts(t, "degrees", deg, map[string]int{"person:a": 3, "person:b": 3, "org:o": 2})
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
		deg, _ := s.Degrees(ctx, []string{"person:a", "person:b"}, graph.When{})
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
