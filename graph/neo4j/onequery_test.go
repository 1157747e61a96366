package neo4j_test

import (
	"context"
	"errors"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestOwnershipAndSharedOneQuery checks that shared associates, holdings,
// owners and sanctions ownership each cost one Cypher query, at any depth,
// with or without the chains and a date, and for an unknown entity.
//
//	a* -OWNS 60%-> b -OWNS 50%-> c -OWNS-> d      a* -ASSOCIATE_OF- x -ASSOCIATE_OF- c
func TestOwnershipAndSharedOneQuery(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	ent := func(id string) graph.Entity {
		return graph.Entity{ID: id, Kind: graph.KindCompany, Name: "One Query " + id}
	}
	owns := func(id, a, b, pct string) graph.Link {
		l := graph.Link{ID: id, Type: graph.LinkOwns, Source: a, Target: b, StartDate: "2015"}
		if pct != "" {
			l.Properties = map[string]string{"percentage": pct}
		}
		return l
	}
	a := ent("company:a")
	a.Designations = []graph.Designation{{Regime: "Test", Authority: "United Kingdom", ListedOn: "2018"}}
	b := graph.Batch{
		Entities: []graph.Entity{a, ent("company:b"), ent("company:c"), ent("company:d"), ent("company:x")},
		Links: []graph.Link{owns("o1", "company:a", "company:b", "60"), owns("o2", "company:b", "company:c", "50"),
			owns("o3", "company:c", "company:d", ""),
			{ID: "s1", Type: graph.LinkAssociateOf, Source: "company:a", Target: "company:x"},
			{ID: "s2", Type: graph.LinkAssociateOf, Source: "company:x", Target: "company:c"}},
	}
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	once := func(what string, call func() (int, error), want int) {
		t.Helper()
		before := s.RoundTrips()
		n, err := call()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n != want {
			t.Errorf("%s: %d answers, want %d", what, n, want)
		}
		if trips := s.RoundTrips() - before; trips != 1 {
			t.Errorf("%s took %d queries, want 1", what, trips)
		}
	}
	for depth, want := range map[int]int{1: 2, 2: 2, 3: 3} {
		once("sharedAssociates", func() (int, error) {
			es, err := s.SharedAssociates(ctx, graph.SharedQuery{IDs: []string{"company:a", "company:c"}, Depth: depth})
			return len(es), err
		}, want)
	}
	for _, w := range []graph.When{{}, {AsOf: "2020"}} {
		for _, chains := range []bool{false, true} {
			opt := analysis.OwnershipOptions{When: w, Chains: chains}
			once("holdings", func() (int, error) {
				ws, err := analysis.HoldingsIn(ctx, s, "company:a", opt)
				return len(ws), err
			}, 3)
			once("owners", func() (int, error) {
				ws, err := analysis.OwnersIn(ctx, s, "company:d", opt)
				return len(ws), err
			}, 3)
			for _, combined := range []bool{false, true} {
				once("sanctionsOwnership", func() (int, error) {
					fs, err := analysis.SanctionsOwnershipIn(ctx, s, combined, opt)
					return len(fs), err
				}, 3)
			}
		}
	}
	// Before anything was owned: nothing, in one query all the same.
	once("holdings in 2010", func() (int, error) {
		ws, err := analysis.HoldingsIn(ctx, s, "company:a", analysis.OwnershipOptions{When: graph.When{AsOf: "2010"}})
		return len(ws), err
	}, 0)
	before := s.RoundTrips()
	if _, err := analysis.HoldingsIn(ctx, s, "company:nobody", analysis.OwnershipOptions{}); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("holdings of an unknown entity: %v, want ErrNotFound", err)
	}
	if n := s.RoundTrips() - before; n != 1 {
		t.Errorf("holdings of an unknown entity took %d queries, want 1", n)
	}
}
