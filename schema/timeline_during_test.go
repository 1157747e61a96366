package schema

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest"
)

// timeline(ids, depth, during) through GraphQL on both stores, on a
// generated dated graph (link spells at every precision, some open, some
// undated; designations listed and delisted; births, incorporations and
// dissolutions), against a brute-force reading: the entities within depth
// of ids over the links in force in the window, and every dated fact of
// them and of the in-force links among them whose date overlaps the
// window, both by storetest.RefOverlaps. totalCount, the events (paged
// through) and the histogram at every period all keep to the window; a
// partial date covers its whole period and either bound may be open.
func TestTimelineDuring(t *testing.T) {
	b := datedGraph(rand.New(rand.NewPCG(18, 2026)))
	rng := rand.New(rand.NewPCG(13, 13))
	for i := range b.Entities {
		e := &b.Entities[i]
		year := 1950 + rng.IntN(70)
		switch {
		case e.Kind == graph.KindPerson && rng.IntN(3) > 0:
			e.Properties = map[string]string{"birthDate": []string{fmt.Sprint(year), fmt.Sprintf("%d-%02d", year, 1+rng.IntN(12)), fmt.Sprintf("%d-%02d-%02d", year, 1+rng.IntN(12), 1+rng.IntN(28))}[rng.IntN(3)]}
		case e.Kind == graph.KindCompany && rng.IntN(3) > 0:
			e.Properties = map[string]string{"incorporationDate": fmt.Sprintf("%d-%02d", 2010+rng.IntN(6), 1+rng.IntN(12))}
			if rng.IntN(2) == 0 {
				e.Properties["dissolutionDate"] = fmt.Sprint(2017 + rng.IntN(8))
			}
		}
	}
	windows := []graph.DateRange{
		{},
		{From: "2019"},
		{To: "2016-06"},
		{From: "2017-03", To: "2019"},
		{From: "2020-02-29", To: "2020-02-29"},
		{From: "2015-01-01", To: "2022-12"},
		{From: "1960", To: "1979"},
	}
	queries := []struct {
		ids   []string
		depth int
	}{
		{[]string{"organization:dated-0"}, 1},
		{[]string{"person:dated-01", "company:dated-02"}, 0},
		{[]string{"person:dated-05"}, 2},
		{[]string{"organization:dated-1", "organization:dated-2"}, 1},
	}
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		if err := srv.store.Store.Upsert(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		checked, narrowed := 0, 0
		for _, q := range queries {
			all := -1
			for _, win := range windows {
				what := fmt.Sprintf("timeline(%v, depth %d, during %+v)", q.ids, q.depth, win)
				want := refTimelineEvents(b, q.ids, q.depth, graph.When{During: win})
				got, total := pagedTimeline(t, srv, q.ids, q.depth, win)
				if total != len(want) {
					t.Errorf("%s: totalCount %d, want %d", what, total, len(want))
				}
				if g, w := sortedCopy(got), sortedCopy(want); !slices.Equal(g, w) {
					t.Errorf("%s: events\n got  %q\n want %q", what, g, w)
				}
				// In date order: by first day.
				for i := 1; i < len(got); i++ {
					if firstDay(t, got[i]).Before(firstDay(t, got[i-1])) {
						t.Errorf("%s: %q listed after %q", what, got[i], got[i-1])
					}
				}
				for _, by := range []struct {
					period string
					width  int
				}{{"YEAR", 4}, {"MONTH", 7}, {"DAY", 10}} {
					if g, w := apiHistogram(t, srv, q.ids, q.depth, win, by.period), refHistogram(t, want, by.width); g != w {
						t.Errorf("%s: histogram by %s\n got  %s\n want %s", what, by.period, g, w)
					}
				}
				if win == (graph.DateRange{}) {
					all = len(want)
				} else if len(want) < all {
					narrowed++
				}
				checked += len(want)
			}
		}
		// The test means something: events were found, and windows left some out.
		t.Logf("%d events checked; %d of %d windows narrowed the timeline", checked, narrowed, len(queries)*(len(windows)-1))
		if checked < 100 || narrowed < 10 {
			t.Errorf("only %d events checked, %d windows narrowing the timeline", checked, narrowed)
		}
	})
}

// refTimelineEvents lists the events of the timeline as "date KIND key"
// (key: the link id, the entity id, or the entity id with the regime of
// its designation), by brute force over the batch.
func refTimelineEvents(b graph.Batch, ids []string, depth int, w graph.When) []string {
	inForce := func(l graph.Link) bool { return storetest.RefOverlaps(l.StartDate, l.EndDate, w) }
	near := map[string]bool{}
	frontier := slices.Clone(ids)
	for _, id := range ids {
		near[id] = true
	}
	for range depth {
		var next []string
		for _, id := range frontier {
			for _, l := range b.Links {
				if !inForce(l) {
					continue
				}
				for _, pair := range [][2]string{{l.Source, l.Target}, {l.Target, l.Source}} {
					if pair[0] == id && !near[pair[1]] {
						near[pair[1]] = true
						next = append(next, pair[1])
					}
				}
			}
		}
		frontier = next
	}
	out := []string{}
	add := func(date, kind, key string) {
		if date != "" && storetest.RefOverlaps(date, date, w) {
			out = append(out, date+" "+kind+" "+key)
		}
	}
	for _, e := range b.Entities {
		if !near[e.ID] {
			continue
		}
		add(e.Properties["birthDate"], "BORN", e.ID)
		add(e.Properties["incorporationDate"], "INCORPORATED", e.ID)
		add(e.Properties["dissolutionDate"], "DISSOLVED", e.ID)
		for _, d := range e.Designations {
			add(d.ListedOn, "DESIGNATED", e.ID+" "+d.Regime)
			add(d.DelistedOn, "DELISTED", e.ID+" "+d.Regime)
		}
	}
	for _, l := range b.Links {
		if near[l.Source] && near[l.Target] && inForce(l) {
			add(l.StartDate, "LINK_STARTED", l.ID)
			add(l.EndDate, "LINK_ENDED", l.ID)
		}
	}
	return out
}

func timelineArgsText(ids []string, depth int, win graph.DateRange) string {
	var during []string
	if win.From != "" {
		during = append(during, fmt.Sprintf("from: %q", win.From))
	}
	if win.To != "" {
		during = append(during, fmt.Sprintf("to: %q", win.To))
	}
	arg := fmt.Sprintf(`ids: ["%s"], depth: %d`, strings.Join(ids, `", "`), depth)
	if len(during) > 0 {
		arg += ", during: {" + strings.Join(during, ", ") + "}"
	}
	return arg
}

// pagedTimeline reads every event of the timeline, 7 a page, as "date
// KIND key", and the totalCount of the first page.
func pagedTimeline(t *testing.T, srv *server, ids []string, depth int, win graph.DateRange) ([]string, int) {
	t.Helper()
	type page struct {
		Timeline struct {
			TotalCount int
			Events     []struct {
				Date, Kind  string
				Entity      *struct{ ID string }
				Link        *struct{ ID string }
				Designation *struct{ Regime string }
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
		}
	}
	var out []string
	total := -1
	after := ""
	for range 1000 {
		res := srv.post(fmt.Sprintf(`query($after: String) { timeline(%s, first: 7, after: $after) {
			totalCount events { date kind entity { id } link { id } designation { regime } } pageInfo { hasNextPage endCursor } } }`,
			timelineArgsText(ids, depth, win)), map[string]any{"after": after})
		p := decode[page](t, res).Timeline
		if total < 0 {
			total = p.TotalCount
		}
		for _, e := range p.Events {
			key := ""
			switch {
			case e.Link != nil:
				key = e.Link.ID
			case e.Designation != nil && e.Entity != nil:
				key = e.Entity.ID + " " + e.Designation.Regime
			case e.Entity != nil:
				key = e.Entity.ID
			}
			out = append(out, e.Date+" "+e.Kind+" "+key)
		}
		if !p.PageInfo.HasNextPage {
			return out, total
		}
		after = p.PageInfo.EndCursor
	}
	t.Fatal("the timeline did not end in 1000 pages")
	return nil, 0
}

// apiHistogram is the timeline's histogram by period, as "start:count ...".
func apiHistogram(t *testing.T, srv *server, ids []string, depth int, win graph.DateRange, by string) string {
	t.Helper()
	res := srv.post(fmt.Sprintf(`{ timeline(%s, first: 1) { histogram(by: %s) { start count } } }`, timelineArgsText(ids, depth, win), by), nil)
	var parts []string
	for _, b := range decode[struct {
		Timeline struct {
			Histogram []struct {
				Start string
				Count int
			}
		}
	}](t, res).Timeline.Histogram {
		parts = append(parts, fmt.Sprintf("%s:%d", b.Start, b.Count))
	}
	return strings.Join(parts, " ")
}

// refHistogram counts the events by the first width characters of their
// first day, in date order.
func refHistogram(t *testing.T, events []string, width int) string {
	t.Helper()
	counts := map[string]int{}
	for _, e := range events {
		counts[firstDay(t, e).Format(time.DateOnly)[:width]]++
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s:%d", k, counts[k]))
	}
	return strings.Join(parts, " ")
}

// firstDay is the first day of an event's date ("date KIND key").
func firstDay(t *testing.T, event string) time.Time {
	t.Helper()
	date, _, _ := strings.Cut(event, " ")
	layout := map[int]string{4: "2006", 7: "2006-01", 10: time.DateOnly}[len(date)]
	d, err := time.Parse(layout, date)
	if err != nil {
		t.Fatalf("event %q: %v", event, err)
	}
	return d
}

func sortedCopy(s []string) []string { return slices.Sorted(slices.Values(s)) }
