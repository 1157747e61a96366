package graph

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestBatchNormalizeReportsEveryProblem(t *testing.T) {
	b := Batch{
		Entities: []Entity{
			{ID: "p:1", Kind: KindPerson, Name: "Ok"},
			{ID: "p:2", Kind: "ALIEN", Name: "Bad kind"},
			{ID: "p:3", Kind: KindPerson, Name: "   "},
			{ID: "has space", Kind: KindPerson, Name: "Bad id"},
		},
		Links: []Link{{Type: "HATES", Source: "p:1", Target: "p:2"}},
	}
	err := b.Normalize()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	for _, want := range []string{"ALIEN", "empty name", "white space", "HATES"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestBatchNormalizeDerivesLinkIDsAndDedupes(t *testing.T) {
	b := Batch{
		Entities: []Entity{
			{ID: "p:1", Kind: KindPerson, Name: " A ", Aliases: []string{"A", "", "B", "B"}},
			{ID: "p:1", Kind: KindPerson, Name: "A2"},
		},
		Links: []Link{{Type: LinkMemberOf, Source: "p:1", Target: "o:1", Role: " Day-to-day  Operations "}},
	}
	if err := b.Normalize(); err != nil {
		t.Fatal(err)
	}
	if len(b.Entities) != 1 || b.Entities[0].Name != "A2" {
		t.Fatalf("later record must win: %+v", b.Entities)
	}
	if got, want := b.Links[0].ID, "member_of:p:1->o:1:day-to-day-operations"; got != want {
		t.Fatalf("derived id %q, want %q", got, want)
	}
	e := Entity{ID: "x", Kind: KindPerson, Name: " A ", Aliases: []string{"A", "", "B", "B"}}
	e.Normalize()
	if e.Name != "A" || !slices.Equal(e.Aliases, []string{"B"}) {
		t.Fatalf("Normalize: %+v", e)
	}
}

func TestEntityValidateDates(t *testing.T) {
	e := Entity{ID: "p:1", Kind: KindPerson, Name: "A", Designations: []Designation{{Regime: "R", Authority: "UK", ListedOn: "2025-13-01"}}}
	if err := e.Validate(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad month accepted: %v", err)
	}
	e.Designations[0].ListedOn = "2025-10-22"
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestPlanMerge(t *testing.T) {
	keep := Entity{ID: "k", Kind: KindPerson, Name: "Ali", Properties: map[string]string{"x": "keep"},
		Sources: []SourceRef{{Document: "d", Quote: "q1"}}}
	dup := Entity{ID: "m", Kind: KindPerson, Name: "Aly", Aliases: []string{"A."}, Countries: []string{"Croatia"},
		Properties:   map[string]string{"x": "merged", "y": "merged"},
		Sources:      []SourceRef{{Document: "d", Quote: "q1"}, {Document: "d", Quote: "q2"}},
		Designations: []Designation{{Regime: "R", Authority: "UK"}}}
	links := []Link{
		{ID: "l1", Type: LinkMemberOf, Source: "k", Target: "o", Role: "leader", Sources: []SourceRef{{Document: "d", Quote: "a"}}},
		{ID: "l2", Type: LinkMemberOf, Source: "m", Target: "o", Role: "leader", Sources: []SourceRef{{Document: "d", Quote: "b"}}},
		{ID: "l3", Type: LinkAssociateOf, Source: "m", Target: "k"},
		{ID: "l4", Type: LinkOwns, Source: "m", Target: "c"},
		{ID: "l5", Type: LinkLinkedTo, Source: "m", Target: "m"},
	}
	p := PlanMerge(keep, []Entity{dup}, links)
	if !slices.Equal(p.Entity.Aliases, []string{"Aly", "A."}) {
		t.Errorf("aliases %q", p.Entity.Aliases)
	}
	if p.Entity.Properties["x"] != "keep" || p.Entity.Properties["y"] != "merged" {
		t.Errorf("properties %v", p.Entity.Properties)
	}
	if keep.Properties["y"] != "" {
		t.Error("PlanMerge must not modify keep's map")
	}
	if len(p.Entity.Sources) != 2 || len(p.Entity.Designations) != 1 || !slices.Equal(p.Entity.Countries, []string{"Croatia"}) {
		t.Errorf("merged entity %+v", p.Entity)
	}
	slices.Sort(p.DeleteLinks)
	if !slices.Equal(p.DeleteLinks, []string{"l2", "l3"}) {
		t.Errorf("DeleteLinks %q, want l2 (duplicate) and l3 (would be a self-link)", p.DeleteLinks)
	}
	byID := map[string]Link{}
	for _, l := range p.Upsert {
		byID[l.ID] = l
	}
	if l := byID["l1"]; len(l.Sources) != 2 {
		t.Errorf("surviving duplicate must gain the other's sources: %+v", l)
	}
	if l := byID["l4"]; l.Source != "k" {
		t.Errorf("l4 not re-pointed: %+v", l)
	}
	if l := byID["l5"]; l.Source != "k" || l.Target != "k" {
		t.Errorf("an existing self-link stays a self-link on keep: %+v", l)
	}
	if !slices.Equal(p.Delete, []string{"m"}) {
		t.Errorf("Delete %q", p.Delete)
	}
}

func TestQueryLimits(t *testing.T) {
	n := NeighborhoodQuery{ID: "a", Depth: MaxDepth + 1}
	if err := n.Normalize(); !errors.Is(err, ErrTooComplex) {
		t.Errorf("depth beyond max: %v", err)
	}
	p := PathQuery{From: "a", To: "b", MaxHops: 7}
	if err := p.Normalize(); !errors.Is(err, ErrTooComplex) {
		t.Errorf("hops beyond max: %v", err)
	}
	p = PathQuery{From: "a", To: "a"}
	if err := p.Normalize(); !errors.Is(err, ErrInvalid) {
		t.Errorf("from == to: %v", err)
	}
	s := SearchQuery{Text: "  "}
	if err := s.Normalize(); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty search: %v", err)
	}
	s = SearchQuery{Text: "x", After: "garbage!"}
	if err := s.Normalize(); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad cursor: %v", err)
	}
	ok := NeighborhoodQuery{ID: "a"}
	if err := ok.Normalize(); err != nil || ok.Limit != DefaultLimit {
		t.Errorf("defaults: %v %+v", err, ok)
	}
}
