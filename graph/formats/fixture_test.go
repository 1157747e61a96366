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
// every kind and link type of the registry with their typed fields (some
// links whose ends do not fit FtM's ranges), and designations with and
// without dates.
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
				Properties: map[string]string{"name": "collides with FtM name", "skein:odd": "namespaced", "birthDate": "1970",
					"nationality": "XK; HR", "note": "emoji 🧵\nnewline", "aka; list": "one; two", "country": "free property named country"},
				Sources: []graph.SourceRef{
					{Document: doc, Quote: "He \"forged\" passports,\nsaid the release."},
					{Document: "document:bare", Quote: ""},
				},
				Designations: []graph.Designation{
					{Regime: "Global Irregular Migration", Authority: "United Kingdom", ListedOn: "2025-10-22",
						Measures: []string{"asset freeze", "travel ban"}, Reason: "Forgery;\n\"involved\"",
						Sources: []graph.SourceRef{{Document: doc, Quote: "sanctioned"}}},
					{Regime: "Other regime", Authority: "Someone", ListedOn: "2020-03", DelistedOn: "2021"},
				},
			},
			{ID: "organization:krasniqi-network", Kind: graph.KindOrganization, Name: "Krasniqi network"},
			{ID: "company:alpa-ltd", Kind: graph.KindCompany, Name: "ALPA Ltd.", Countries: []string{"United Kingdom"},
				Properties: map[string]string{"registrationNumber": "01234567", "jurisdiction": "GB", "incorporationDate": "2011-03", "dissolutionDate": "2025-10-23"},
				Sources:    []graph.SourceRef{{Document: doc, Quote: "ALPA"}}},
			{ID: "legal:shell-trust", Kind: graph.KindLegalEntity, Name: "Shell Trust", Properties: map[string]string{"registrationNumber": "T-1", "jurisdiction": "CY"}},
			{ID: "address:premises", Kind: graph.KindAddress, Name: "Premises in Prishtinë", Countries: []string{"Kosovo", "Atlantis"},
				Properties: map[string]string{"full": "Rruga 1, Prishtinë", "city": "Prishtinë", "postalCode": "10000", "country": "XK"},
				Sources:    []graph.SourceRef{{Document: doc, Quote: "premises"}}},
			{ID: "address:bare", Kind: graph.KindAddress, Name: "12 Main Street", Countries: []string{"United Kingdom"},
				Properties: map[string]string{"full": "12 Main Street"}},
			{ID: "vessel:sea-star", Kind: graph.KindVessel, Name: "Sea Star", Properties: map[string]string{"imoNumber": "IMO9074729", "flag": "MT", "type": "Fishing vessel"}},
			{ID: "vehicle:van", Kind: graph.KindVehicle, Name: "White van", Properties: map[string]string{"registrationNumber": "AB12 CDE"}},
			{ID: "account:alpa", Kind: graph.KindBankAccount, Name: "ALPA account",
				Properties: map[string]string{"iban": "GB82WEST12345698765432", "accountNumber": "98765432", "bankName": "Example Bank", "country": "GB"}},
			{ID: "account:other", Kind: graph.KindBankAccount, Name: "DE89370400440532013000", Properties: map[string]string{"iban": "DE89370400440532013000"}},
			{ID: "identification:passport-1", Kind: graph.KindIdentification, Name: "Forged passport", Aliases: []string{"the blue one"},
				Properties: map[string]string{"number": "P123456", "type": "PASSPORT", "country": "XK", "authority": "Ministry; of the Interior", "startDate": "2019-01-02", "endDate": "2029"},
				Sources:    []graph.SourceRef{{Document: doc, Quote: "forged passports"}}},
			{ID: "identification:licence", Kind: graph.KindIdentification, Name: "DL-9", Countries: []string{"Croatia"},
				Properties: map[string]string{"number": "DL-9", "type": "DRIVING_LICENCE"}},
			{ID: "identification:permit", Kind: graph.KindIdentification, Name: "Residence permit R-1",
				Properties: map[string]string{"number": "R-1", "type": "OTHER", "ftm:type": "Residence permit"}},
			{ID: "person:ümlaut/ids#with?odd=chars", Kind: graph.KindPerson, Name: "Odd Id"},
		},
		Links: []graph.Link{
			{ID: "member-1", Type: graph.LinkMemberOf, Source: "person:nusret-seferovic", Target: "organization:krasniqi-network",
				Role: "forger", Description: "Made \"documents\"\nfor the network", StartDate: "2019", EndDate: "2025-10",
				Weight: 2.5, Properties: map[string]string{"member": "collides", "confidence": "high"},
				Sources: []graph.SourceRef{{Document: doc, Quote: "a forger"}}},
			{ID: "owns-1", Type: graph.LinkOwns, Source: "person:nusret-seferovic", Target: "company:alpa-ltd", Role: "shareholder",
				Properties: map[string]string{"percentage": "51.5", "sharesValue": "1000"}},
			{ID: "owns-vessel", Type: graph.LinkOwns, Source: "legal:shell-trust", Target: "vessel:sea-star", Properties: map[string]string{"percentage": "100"}, StartDate: "2021-07"},
			{ID: "owns-out-of-range", Type: graph.LinkOwns, Source: "person:nusret-seferovic", Target: "organization:krasniqi-network", Properties: map[string]string{"percentage": "10"}},
			{ID: "holds-1", Type: graph.LinkHolds, Source: "person:nusret-seferovic", Target: "identification:passport-1", StartDate: "2019",
				Sources: []graph.SourceRef{{Document: doc, Quote: "held a forged passport"}}},
			{ID: "holds-2", Type: graph.LinkHolds, Source: "person:ümlaut/ids#with?odd=chars", Target: "identification:licence", Role: "holder"},
			{ID: "holds-3", Type: graph.LinkHolds, Source: "company:alpa-ltd", Target: "identification:permit"},
			{ID: "holds-out-of-range", Type: graph.LinkHolds, Source: "person:nusret-seferovic", Target: "company:alpa-ltd"},
			{ID: "located-1", Type: graph.LinkLocatedAt, Source: "organization:krasniqi-network", Target: "address:premises", Description: "provided the premises",
				Sources: []graph.SourceRef{{Document: doc, Quote: "provided premises"}}},
			{ID: "located-2", Type: graph.LinkLocatedAt, Source: "company:alpa-ltd", Target: "address:bare"},
			{ID: "located-3", Type: graph.LinkLocatedAt, Source: "vessel:sea-star", Target: "address:bare"},
			{ID: "operates-1", Type: graph.LinkOperates, Source: "company:alpa-ltd", Target: "vessel:sea-star"},
			{ID: "operates-2", Type: graph.LinkOperates, Source: "person:nusret-seferovic", Target: "vehicle:van", EndDate: "2025-10-22"},
			{ID: "represents-1", Type: graph.LinkRepresents, Source: "person:ümlaut/ids#with?odd=chars", Target: "company:alpa-ltd", Role: "agent"},
			{ID: "pays-1", Type: graph.LinkPays, Source: "account:alpa", Target: "account:other", Role: "wire",
				Properties: map[string]string{"amount": "12500.5", "currency": "EUR", "date": "2024-05-01", "purpose": "engines; parts", "payer": "free property named payer"}},
			{ID: "pays-2", Type: graph.LinkPays, Source: "company:alpa-ltd", Target: "account:other", Properties: map[string]string{"amount": "300", "currency": "GBP"}},
			{ID: "pays-out-of-range", Type: graph.LinkPays, Source: "vehicle:van", Target: "person:nusret-seferovic", Properties: map[string]string{"amount": "1"}},
			{ID: "director-1", Type: graph.LinkDirectorOf, Source: "person:nusret-seferovic", Target: "company:alpa-ltd"},
			{ID: "family-1", Type: graph.LinkFamilyOf, Source: "person:nusret-seferovic", Target: "person:ümlaut/ids#with?odd=chars", Role: "brother",
				Properties: map[string]string{"role": "free property named role", "relationship": "brother"}},
			{ID: "associate-1", Type: graph.LinkAssociateOf, Source: "person:ümlaut/ids#with?odd=chars", Target: "person:nusret-seferovic",
				Properties: map[string]string{"relationship": "business partner"}},
			{ID: "family-out-of-range", Type: graph.LinkFamilyOf, Source: "person:nusret-seferovic", Target: "company:alpa-ltd", Properties: map[string]string{"relationship": "namesake"}},
			{ID: "part-of-1", Type: graph.LinkPartOf, Source: "company:alpa-ltd", Target: "organization:krasniqi-network", Weight: 1e-9},
			{ID: "supplies-1", Type: graph.LinkSupplies, Source: "company:alpa-ltd", Target: "organization:krasniqi-network", Role: "engines"},
			{ID: "employed-1", Type: graph.LinkEmployedBy, Source: "person:ümlaut/ids#with?odd=chars", Target: "company:alpa-ltd", Weight: 1000000},
			{ID: "linked-1", Type: graph.LinkLinkedTo, Source: "organization:krasniqi-network", Target: "company:alpa-ltd"},
			// No FtM schema links an Identification to anything but its holder.
			{ID: "linked-document", Type: graph.LinkLinkedTo, Source: "organization:krasniqi-network", Target: "identification:licence", Role: "made",
				Sources: []graph.SourceRef{{Document: doc, Quote: "created false passports"}}},
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
