package storetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
)

// The time reference works on time.Time days from the date text alone,
// without graph's Day, Span or When: a partial date covers every day whose
// ISO text starts with it.

// refDays returns the first and last day a date covers; ok is false for "".
func refDays(date string) (first, last time.Time, ok bool) {
	switch len(date) {
	case 4:
		first, _ = time.Parse("2006", date)
		return first, first.AddDate(1, 0, -1), true
	case 7:
		first, _ = time.Parse("2006-01", date)
		return first, first.AddDate(0, 1, -1), true
	case 10:
		first, _ = time.Parse(time.DateOnly, date)
		return first, first, true
	}
	return time.Time{}, time.Time{}, false
}

// refWindow is a query's window as days; a zero time is an open end.
type refWindow struct{ from, to time.Time }

func refWindowOf(w graph.When) (refWindow, bool) {
	if w.AsOf != "" {
		f, l, _ := refDays(w.AsOf)
		return refWindow{f, l}, true
	}
	if w.During.From == "" && w.During.To == "" {
		return refWindow{}, false
	}
	var r refWindow
	if f, _, ok := refDays(w.During.From); ok {
		r.from = f
	}
	if _, l, ok := refDays(w.During.To); ok {
		r.to = l
	}
	return r, true
}

// RefOverlaps is the brute-force reference of graph's time rule, exported
// so that other packages' tests check against the same one: something from
// start to end (either "" for unknown) shares a day with the window, literally: its start (if known) begins no later
// than the window ends (if it does), and its end (if known) ends no
// earlier than the window begins (if it does).
func RefOverlaps(start, end string, w graph.When) bool {
	win, ok := refWindowOf(w)
	if !ok {
		return true
	}
	if s, _, known := refDays(start); known && !win.to.IsZero() && s.After(win.to) {
		return false
	}
	if _, e, known := refDays(end); known && !win.from.IsZero() && e.Before(win.from) {
		return false
	}
	return true
}

func refInForce(ls []graph.Link, w graph.When) []graph.Link {
	var out []graph.Link
	for _, l := range ls {
		if RefOverlaps(l.StartDate, l.EndDate, w) {
			out = append(out, l)
		}
	}
	return out
}

// refChronological: every link dated, each starting (by its first day) no
// earlier than the one before it.
func refChronological(byID map[string]graph.Link, path []string) bool {
	var prev time.Time
	for i, id := range path {
		s, _, ok := refDays(byID[id].StartDate)
		if !ok || (i > 0 && s.Before(prev)) {
			return false
		}
		prev = s
	}
	return true
}

// datePool is a few dates at every precision, overlapping and equal, so
// random links share start days and end on the day others begin.
var datePool = []string{
	"2018", "2019", "2019-03", "2019-03-01", "2019-03-31", "2019-12", "2019-12-31",
	"2020", "2020-01", "2020-01-01", "2020-06-15", "2020-06", "2021", "2021-02-28",
}

// randomTemporalGraph is randomGraph with dates: about a fifth of links
// undated, some with a start only (open-ended), some with an end only, the
// rest with both (end not before start); some entities designated, some
// delisted, and some with FtM dates.
func randomTemporalGraph(rng *rand.Rand, n, m int) ([]graph.Entity, []graph.Link) {
	es, ls := randomGraph(rng, n, m)
	pick := func() string { return datePool[rng.IntN(len(datePool))] }
	for i := range ls {
		l := &ls[i]
		switch rng.IntN(5) {
		case 0: // undated
		case 1:
			l.StartDate = pick()
		case 2:
			l.EndDate = pick()
		default:
			for {
				l.StartDate, l.EndDate = pick(), pick()
				if l.Validate() == nil {
					break
				}
			}
		}
	}
	for i := range es {
		e := &es[i]
		switch rng.IntN(4) {
		case 0:
			e.Designations = []graph.Designation{{Regime: "Global Irregular Migration", Authority: "United Kingdom",
				ListedOn: pick(), Sources: src("designated")}}
		case 1:
			for {
				d := graph.Designation{Regime: "Old regime", Authority: "United Kingdom", ListedOn: pick(), DelistedOn: pick(), Sources: src("delisted")}
				e.Designations = []graph.Designation{d}
				if e.Validate() == nil {
					break
				}
			}
			if rng.IntN(2) == 0 {
				e.Designations = append(e.Designations, graph.Designation{Regime: "Undated", Authority: "United Nations", Sources: src("undated")})
			}
		}
		switch {
		case e.Kind == graph.KindPerson && rng.IntN(2) == 0:
			e.Properties = map[string]string{"birthDate": pick()}
		case e.Kind == graph.KindCompany && rng.IntN(2) == 0:
			e.Properties = map[string]string{"incorporationDate": pick(), "dissolutionDate": "2021"}
		}
	}
	return es, ls
}

// randomWhen is no restriction, a date at some precision, or a window with
// one or both bounds (possibly outside every link's dates).
func randomWhen(rng *rand.Rand) graph.When {
	pick := func() string { return append(slices.Clone(datePool), "2017-05", "2022")[rng.IntN(len(datePool)+2)] }
	switch rng.IntN(5) {
	case 0:
		return graph.When{}
	case 1, 2:
		return graph.When{AsOf: pick()}
	}
	for {
		w := graph.When{During: graph.DateRange{From: pick(), To: pick()}}
		switch rng.IntN(3) {
		case 0:
			w.During.From = ""
		case 1:
			w.During.To = ""
		}
		if w.Check("test") == nil {
			return w
		}
	}
}

func testTemporal(t *testing.T, open Opener) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(20250722, 7))
	es, ls := randomTemporalGraph(rng, 250, 650)
	s := open(t)
	upsert(t, s, graph.Batch{Entities: es, Links: ls})
	byID := map[string]graph.Link{}
	for _, l := range ls {
		byID[l.ID] = l
	}
	types := []graph.LinkType{graph.LinkMemberOf, graph.LinkAssociateOf, graph.LinkOwns, graph.LinkFamilyOf}
	anyID := func() string { return es[rng.IntN(len(es))].ID }
	refAt := func(w graph.When) *refGraph { return newRefGraph(es, refInForce(ls, w)) }

	t.Run("Neighborhood", func(t *testing.T) {
		differs := 0
		for i := range 40 {
			q := graph.NeighborhoodQuery{ID: anyID(), Depth: 1 + rng.IntN(3), LinkTypes: randomSubset(rng, types, 3),
				Limit: []int{0, 0, 12}[rng.IntN(3)], When: randomWhen(rng)}
			if i%3 == 0 {
				q.ID = es[rng.IntN(8)].ID
			}
			nodes, links, truncated := refAt(q.When).neighborhood(q)
			if all, _, _ := newRefGraph(es, ls).neighborhood(q); len(all) != len(nodes) {
				differs++
			}
			checkNeighborhood(t, s, fmt.Sprintf("query %d", i), q, nodes, links, truncated)
		}
		if differs < 10 {
			t.Errorf("only %d of 40 time filters changed the neighbourhood; the test exercises too little", differs)
		}
	})

	t.Run("Paths", func(t *testing.T) {
		nonEmpty, chrono := 0, 0
		for i := range 40 {
			q := graph.PathQuery{From: es[rng.IntN(40)].ID, MaxHops: 2 + rng.IntN(4), Limit: 1 + rng.IntN(12),
				Chronological: rng.IntN(2) == 0, When: randomWhen(rng)}
			ref := refAt(q.When)
			if q.Chronological {
				ref.pathOK = func(p []string) bool { return refChronological(byID, p) }
			}
			reach := ref.distances([]string{q.From}, q.MaxHops, nil, nil)
			near := reachedFrom(reach, q.From)
			if len(near) > 0 && rng.IntN(5) > 0 {
				q.To = near[rng.IntN(len(near))]
				// A chronological path of several links is rare between
				// random ends: look for a target that has one.
				for try := 0; q.Chronological && try < 12; try++ {
					c := near[rng.IntN(len(near))]
					if reach[c] < 2 {
						continue
					}
					probe := q
					probe.To = c
					if ps := ref.paths(probe); len(ps) > 0 && len(ps[len(ps)-1]) > 1 {
						q.To = c
						break
					}
				}
			} else {
				for q.To = anyID(); q.To == q.From; q.To = anyID() {
				}
			}
			want := ref.paths(q)
			if len(want) > 0 {
				nonEmpty++
				if q.Chronological && len(want[len(want)-1]) > 1 {
					chrono++
				}
			}
			got, err := s.Paths(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			eqPaths(t, fmt.Sprintf("query %d %+v", i, q), got, want)
		}
		if nonEmpty < 12 || chrono < 4 {
			t.Errorf("%d of 40 path queries had answers, %d chronological ones longer than a link; too few", nonEmpty, chrono)
		}
	})

	t.Run("SharedAssociates", func(t *testing.T) {
		for i := range 25 {
			q := graph.SharedQuery{IDs: []string{es[rng.IntN(8)].ID, anyID()}, Depth: 1 + rng.IntN(2), When: randomWhen(rng)}
			if q.IDs[0] == q.IDs[1] {
				continue
			}
			want := refAt(q.When).shared(q)
			got, err := s.SharedAssociates(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			eqStrings(t, fmt.Sprintf("query %d %+v", i, q), entityIDs(got), want)
		}
	})

	t.Run("Snapshot", func(t *testing.T) {
		for i := range 12 {
			q := graph.SnapshotQuery{IDs: []string{anyID(), anyID()}, Depth: rng.IntN(3), LinkTypes: randomSubset(rng, types, 2), When: randomWhen(rng)}
			if i == 0 {
				q.IDs = nil
			}
			q.IDs = slices.Compact(q.IDs)
			ref := refAt(q.When)
			var nodes, links []string
			if len(q.IDs) == 0 {
				for _, e := range es {
					nodes = append(nodes, e.ID)
				}
				slices.Sort(nodes)
				all := map[string]int{}
				for _, n := range nodes {
					all[n] = 0
				}
				links = ref.linksAmong(all, q.LinkTypes)
			} else {
				nodes, links = ref.snapshot(q)
			}
			got, err := s.Snapshot(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			what := fmt.Sprintf("query %d %+v", i, q)
			eqSubgraph(t, what, got, nodes, links)
		}
	})

	t.Run("LinksOfAndDegrees", func(t *testing.T) {
		var ids []string
		for _, e := range es[:60] {
			ids = append(ids, e.ID)
		}
		for range 6 {
			w := randomWhen(rng)
			ref := refAt(w)
			deg, err := s.Degrees(ctx, ids, w)
			if err != nil {
				t.Fatal(err)
			}
			links, err := s.LinksOf(ctx, ids, nil, graph.DirectionBoth, w)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				var want []string
				for _, l := range ref.adj[id] {
					want = append(want, l.ID)
				}
				eqStrings(t, fmt.Sprintf("links of %s %+v", id, w), linkIDs(links[id]), want)
				if deg[id] != len(want) {
					t.Errorf("degree of %s %+v = %d, want %d", id, w, deg[id], len(want))
				}
			}
		}
	})

	t.Run("Exposure", func(t *testing.T) {
		// Both roads: the store's own (analysis.SanctionsExposureIn, one
		// query on Neo4j) and a snapshot walked in Go. The reference: who
		// is within hops over the links of the types in force, which of
		// their designations are in force, and, by exhaustive enumeration,
		// the shortest path with the least link ids element by element.
		found, longer := 0, 0
		for i := range 30 {
			w := randomWhen(rng)
			from, hops := anyID(), 1+rng.IntN(3)
			var lt []graph.LinkType
			if i%3 == 2 {
				lt = randomSubset(rng, types, 2)
			}
			ref := refAt(w)
			dist := ref.distances([]string{from}, hops, lt, nil)
			var want []string
			for _, e := range es {
				if _, near := dist[e.ID]; !near || e.ID == from {
					continue
				}
				var path []string
				for j, d := range e.Designations {
					if !RefOverlaps(d.ListedOn, d.DelistedOn, w) {
						continue
					}
					if path == nil {
						ps := ref.paths(graph.PathQuery{From: from, To: e.ID, MaxHops: dist[e.ID], Limit: 1, LinkTypes: lt})
						if len(ps) != 1 || len(ps[0]) != dist[e.ID] {
							t.Fatalf("reference: no shortest path %s -> %s", from, e.ID)
						}
						path = ps[0]
					}
					want = append(want, fmt.Sprintf("%d %s #%d %s", dist[e.ID], e.ID, j, strings.Join(path, ",")))
				}
			}
			slices.Sort(want)
			sg, err := s.Snapshot(ctx, graph.SnapshotQuery{IDs: []string{from}, Depth: hops, LinkTypes: lt, When: w})
			if err != nil {
				t.Fatal(err)
			}
			walked, err := analysis.SanctionsExposure(ctx, sg, from, hops, lt, w)
			if err != nil {
				t.Fatal(err)
			}
			direct, err := analysis.SanctionsExposureIn(ctx, s, graph.ExposureQuery{ID: from, MaxHops: hops, LinkTypes: lt, When: w})
			if err != nil {
				t.Fatal(err)
			}
			// A partial selection changes no path (names only, and the
			// designations the answer is made of).
			slim, err := analysis.SanctionsExposureIn(ctx, s, graph.ExposureQuery{ID: from, MaxHops: hops, LinkTypes: lt, When: w,
				Select: graph.Selection{Partial: true, Entity: graph.EntityName}})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range slim {
				if x.Entity.Name == "" || len(x.Entity.Designations) == 0 {
					t.Errorf("exposure %d selecting names: %s has name %q and %d designations", i, x.Entity.ID, x.Entity.Name, len(x.Entity.Designations))
				}
			}
			for road, got := range map[string][]analysis.Exposure{"snapshot": walked, "store": direct, "store, names only": slim} {
				var have []string
				for _, x := range got {
					j := slices.IndexFunc(x.Entity.Designations, func(d graph.Designation) bool { return d.Regime == x.Designation.Regime })
					var ids []string
					for k, l := range x.Path.Links {
						ids = append(ids, l.ID)
						if !RefOverlaps(l.StartDate, l.EndDate, w) {
							t.Errorf("exposure %d %+v (%s): path uses link %s (%s..%s) not in force", i, w, road, l.ID, l.StartDate, l.EndDate)
						}
						if a, b := x.Path.Nodes[k].ID, x.Path.Nodes[k+1].ID; !(l.Source == a && l.Target == b) && !(l.Source == b && l.Target == a) {
							t.Errorf("exposure %d (%s): link %s does not join %s and %s", i, road, l.ID, a, b)
						}
					}
					if n := len(x.Path.Nodes); n == 0 || x.Path.Nodes[0].ID != from || x.Path.Nodes[n-1].ID != x.Entity.ID {
						t.Errorf("exposure %d (%s): path to %s does not run from %s to it", i, road, x.Entity.ID, from)
					}
					have = append(have, fmt.Sprintf("%d %s #%d %s", x.Path.Length(), x.Entity.ID, j, strings.Join(ids, ",")))
				}
				// The answer's own order: path length, entity id, designation.
				if !slices.IsSortedFunc(got, func(a, b analysis.Exposure) int {
					return cmp.Or(cmp.Compare(a.Path.Length(), b.Path.Length()), strings.Compare(a.Entity.ID, b.Entity.ID))
				}) {
					t.Errorf("exposure %d (%s): not ordered by path length, then entity id", i, road)
				}
				slices.Sort(have)
				eqStrings(t, fmt.Sprintf("exposure %d from %s %d hops %v %+v (%s)", i, from, hops, lt, w, road), have, want)
			}
			found += len(want)
			for _, x := range want {
				if x[0] > '1' {
					longer++
				}
			}
		}
		if found < 20 || longer < 10 {
			t.Errorf("only %d exposures in 30 queries, %d over more than one link; the test exercises too little", found, longer)
		}
		if _, err := analysis.SanctionsExposureIn(ctx, s, graph.ExposureQuery{ID: "person:nobody-here", MaxHops: 2}); !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("exposure of an unknown entity: %v, want ErrNotFound", err)
		}
		if _, err := analysis.SanctionsExposureIn(ctx, s, graph.ExposureQuery{ID: anyID(), MaxHops: graph.MaxHops + 1}); !errors.Is(err, graph.ErrTooComplex) {
			t.Errorf("exposure over %d hops: %v, want ErrTooComplex", graph.MaxHops+1, err)
		}
	})

	t.Run("Timeline", func(t *testing.T) {
		for i := range 12 {
			w := graph.When{During: randomWhen(rng).During}
			ids := []string{anyID(), es[rng.IntN(8)].ID}
			depth := rng.IntN(3)
			sg, err := s.Snapshot(ctx, graph.SnapshotQuery{IDs: ids, Depth: depth, When: w})
			if err != nil {
				t.Fatal(err)
			}
			got := analysis.Events(sg, w)
			want := refTimeline(es, refAt(w), ids, depth, w)
			var have []string
			for _, e := range got {
				have = append(have, e.Date.Text+" "+string(e.Kind)+" "+e.Key)
			}
			what := fmt.Sprintf("timeline %d of %v depth %d %+v", i, ids, depth, w)
			eqStrings(t, what, have, want)
			// Paging through it in small pages gives the same events.
			var paged []string
			after := ""
			for {
				page, more, err := analysis.Page(got, 7, after)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range page {
					paged = append(paged, e.Date.Text+" "+string(e.Kind)+" "+e.Key)
				}
				if !more {
					break
				}
				after = page[len(page)-1].Cursor()
			}
			eqStrings(t, what+" paged", paged, want)
			// The monthly histogram counts every event once.
			buckets, err := analysis.Histogram(got, analysis.PeriodMonth)
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, b := range buckets {
				total += b.Count
			}
			if total != len(want) {
				t.Errorf("%s: histogram counts %d events, want %d", what, total, len(want))
			}
		}
	})

	// Last: it adds an ownership network of its own to the store.
	t.Run("Ownership", func(t *testing.T) { testDatedOwnership(t, s) })
}

// refTimeline lists, as "date KIND key", the events of the entities within
// depth of ids over ref's links (those in force in w) and of the links
// among them, whose dates overlap w, sorted by first day, last day, kind
// (in analysis's order) and key.
func refTimeline(es []graph.Entity, ref *refGraph, ids []string, depth int, w graph.When) []string {
	near := ref.distances(ids, depth, nil, nil)
	type ev struct {
		date, kind, key string
	}
	var evs []ev
	add := func(date, kind, key string) {
		if date != "" && RefOverlaps(date, date, w) {
			evs = append(evs, ev{date, kind, key})
		}
	}
	for _, e := range es {
		if _, ok := near[e.ID]; !ok {
			continue
		}
		add(e.Properties["birthDate"], "BORN", e.ID)
		add(e.Properties["incorporationDate"], "INCORPORATED", e.ID)
		add(e.Properties["dissolutionDate"], "DISSOLVED", e.ID)
		for j, d := range e.Designations {
			add(d.ListedOn, "DESIGNATED", fmt.Sprintf("%s#%d", e.ID, j))
			add(d.DelistedOn, "DELISTED", fmt.Sprintf("%s#%d", e.ID, j))
		}
	}
	for _, id := range ref.linksAmong(near, nil) {
		for _, l := range ref.links {
			if l.ID == id {
				add(l.StartDate, "LINK_STARTED", l.ID)
				add(l.EndDate, "LINK_ENDED", l.ID)
			}
		}
	}
	rank := []string{"BORN", "INCORPORATED", "LINK_STARTED", "DESIGNATED", "DELISTED", "LINK_ENDED", "DISSOLVED"}
	slices.SortFunc(evs, func(a, b ev) int {
		af, al, _ := refDays(a.date)
		bf, bl, _ := refDays(b.date)
		return cmp.Or(af.Compare(bf), al.Compare(bl), cmp.Compare(slices.Index(rank, a.kind), slices.Index(rank, b.kind)), strings.Compare(a.key, b.key))
	})
	out := []string{}
	for _, e := range evs {
		out = append(out, e.date+" "+e.kind+" "+e.key)
	}
	return out
}
