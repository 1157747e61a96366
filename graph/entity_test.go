package graph

import (
	"reflect"
	"testing"
)

// A clone is equal to its original, and changing any slice or map of it,
// down to a designation's measures and sources, leaves the original alone.
func TestEntityCloneSharesNothing(t *testing.T) {
	src := []SourceRef{{Document: "doc:1", Quote: "q"}}
	e := Entity{
		ID: "person:a", Kind: KindPerson, Name: "A", Aliases: []string{"B"}, Countries: []string{"al"},
		Properties: map[string]string{"k": "v"}, Sources: src,
		Designations: []Designation{{Regime: "R", Measures: []string{"asset freeze"}, Sources: src}},
	}
	c := e.Clone()
	if !reflect.DeepEqual(c, e) {
		t.Fatalf("clone %+v differs from %+v", c, e)
	}
	c.Aliases[0], c.Countries[0], c.Properties["k"], c.Sources[0].Quote = "x", "x", "x", "x"
	c.Designations[0].Regime, c.Designations[0].Measures[0], c.Designations[0].Sources[0].Quote = "x", "x", "x"
	if e.Aliases[0] != "B" || e.Countries[0] != "al" || e.Properties["k"] != "v" || e.Sources[0].Quote != "q" ||
		e.Designations[0].Regime != "R" || e.Designations[0].Measures[0] != "asset freeze" || e.Designations[0].Sources[0].Quote != "q" {
		t.Fatalf("changing the clone changed the original: %+v", e)
	}
}

func TestLinkCloneSharesNothing(t *testing.T) {
	l := Link{ID: "l:1", Type: LinkMemberOf, Source: "person:a", Target: "person:b",
		Properties: map[string]string{"k": "v"}, Sources: []SourceRef{{Document: "doc:1"}}}
	c := l.Clone()
	if !reflect.DeepEqual(c, l) {
		t.Fatalf("clone %+v differs from %+v", c, l)
	}
	c.Properties["k"], c.Sources[0].Document = "x", "x"
	if l.Properties["k"] != "v" || l.Sources[0].Document != "doc:1" {
		t.Fatalf("changing the clone changed the original: %+v", l)
	}
}
