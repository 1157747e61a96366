package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
)

// datedOwnershipGraph is a random OWNS network of its own ids
// ("company:own.."), disconnected from the rest of the temporal graph:
// most links state a percentage, most are dated as randomTemporalGraph
// dates them, a few are parallel, and about a third of the entities have a
// designation, some delisted.
func datedOwnershipGraph(rng *rand.Rand) ([]graph.Entity, []graph.Link) {
	const n, m = 40, 110
	pick := func() string { return datePool[rng.IntN(len(datePool))] }
	var es []graph.Entity
	for i := range n {
		e := graph.Entity{ID: fmt.Sprintf("company:own%02d", i), Kind: graph.KindCompany, Name: fmt.Sprintf("Holding %d", i)}
		switch rng.IntN(6) {
		case 0:
			e.Designations = []graph.Designation{{Regime: "Ownership regime", Authority: "United Kingdom", ListedOn: pick(), Sources: src("listed")}}
		case 1:
			for {
				e.Designations = []graph.Designation{{Regime: "Lifted regime", Authority: "United Kingdom", ListedOn: pick(), DelistedOn: pick(), Sources: src("lifted")}}
				if e.Validate() == nil {
					break
				}
			}
		}
		es = append(es, e)
	}
	var ls []graph.Link
	for i := range m {
		a, b := rng.IntN(n), rng.IntN(n)
		if i > 0 && rng.IntN(15) == 0 {
			prev := ls[rng.IntN(len(ls))] // a parallel link
			a, _ = strconv.Atoi(strings.TrimPrefix(prev.Source, "company:own"))
			b, _ = strconv.Atoi(strings.TrimPrefix(prev.Target, "company:own"))
		}
		if a == b {
			continue
		}
		l := graph.Link{ID: fmt.Sprintf("link:own%03d", i), Type: graph.LinkOwns, Source: es[a].ID, Target: es[b].ID}
		if rng.IntN(8) != 0 {
			l.Properties = map[string]string{"percentage": strconv.Itoa(5 * (1 + rng.IntN(20)))}
		}
		switch rng.IntN(4) {
		case 0: // undated
		case 1:
			l.StartDate = pick()
		default:
			for {
				l.StartDate, l.EndDate = pick(), pick()
				if l.Validate() == nil {
					break
				}
			}
		}
		ls = append(ls, l)
	}
	return es, ls
}

// testDatedOwnership checks holdings, owners and sanctions ownership under
// asOf and during windows, by the store's road (analysis.HoldingsIn and
// the rest: one Cypher query on Neo4j, with the time filter inside) against
// the snapshot walked by the Go algorithm (analysis.Holdings and the rest
// over a snapshot taken under the same window), chains and figures alike;
// and every chain against the time rule's brute-force reference
// (RefOverlaps): its links in force, its designated owner designated then.
func testDatedOwnership(t *testing.T, s graph.Store) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(20261203, 17))
	es, ls := datedOwnershipGraph(rng)
	upsert(t, s, graph.Batch{Entities: es, Links: ls})
	byID := map[string]graph.Link{}
	for _, l := range ls {
		byID[l.ID] = l
	}
	owns := []graph.LinkType{graph.LinkOwns}
	inForce := func(what string, w graph.When, ps ...[]graph.Path) {
		t.Helper()
		for _, list := range ps {
			for _, p := range list {
				for _, l := range p.Links {
					if l.Type != graph.LinkOwns || !RefOverlaps(byID[l.ID].StartDate, byID[l.ID].EndDate, w) {
						t.Errorf("%s %+v: chain uses link %s (%s, %s..%s), not an OWNS link in force", what, w, l.ID, l.Type, l.StartDate, l.EndDate)
					}
				}
			}
		}
	}
	changed, listed := 0, 0
	for i := range 16 {
		w, id, minShare := randomWhen(rng), es[rng.IntN(len(es))].ID, float64(25*rng.IntN(2))
		sg, err := s.Snapshot(ctx, graph.SnapshotQuery{IDs: []string{id}, Depth: analysis.MaxOwnershipDepth, LinkTypes: owns, When: w})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what string
			walk func(context.Context, graph.Subgraph, string, float64) ([]analysis.Ownership, error)
			in   func(context.Context, graph.Store, string, analysis.OwnershipOptions) ([]analysis.Ownership, error)
		}{{"holdings", analysis.Holdings, analysis.HoldingsIn}, {"owners", analysis.Owners, analysis.OwnersIn}} {
			what := fmt.Sprintf("%s %d of %s (min %v)", c.what, i, id, minShare)
			want, err := c.walk(ctx, sg, id, minShare)
			if err != nil {
				t.Fatal(err)
			}
			got := SameOwnerships(t, fmt.Sprintf("%s %+v", what, w), want, func(o analysis.OwnershipOptions) ([]analysis.Ownership, error) {
				return c.in(ctx, s, id, o)
			}, analysis.OwnershipOptions{MinShare: minShare, When: w})
			for _, o := range got {
				inForce(what, w, o.Paths, o.Unknown)
			}
			always, err := c.in(ctx, s, id, analysis.OwnershipOptions{MinShare: minShare})
			if err != nil {
				t.Fatal(err)
			}
			if OwnershipFigures(always) != OwnershipFigures(got) {
				changed++
			}
			listed += len(got)
		}
	}
	for i := range 8 {
		w, combined, minShare := randomWhen(rng), i%2 == 1, float64(25*rng.IntN(2))
		if i == 0 {
			w = graph.When{}
		}
		whole, err := s.Snapshot(ctx, graph.SnapshotQuery{LinkTypes: owns, When: w})
		if err != nil {
			t.Fatal(err)
		}
		want, err := analysis.SanctionsOwnership(ctx, whole, minShare, combined, func(e graph.Entity) bool { return e.SanctionedUnder(w) })
		if err != nil {
			t.Fatal(err)
		}
		got, err := analysis.SanctionsOwnershipIn(ctx, s, combined, analysis.OwnershipOptions{MinShare: minShare, When: w, Chains: true})
		if err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("sanctionsOwnership %d (min %v, combined %v) %+v", i, minShare, combined, w)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the store's road differs from the snapshot's:\n got %s\nwant %s", what, FindingsText(got), FindingsText(want))
		}
		for _, f := range got {
			for _, o := range f.Owners {
				inForce(what, w, o.Paths, o.Unknown)
				designated := false
				for _, d := range o.Owner.Designations {
					designated = designated || RefOverlaps(d.ListedOn, d.DelistedOn, w)
				}
				if !designated {
					t.Errorf("%s: owner %s of %s is not designated then", what, o.Owner.ID, f.Asset.ID)
				}
			}
		}
		listed += len(got)
	}
	t.Logf("dated ownership: %d answers changed with the window, %d listed", changed, listed)
	if changed < 4 || listed < 40 {
		t.Errorf("%d answers changed with the window, %d listed; the test exercises too little", changed, listed)
	}
}
