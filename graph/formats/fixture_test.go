package formats

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/seed"
)

// crafted is a small graph that exercises what formats get wrong: unicode,
// quotes of both kinds, XML and CSV metacharacters, newlines and tabs,
// empty optional fields, property keys that collide with FtM properties,
// every link type and designations with and without a date.
func crafted() graph.Batch {
	doc := "document:press-release"
	return graph.Batch{
		Documents: []graph.Document{
			{ID: doc, Title: `Press release "Sanctions" <2025> & co, 'quoted'`, Publisher: "UK government",
				URL: "https://example.org/a?b=1&c=2", Published: "2025-10-23", License: "OGL v3.0", Path: "sources/x.txt"},
			{ID: "document:bare", Title: "Bare document"},
		},
		Entities: []graph.Entity{
			{
				ID: "person:nusret-seferovic", Kind: graph.KindPerson, Name: `Nusret Seferović "the forger"`,
				Aliases:     []string{"Сеферовић", `O'Brien, "Nuki"`, "名前 😀"},
				Countries:   []string{"Kosovo", "Croatia", "Atlantis"},
				Description: "Line one\nline two\twith tab; <b>bold</b> & \"quotes\", 'single', back\\slash",
				Properties:  map[string]string{"name": "collides with FtM name", "skein:odd": "namespaced", "birthDate": "1970", "note": "emoji 🧵\nnewline"},
				Sources: []graph.SourceRef{
					{Document: doc, Quote: "He \"forged\" passports,\nsaid the release."},
					{Document: "document:bare", Quote: ""},
				},
				Designations: []graph.Designation{
					{Regime: "Global Irregular Migration", Authority: "United Kingdom", ListedOn: "2025-10-22",
						Measures: []string{"asset freeze", "travel ban"}, Reason: "Forgery;\n\"involved\"",
						Sources: []graph.SourceRef{{Document: doc, Quote: "sanctioned"}}},
					{Regime: "Other regime", Authority: "Someone"},
				},
			},
			{ID: "organization:krasniqi-network", Kind: graph.KindOrganization, Name: "Krasniqi network"},
			{ID: "company:alpa-ltd", Kind: graph.KindCompany, Name: "ALPA Ltd.", Countries: []string{"United Kingdom"},
				Sources: []graph.SourceRef{{Document: doc, Quote: "ALPA"}}},
			{ID: "person:ümlaut/ids#with?odd=chars", Kind: graph.KindPerson, Name: "Odd Id"},
		},
		Links: []graph.Link{
			{ID: "member-1", Type: graph.LinkMemberOf, Source: "person:nusret-seferovic", Target: "organization:krasniqi-network",
				Role: "forger", Description: "Made \"documents\"\nfor the network", StartDate: "2019", EndDate: "2025-10",
				Weight: 2.5, Properties: map[string]string{"member": "collides", "confidence": "high"},
				Sources: []graph.SourceRef{{Document: doc, Quote: "a forger"}}},
			{ID: "owns-1", Type: graph.LinkOwns, Source: "person:nusret-seferovic", Target: "company:alpa-ltd", Role: "shareholder"},
			{ID: "director-1", Type: graph.LinkDirectorOf, Source: "person:nusret-seferovic", Target: "company:alpa-ltd"},
			{ID: "family-1", Type: graph.LinkFamilyOf, Source: "person:nusret-seferovic", Target: "person:ümlaut/ids#with?odd=chars", Role: "brother",
				Properties: map[string]string{"role": "free property named role"}},
			{ID: "associate-1", Type: graph.LinkAssociateOf, Source: "person:ümlaut/ids#with?odd=chars", Target: "person:nusret-seferovic"},
			{ID: "part-of-1", Type: graph.LinkPartOf, Source: "company:alpa-ltd", Target: "organization:krasniqi-network", Weight: 1e-9},
			{ID: "supplies-1", Type: graph.LinkSupplies, Source: "company:alpa-ltd", Target: "organization:krasniqi-network", Role: "engines"},
			{ID: "employed-1", Type: graph.LinkEmployedBy, Source: "person:ümlaut/ids#with?odd=chars", Target: "company:alpa-ltd", Weight: 1000000},
			{ID: "linked-1", Type: graph.LinkLinkedTo, Source: "organization:krasniqi-network", Target: "company:alpa-ltd"},
		},
	}
}

// seedBatch is the project's seed dataset.
func seedBatch(t testing.TB) graph.Batch {
	t.Helper()
	b, err := seed.Dataset()
	if err != nil {
		t.Fatalf("seed.Dataset: %v", err)
	}
	return b
}

// canonical normalises a batch and turns empty slices and maps into nil, so
// that batches compare with reflect.DeepEqual whatever way they were built.
func canonical(t testing.TB, b graph.Batch) graph.Batch {
	t.Helper()
	// A deep copy, so the caller's batch is untouched.
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var c graph.Batch
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	if err := c.Normalize(); err != nil {
		t.Fatalf("normalize: %v", err)
	}
	for i := range c.Entities {
		canonicalEntity(&c.Entities[i])
	}
	for i := range c.Links {
		l := &c.Links[i]
		if len(l.Properties) == 0 {
			l.Properties = nil
		}
		if len(l.Sources) == 0 {
			l.Sources = nil
		}
	}
	if len(c.Documents) == 0 {
		c.Documents = nil
	}
	if len(c.Entities) == 0 {
		c.Entities = nil
	}
	if len(c.Links) == 0 {
		c.Links = nil
	}
	return c
}

func canonicalEntity(e *graph.Entity) {
	if len(e.Aliases) == 0 {
		e.Aliases = nil
	}
	if len(e.Countries) == 0 {
		e.Countries = nil
	}
	if len(e.Properties) == 0 {
		e.Properties = nil
	}
	if len(e.Sources) == 0 {
		e.Sources = nil
	}
	if len(e.Designations) == 0 {
		e.Designations = nil
	}
	for j := range e.Designations {
		d := &e.Designations[j]
		if len(d.Measures) == 0 {
			d.Measures = nil
		}
		if len(d.Sources) == 0 {
			d.Sources = nil
		}
	}
}

// assertSameBatch fails with the first differing record.
func assertSameBatch(t *testing.T, want, got graph.Batch) {
	t.Helper()
	w, g := canonical(t, want), canonical(t, got)
	if reflect.DeepEqual(w, g) {
		return
	}
	if len(w.Documents) != len(g.Documents) || len(w.Entities) != len(g.Entities) || len(w.Links) != len(g.Links) {
		t.Fatalf("counts differ: want %d/%d/%d documents/entities/links, got %d/%d/%d",
			len(w.Documents), len(w.Entities), len(w.Links), len(g.Documents), len(g.Entities), len(g.Links))
	}
	for i := range w.Documents {
		if !reflect.DeepEqual(w.Documents[i], g.Documents[i]) {
			t.Fatalf("document %d differs:\nwant %s\ngot  %s", i, jsonString(w.Documents[i]), jsonString(g.Documents[i]))
		}
	}
	for i := range w.Entities {
		if !reflect.DeepEqual(w.Entities[i], g.Entities[i]) {
			t.Fatalf("entity %d differs:\nwant %s\ngot  %s", i, jsonString(w.Entities[i]), jsonString(g.Entities[i]))
		}
	}
	for i := range w.Links {
		if !reflect.DeepEqual(w.Links[i], g.Links[i]) {
			t.Fatalf("link %d differs:\nwant %s\ngot  %s", i, jsonString(w.Links[i]), jsonString(g.Links[i]))
		}
	}
	t.Fatal("batches differ")
}

func encode(t testing.TB, f Format, b graph.Batch) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(context.Background(), f, b, &buf); err != nil {
		t.Fatalf("Encode %s: %v", f, err)
	}
	return buf.Bytes()
}

// fullModel are the formats that carry the whole model both ways.
var fullModel = []Format{JSON, FtM, CSV, GraphML}

// byID orders a batch's records by id, as stores return them.
func byID(b graph.Batch) graph.Batch {
	b.Documents = slices.Clone(b.Documents)
	b.Entities = slices.Clone(b.Entities)
	b.Links = slices.Clone(b.Links)
	slices.SortFunc(b.Documents, func(x, y graph.Document) int { return strings.Compare(x.ID, y.ID) })
	slices.SortFunc(b.Entities, func(x, y graph.Entity) int { return strings.Compare(x.ID, y.ID) })
	slices.SortFunc(b.Links, func(x, y graph.Link) int { return strings.Compare(x.ID, y.ID) })
	return b
}
