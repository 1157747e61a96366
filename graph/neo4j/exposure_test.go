package neo4j_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// exposureSummary renders exposures as "entity regime: link,link".
func exposureSummary(xs []analysis.Exposure) []string {
	var out []string
	for _, x := range xs {
		var ids []string
		for _, l := range x.Path.Links {
			ids = append(ids, l.ID)
		}
		out = append(out, fmt.Sprintf("%s %s: %s", x.Entity.ID, x.Designation.Regime, strings.Join(ids, ",")))
	}
	return out
}

// TestExposureOneQuery checks that sanctions exposure costs one Cypher
// query at any depth, found or not, and that a question with more
// shortest paths than the store enumerates is answered all the same, from
// a snapshot.
//
//	me -l2- a1 -l3- t*      me -l1- a2 -l9- t*      me -l5,l4- u*      t* -l6- far*
//
// Two shortest paths lead to t; the one with the least link ids runs
// through a2 (l1,l9), though a1's is the one with the least last link.
func TestExposureOneQuery(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	ent := func(id string, regimes ...string) graph.Entity {
		e := graph.Entity{ID: id, Kind: graph.KindPerson, Name: "Exposure " + id}
		for _, r := range regimes {
			e.Designations = append(e.Designations, graph.Designation{Regime: r, Authority: "United Kingdom", ListedOn: "2020-01-01"})
		}
		return e
	}
	link := func(id, a, b string) graph.Link {
		return graph.Link{ID: id, Type: graph.LinkAssociateOf, Source: a, Target: b}
	}
	b := graph.Batch{
		Entities: []graph.Entity{ent("person:me", "Own"), ent("person:a1"), ent("person:a2"), ent("person:t", "T1", "T2"),
			ent("person:u", "U"), ent("person:far", "Far")},
		Links: []graph.Link{link("l2", "person:me", "person:a1"), link("l3", "person:a1", "person:t"),
			link("l1", "person:me", "person:a2"), link("l9", "person:t", "person:a2"),
			link("l5", "person:me", "person:u"), link("l4", "person:u", "person:me"), link("l6", "person:t", "person:far")},
	}
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	want := map[int][]string{
		1: {"person:u U: l4"},
		2: {"person:u U: l4", "person:t T1: l1,l9", "person:t T2: l1,l9"},
		3: {"person:u U: l4", "person:t T1: l1,l9", "person:t T2: l1,l9", "person:far Far: l1,l9,l6"},
	}
	for hops := 1; hops <= 3; hops++ {
		for _, w := range []graph.When{{}, {AsOf: "2021"}, {AsOf: "2019"}} {
			before := s.RoundTrips()
			got, err := analysis.SanctionsExposureIn(ctx, s, graph.ExposureQuery{ID: "person:me", MaxHops: hops, When: w})
			if err != nil {
				t.Fatalf("%d hops %+v: %v", hops, err, w)
			}
			if n := s.RoundTrips() - before; n != 1 {
				t.Errorf("exposure over %d hops %+v took %d queries, want 1", hops, w, n)
			}
			wanted := want[hops]
			if w.AsOf == "2019" {
				wanted = nil // nobody was listed yet
			}
			if have := exposureSummary(got); !slices.Equal(have, wanted) {
				t.Errorf("exposure over %d hops %+v:\n got %q\nwant %q", hops, w, have, wanted)
			}
		}
	}
	before := s.RoundTrips()
	if _, err := analysis.SanctionsExposureIn(ctx, s, graph.ExposureQuery{ID: "person:nobody", MaxHops: 2}); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("exposure of an unknown entity: %v, want ErrNotFound", err)
	}
	if n := s.RoundTrips() - before; n != 1 {
		t.Errorf("exposure of an unknown entity took %d queries, want 1", n)
	}

	// Six shortest paths are enumerated over three hops (two each to u, t
	// and far): a cap of 2 declines, and the snapshot road gives the same
	// answer in more queries.
	neo4j.SetExposureCap(s, 2)
	before = s.RoundTrips()
	got, err := analysis.SanctionsExposureIn(ctx, s, graph.ExposureQuery{ID: "person:me", MaxHops: 3})
	if err != nil {
		t.Fatal(err)
	}
	if have := exposureSummary(got); !slices.Equal(have, want[3]) {
		t.Errorf("exposure past the cap:\n got %q\nwant %q", have, want[3])
	}
	if n := s.RoundTrips() - before; n < 3 {
		t.Errorf("exposure past the cap took %d queries; it should have declined and read a snapshot", n)
	}
}
