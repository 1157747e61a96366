package embedded

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

func TestCodecRoundTrip(t *testing.T) {
	e := graph.Entity{
		ID: "person:x", Kind: graph.KindPerson, Name: "Nusret Seferović", Aliases: []string{"N. S.", ""},
		Countries: []string{"BA"}, Description: "d", Properties: map[string]string{"b": "2", "a": "1"},
		Sources: []graph.SourceRef{{Document: "doc:1", Quote: "q"}},
		Designations: []graph.Designation{{Regime: "r", Authority: "a", ListedOn: "2025-10-22", Measures: []string{"m"},
			Reason: "why", Sources: []graph.SourceRef{{Document: "doc:1", Quote: "q2"}},
			ID: "ofsi-1234", Properties: map[string]string{"sourceUrl": "https://example.org/list", "status": "active"}}},
	}
	got, err := decodeEntity(e.ID, string(encodeEntity(nil, &e)))
	if err != nil || !reflect.DeepEqual(got, e) {
		t.Errorf("entity round trip: %+v, %v", got, err)
	}
	l := graph.Link{ID: "l", Type: graph.LinkOwns, Source: "a", Target: "b", Role: "r", Description: "d",
		StartDate: "2020", EndDate: "2021-02", Weight: 0.25, Properties: map[string]string{"k": "v"},
		Sources: []graph.SourceRef{{Document: "doc:1", Quote: "q"}}}
	rec := string(encodeLink(nil, &l))
	gl, err := decodeLink(l.ID, rec)
	if err != nil || !reflect.DeepEqual(gl, l) {
		t.Errorf("link round trip: %+v, %v", gl, err)
	}
	if msg := checkHead(rec, l); msg != "" {
		t.Error(msg)
	}
	d := graph.Document{ID: "doc:1", Title: "t", Publisher: "p", URL: "u", Published: "2025-10-23", License: "l", Path: "x"}
	if gd, err := decodeDocument(d.ID, string(encodeDocument(nil, &d))); err != nil || gd != d {
		t.Errorf("document round trip: %+v, %v", gd, err)
	}
	// Every truncation of a record is an error, never a panic or a
	// silently shorter record.
	for _, full := range []string{string(encodeEntity(nil, &e)), rec} {
		for n := range len(full) {
			_, err1 := decodeEntity("x", full[:n])
			_, err2 := decodeLink("x", full[:n])
			if err1 == nil && err2 == nil {
				t.Errorf("truncated record of %d bytes decoded without error", n)
			}
		}
	}
}

// FuzzDecode feeds the decoders arbitrary bytes, which must never panic
// or allocate without bound, and checks the round trip both ways: a record
// built from the input's bytes decodes to what was encoded, and whatever
// input decodes re-encodes to a record that decodes the same.
func FuzzDecode(f *testing.F) {
	e := graph.Entity{ID: "p", Kind: graph.KindPerson, Name: "N", Aliases: []string{"a"}, Properties: map[string]string{"k": "v"}}
	l := graph.Link{ID: "l", Type: graph.LinkOwns, Source: "a", Target: "b", Sources: []graph.SourceRef{{Document: "d", Quote: "q"}}}
	f.Add(encodeEntity(nil, &e))
	f.Add(encodeLink(nil, &l))
	f.Add([]byte{codecVersion, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	// Fields longer than one varint byte of length, and non-Latin text.
	f.Add([]byte(strings.Repeat("Nusret Seferović ", 12) + "\x00Нусрет\x00" + strings.Repeat("q", 300) + "\x00x"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if en, err := decodeEntity("x", string(b)); err == nil {
			rec := encodeEntity(nil, &en)
			if again, err := decodeEntity("x", string(rec)); err != nil || !reflect.DeepEqual(again, en) {
				t.Fatalf("entity re-encoded from %q decodes to %+v, %v; want %+v", b, again, err, en)
			}
		}
		if ln, err := decodeLink("x", string(b)); err == nil {
			rec := encodeLink(nil, &ln)
			again, err := decodeLink("x", string(rec))
			if err != nil || !sameLink(again, ln) {
				t.Fatalf("link re-encoded from %q decodes to %+v, %v; want %+v", b, again, err, ln)
			}
		}
		if doc, err := decodeDocument("x", string(b)); err == nil {
			if again, err := decodeDocument("x", string(encodeDocument(nil, &doc))); err != nil || again != doc {
				t.Fatalf("document re-encoded from %q decodes to %+v, %v; want %+v", b, again, err, doc)
			}
		}
		_, _ = linkHead(string(b))

		// Records made of the input's bytes round-trip exactly.
		en, ln, doc := fromBytes(b)
		if got, err := decodeEntity(en.ID, string(encodeEntity(nil, &en))); err != nil || !reflect.DeepEqual(got, en) {
			t.Fatalf("entity round trip:\n got %+v, %v\nwant %+v", got, err, en)
		}
		rec := string(encodeLink(nil, &ln))
		if got, err := decodeLink(ln.ID, rec); err != nil || !sameLink(got, ln) {
			t.Fatalf("link round trip:\n got %+v, %v\nwant %+v", got, err, ln)
		}
		if msg := checkHead(rec, ln); msg != "" {
			t.Fatal(msg)
		}
		if got, err := decodeDocument(doc.ID, string(encodeDocument(nil, &doc))); err != nil || got != doc {
			t.Fatalf("document round trip:\n got %+v, %v\nwant %+v", got, err, doc)
		}
	})
}

// fromBytes builds an entity, a link and a document whose every field is
// a piece of b (split at zero bytes, reused round-robin), so the fuzzer's
// bytes reach each field of each record.
func fromBytes(b []byte) (graph.Entity, graph.Link, graph.Document) {
	parts := strings.Split(string(b), "\x00")
	i := 0
	next := func() string { s := parts[i%len(parts)]; i++; return s }
	e := graph.Entity{ID: next(), Kind: graph.Kind(next()), Name: next(), Aliases: []string{next(), next()},
		Countries: []string{next()}, Description: next(), Properties: map[string]string{next(): next()},
		Sources: []graph.SourceRef{{Document: next(), Quote: next()}},
		Designations: []graph.Designation{{Regime: next(), Authority: next(), ListedOn: next(), Measures: []string{next()},
			Reason: next(), DelistedOn: next(), Sources: []graph.SourceRef{{Document: next(), Quote: next()}}}}}
	var w [8]byte
	copy(w[:], b)
	l := graph.Link{ID: next(), Type: graph.LinkType(next()), Source: next(), Target: next(), Role: next(),
		Description: next(), StartDate: next(), EndDate: next(), Weight: math.Float64frombits(binary.LittleEndian.Uint64(w[:])),
		Properties: map[string]string{next(): next()}, Sources: []graph.SourceRef{{Document: next(), Quote: next()}}}
	d := graph.Document{ID: next(), Title: next(), Publisher: next(), URL: next(), Published: next(), License: next(), Path: next()}
	return e, l, d
}

// sameLink compares links field by field, the weight by its bits (a NaN
// weight is equal to itself here).
func sameLink(a, b graph.Link) bool {
	wa, wb := math.Float64bits(a.Weight), math.Float64bits(b.Weight)
	a.Weight, b.Weight = 0, 0
	return wa == wb && reflect.DeepEqual(a, b)
}

// Records written before delistedOn existed (version 1) still read.
func TestDecodeVersion1Entity(t *testing.T) {
	want := graph.Entity{ID: "p", Kind: graph.KindPerson, Name: "N", Designations: []graph.Designation{
		{Regime: "r", Authority: "a", ListedOn: "2025-10-22", Measures: []string{"asset freeze"}, Reason: "why",
			Sources: []graph.SourceRef{{Document: "doc:1", Quote: "q"}}}}}
	// The version 1 layout, written out field by field.
	e := encoder{b: []byte{1}}
	e.str(string(want.Kind))
	e.str(want.Name)
	e.strs(nil)
	e.strs(nil)
	e.str("")
	e.props(nil)
	e.sources(nil)
	e.b = append(e.b, 1)
	d := want.Designations[0]
	e.str(d.Regime)
	e.str(d.Authority)
	e.str(d.ListedOn)
	e.strs(d.Measures)
	e.str(d.Reason)
	e.sources(d.Sources)
	got, err := decodeEntity("p", string(e.b))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("version 1 entity: %+v, %v; want %+v", got, err, want)
	}
	want.Designations[0].DelistedOn = "2026-01"
	if got, err := decodeEntity("p", string(encodeEntity(nil, &want))); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("delistedOn round trip: %+v, %v", got, err)
	}
	// The version 2 layout: version 1 and delistedOn, no id or properties.
	e = encoder{b: []byte{2}}
	e.str(string(want.Kind))
	e.str(want.Name)
	e.strs(nil)
	e.strs(nil)
	e.str("")
	e.props(nil)
	e.sources(nil)
	e.b = append(e.b, 1)
	d = want.Designations[0]
	e.str(d.Regime)
	e.str(d.Authority)
	e.str(d.ListedOn)
	e.str(d.DelistedOn)
	e.strs(d.Measures)
	e.str(d.Reason)
	e.sources(d.Sources)
	if got, err := decodeEntity("p", string(e.b)); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("version 2 entity: %+v, %v; want %+v", got, err, want)
	}
}

// checkHead checks linkHead of l's record, and that the rest it points at
// is encodeLinkRest and completes the link (decodeLinkRest).
func checkHead(rec string, l graph.Link) string {
	h, err := linkHead(rec)
	if err != nil {
		return fmt.Sprintf("linkHead of %+v: %v", l, err)
	}
	want := linkHeader{typ: l.Type, source: l.Source, target: l.Target, start: l.StartDate, end: l.EndDate, role: l.Role, rest: encodeLinkRest(&l)}
	if h != want {
		return fmt.Sprintf("linkHead of %+v:\n got %+v\nwant %+v", l, h, want)
	}
	got, err := decodeLinkRest(graph.Link{ID: l.ID, Type: l.Type, Source: l.Source, Target: l.Target}, h.rest)
	if err != nil || !sameLink(got, l) {
		return fmt.Sprintf("decodeLinkRest:\n got %+v, %v\nwant %+v", got, err, l)
	}
	return ""
}
