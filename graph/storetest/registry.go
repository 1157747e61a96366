package storetest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/skein-project/skein/graph"
)

// sampleValue is a valid value of a field, built from its type alone, so
// that the suite covers every kind and link type the registry gains.
func sampleValue(f graph.Field) string {
	var v string
	switch f.Type {
	case graph.ValueDate:
		v = "2020-02"
	case graph.ValueCountry:
		v = "AL"
	case graph.ValueCurrency:
		v = "EUR"
	case graph.ValueIBAN:
		v = "GB82WEST12345698765432"
	case graph.ValueEnum:
		v = f.Values[len(f.Values)-1].Name
	case graph.ValueNumber:
		n := 42.5
		if f.Max != nil && n > *f.Max {
			n = *f.Max
		}
		v = strconv.FormatFloat(n, 'f', -1, 64)
	default:
		v = "sample " + f.Name + "; with ü"
	}
	if f.List && f.Type == graph.ValueCountry {
		v += graph.ListSeparator + "GB"
	}
	return v
}

// badValue is a value of the field its type refuses ("" when it has none).
func badValue(f graph.Field) string {
	switch f.Type {
	case graph.ValueDate:
		return "02/2020"
	case graph.ValueCountry:
		return "Narnia"
	case graph.ValueCurrency:
		return "euros"
	case graph.ValueIBAN:
		return "GB00WEST12345698765432"
	case graph.ValueEnum:
		return "NOT_A_VALUE"
	case graph.ValueNumber:
		return "lots"
	}
	return ""
}

// testRegistry stores an entity of every kind and a link of every type,
// each with all its typed fields, and reads them back through every read
// path; and checks that a bad typed value is refused whole.
func testRegistry(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	var b graph.Batch
	for _, k := range graph.KindSpecs() {
		e := ent(k.Kind, "reg:"+string(k.Kind), "Registry "+k.Title)
		e.Properties = map[string]string{"free note": "kept as it is"}
		for _, f := range k.Fields {
			e.Properties[f.Property] = sampleValue(f)
		}
		b.Entities = append(b.Entities, e)
	}
	kinds := graph.KindSpecs()
	for i, lt := range graph.LinkSpecs() {
		from, to := b.Entities[i%len(kinds)].ID, b.Entities[(i+1)%len(kinds)].ID
		l := lnk("reg-link:"+string(lt.Type), lt.Type, from, to)
		for _, f := range lt.Fields {
			if l.Properties == nil {
				l.Properties = map[string]string{}
			}
			l.Properties[f.Property] = sampleValue(f)
		}
		b.Links = append(b.Links, l)
	}
	upsert(t, s, b)

	for _, want := range b.Entities {
		got, err := s.Entity(ctx, want.ID)
		if err != nil {
			t.Fatalf("Entity %s: %v", want.ID, err)
		}
		eqEntity(t, "Entity "+want.ID, got, want)
		res, err := s.Search(ctx, graph.SearchQuery{Text: want.Name, Kinds: []graph.Kind{want.Kind}})
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		if ids := hitIDs(res.Hits); !slices.Equal(ids, []string{want.ID}) {
			t.Errorf("search %q in %s: %v", want.Name, want.Kind, ids)
		}
	}
	for _, want := range b.Links {
		got, err := s.Link(ctx, want.ID)
		if err != nil {
			t.Fatalf("Link %s: %v", want.ID, err)
		}
		eqLink(t, "Link "+want.ID, got, want)
		byType, err := s.LinksOf(ctx, []string{want.Source}, []graph.LinkType{want.Type}, graph.DirectionOutgoing, graph.When{})
		if err != nil {
			t.Fatal(err)
		}
		if ids := linkIDs(byType[want.Source]); !slices.Equal(ids, []string{want.ID}) {
			t.Errorf("LinksOf %s %s: %v", want.Source, want.Type, ids)
		}
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range graph.Kinds {
		if st.ByKind[k] != 1 {
			t.Errorf("Stats.ByKind[%s] = %d, want 1", k, st.ByKind[k])
		}
	}
	for _, lt := range graph.LinkTypes {
		if st.ByLinkType[lt] != 1 {
			t.Errorf("Stats.ByLinkType[%s] = %d, want 1", lt, st.ByLinkType[lt])
		}
	}
	// The kind filter of a neighbourhood keeps exactly the kinds asked for.
	centre := b.Entities[0].ID
	for _, k := range graph.Kinds {
		sub, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: centre, Depth: 3, Kinds: []graph.Kind{k}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range sub.Nodes {
			if e.ID != centre && e.Kind != k {
				t.Errorf("neighbourhood of kind %s has %s (%s)", k, e.ID, e.Kind)
			}
		}
	}

	t.Run("BadValues", func(t *testing.T) {
		check := func(what string, b graph.Batch, read func() error) {
			t.Helper()
			wantErr(t, what, s.Upsert(ctx, b), graph.ErrInvalid)
			wantErr(t, what+": nothing written", read(), graph.ErrNotFound)
		}
		for _, k := range graph.KindSpecs() {
			for _, f := range k.Fields {
				bad := badValue(f)
				if bad == "" {
					continue
				}
				e := ent(k.Kind, "reg:bad", "Bad")
				e.Properties = map[string]string{f.Property: bad}
				good := ent(graph.KindPerson, "reg:good", "Good")
				check(fmt.Sprintf("%s.%s = %q", k.Kind, f.Name, bad), graph.Batch{Entities: []graph.Entity{good, e}},
					func() error { _, err := s.Entity(ctx, "reg:good"); return err })
			}
		}
		for _, lt := range graph.LinkSpecs() {
			for _, f := range lt.Fields {
				bad := badValue(f)
				if bad == "" {
					continue
				}
				l := lnk("reg-link:bad", lt.Type, b.Entities[0].ID, b.Entities[1].ID)
				l.Properties = map[string]string{f.Property: bad}
				check(fmt.Sprintf("%s.%s = %q", lt.Type, f.Name, bad), graph.Batch{Links: []graph.Link{l}},
					func() error { _, err := s.Link(ctx, l.ID); return err })
			}
		}
	})
}
