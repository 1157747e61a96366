package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
)

// testLinkColumns: a neighbourhood asked with graph.Selection.LinkColumns
// is the neighbourhood asked without it, its links as columns or as
// records (a store may give either), the columns holding what the
// selection reads; a selection reading more of the links than the
// columns hold gets records. Random graphs with hubs, self-links,
// parallel links, ids of their own and derived ones, dated links; depths
// 0-3, type and kind filters, cuts, as-of dates.
func testLinkColumns(t *testing.T, open Opener) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(20261204, 17))
	es, ls := randomGraph(rng, 300, 900)
	dates := [][2]string{{"", ""}, {"2010", "2014-06"}, {"2012-03-01", ""}, {"", "2011-12-31"}, {"2013-05", "2013-05"}}
	for i := range ls {
		d := dates[rng.IntN(len(dates))]
		ls[i].StartDate, ls[i].EndDate = d[0], d[1]
		if i%2 == 0 {
			ls[i].ID = graph.LinkID(ls[i].Type, ls[i].Source, ls[i].Target, ls[i].Role)
		}
	}
	ls = uniqueLinks(ls)
	s := open(t)
	upsert(t, s, graph.Batch{Entities: es, Links: ls})
	types := []graph.LinkType{graph.LinkMemberOf, graph.LinkAssociateOf, graph.LinkOwns, graph.LinkFamilyOf}
	sels := []graph.Selection{
		{Partial: true, LinkIDsOnly: true, NoKinds: true},
		{Partial: true, LinkIDsOnly: true},
		{Partial: true, Entity: graph.EntityName},
		{Partial: true, Entity: graph.EntityName | graph.EntityAliases, NoKinds: true},
		{Partial: true, Link: graph.LinkRole | graph.LinkDates},
		{Partial: true, LinkIDsOnly: true, Link: graph.LinkDescription},
	}
	columns, nodeColumns := 0, 0
	for i := range 60 {
		q := graph.NeighborhoodQuery{
			ID:    es[rng.IntN(len(es))].ID,
			Depth: rng.IntN(4),
			Limit: []int{0, 0, 5, 25, 120}[rng.IntN(5)],
		}
		if i%2 == 0 {
			q.ID = es[rng.IntN(8)].ID // a hub
		}
		if rng.IntN(3) == 0 {
			q.LinkTypes = randomSubset(rng, types, 2)
		}
		if rng.IntN(4) == 0 {
			q.Kinds = randomSubset(rng, graph.Kinds, 2)
		}
		switch rng.IntN(3) {
		case 0:
			q.When.AsOf = []string{"2011-06-30", "2013-05-15", "2016-01-01"}[rng.IntN(3)]
		case 1:
			q.When.During = graph.DateRange{From: "2012", To: "2013-06"}
		}
		sel := sels[rng.IntN(len(sels))]
		q.Select = sel
		what := fmt.Sprintf("query %d %+v", i, q)
		want, err := s.Neighborhood(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if want.LinkColumns != nil {
			t.Fatalf("%s: link columns given unasked", what)
		}
		q.Select.LinkColumns, q.Select.NodeColumns = true, true
		got, err := s.Neighborhood(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got.Truncated != want.Truncated {
			t.Errorf("%s: truncation differs with columns asked", what)
		}
		if got.NodeColumns != nil && len(got.NodeColumns.IDs) > 0 {
			nodeColumns++
		}
		checkEntityColumns(t, what, q.Select, got, want.Nodes)
		c := got.LinkColumns
		if c == nil {
			if !reflect.DeepEqual(got.Links, want.Links) {
				t.Errorf("%s: links differ with columns asked", what)
			}
			continue
		}
		if !q.Select.LinkColumnar() {
			t.Errorf("%s: columns given for a selection they do not hold (%+v)", what, q.Select)
		}
		if len(got.Links) > 0 {
			t.Errorf("%s: both columns and %d records", what, len(got.Links))
		}
		if len(c.IDs) > 0 {
			columns++
		}
		ends := sel.LinkEnds()
		if n := len(c.IDs); ends && (len(c.Types) != n || len(c.Sources) != n || len(c.Targets) != n) ||
			!ends && (len(c.Types) != 0 || len(c.Sources) != 0 || len(c.Targets) != 0) {
			t.Fatalf("%s: columns of lengths %d, %d, %d, %d (ends %v)", what, n, len(c.Types), len(c.Sources), len(c.Targets), ends)
		}
		if len(c.IDs) != len(want.Links) {
			t.Errorf("%s: %d links as columns, %d as records", what, len(c.IDs), len(want.Links))
			continue
		}
		for j, l := range want.Links {
			if c.IDs[j] != l.ID || ends && (c.Types[j] != l.Type || c.Sources[j] != l.Source || c.Targets[j] != l.Target) {
				t.Errorf("%s: link %d is %+v as columns, %+v as a record", what, j, c.Link(j), l)
				break
			}
		}
	}
	t.Logf("%d of 60 answers had links as columns, %d nodes", columns, nodeColumns)
}

// checkEntityColumns: got's nodes, asked with sel, as columns or records,
// are want, the columns holding what sel reads.
func checkEntityColumns(t *testing.T, what string, sel graph.Selection, got graph.Subgraph, want []graph.Entity) {
	t.Helper()
	c := got.NodeColumns
	if c == nil {
		if !reflect.DeepEqual(got.Nodes, want) {
			t.Errorf("%s: nodes differ with columns asked", what)
		}
		return
	}
	if !sel.NodeColumnar() {
		t.Errorf("%s: node columns given for a selection they do not hold (%+v)", what, sel)
	}
	if len(got.Nodes) > 0 {
		t.Errorf("%s: both node columns and %d records", what, len(got.Nodes))
	}
	kinds, names := sel.Kinds(), sel.HasEntity(graph.EntityName)
	n := len(c.IDs)
	if kinds && len(c.Kinds) != n || !kinds && len(c.Kinds) != 0 || names && len(c.Names) != n || !names && len(c.Names) != 0 {
		t.Fatalf("%s: node columns of lengths %d, %d, %d (kinds %v, names %v)", what, n, len(c.Kinds), len(c.Names), kinds, names)
	}
	if n != len(want) {
		t.Errorf("%s: %d nodes as columns, %d as records", what, n, len(want))
		return
	}
	for j, e := range want {
		if c.IDs[j] != e.ID || kinds && c.Kinds[j] != e.Kind || names && c.Names[j] != e.Name {
			t.Errorf("%s: node %d is %+v as columns, %s %s %q as a record", what, j, c.Entity(j), e.ID, e.Kind, e.Name)
			return
		}
	}
}

// uniqueLinks drops the later links of an id listed twice (a derived id
// can repeat where the random ones did not).
func uniqueLinks(ls []graph.Link) []graph.Link {
	seen := map[string]bool{}
	out := ls[:0]
	for _, l := range ls {
		if !seen[l.ID] {
			seen[l.ID] = true
			out = append(out, l)
		}
	}
	return out
}
