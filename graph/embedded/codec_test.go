package embedded

import (
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
)

func TestCodecRoundTrip(t *testing.T) {
	e := graph.Entity{
		ID: "person:x", Kind: graph.KindPerson, Name: "Nusret Seferović", Aliases: []string{"N. S.", ""},
		Countries: []string{"BA"}, Description: "d", Properties: map[string]string{"b": "2", "a": "1"},
		Sources: []graph.SourceRef{{Document: "doc:1", Quote: "q"}},
		Designations: []graph.Designation{{Regime: "r", Authority: "a", ListedOn: "2025-10-22", Measures: []string{"m"},
			Reason: "why", Sources: []graph.SourceRef{{Document: "doc:1", Quote: "q2"}}}},
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
	h, err := linkHead(rec)
	if err != nil || h != (linkHeader{l.Type, l.Source, l.Target, l.StartDate, l.EndDate}) {
		t.Errorf("linkHead: %+v %v", h, err)
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

func FuzzDecode(f *testing.F) {
	e := graph.Entity{ID: "p", Kind: graph.KindPerson, Name: "N", Aliases: []string{"a"}, Properties: map[string]string{"k": "v"}}
	l := graph.Link{ID: "l", Type: graph.LinkOwns, Source: "a", Target: "b", Sources: []graph.SourceRef{{Document: "d", Quote: "q"}}}
	f.Add(encodeEntity(nil, &e))
	f.Add(encodeLink(nil, &l))
	f.Add([]byte{codecVersion, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		// Must not panic or allocate without bound on any input.
		_, _ = decodeEntity("x", string(b))
		_, _ = decodeLink("x", string(b))
		_, _ = decodeDocument("x", string(b))
		_, _ = linkHead(string(b))
	})
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
}
