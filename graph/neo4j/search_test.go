package neo4j_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestSearchBeyondOneBatch searches a graph where a query has more
// full-text candidates than one batch (graph.SearchWindow): the page's
// scores are MatchScore's, the exact names come first, totalCount is the
// brute-force count, paging lists every match once, and a search costs the
// batch, the count (only when asked for) and the page's records.
func TestSearchBeyondOneBatch(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	es := []graph.Entity{
		{ID: "person:iva", Kind: graph.KindPerson, Name: "Iva"},
		{ID: "person:iva-petrova", Kind: graph.KindPerson, Name: "Iva Petrova"},
	}
	for i := range 250 {
		es = append(es, graph.Entity{ID: fmt.Sprintf("person:ivanov-%03d", i), Kind: graph.KindPerson, Name: fmt.Sprintf("Ivanov N%d", i)})
	}
	for i := range 30 {
		es = append(es, graph.Entity{ID: fmt.Sprintf("company:ivanko-%02d", i), Kind: graph.KindCompany, Name: fmt.Sprintf("Ivanko Trade %d", i)})
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: es}); err != nil {
		t.Fatal(err)
	}
	// brute is the documented ranking over every entity.
	brute := func(text string, kinds ...graph.Kind) []graph.SearchHit {
		var hits []graph.SearchHit
		for _, e := range es {
			if sc := graph.MatchScore(graph.FoldTokens(text), &e); sc > 0 && graph.KindSet(kinds).Has(e.Kind) {
				hits = append(hits, graph.SearchHit{Entity: e, Score: sc})
			}
		}
		page, err := graph.RankHits(hits, graph.MaxFirst, "")
		if err != nil {
			t.Fatal(err)
		}
		return hits[:page.TotalCount]
	}
	for _, c := range []struct {
		text  string
		kinds []graph.Kind
	}{{"iva", nil}, {"ivanvo", nil}, {"iva", []graph.Kind{graph.KindCompany}}, {"petrova", nil}} {
		want := brute(c.text, c.kinds...)
		if len(want) == 0 {
			t.Fatalf("%q matches nothing by brute force", c.text)
		}
		wantScore := map[string]float64{}
		for _, h := range want {
			wantScore[h.Entity.ID] = h.Score
		}
		first := 10
		if c.kinds != nil {
			first = 4
		}
		var got []string
		after := ""
		for page := 0; ; page++ {
			before := s.RoundTrips()
			res, err := s.Search(ctx, graph.SearchQuery{Text: c.text, Kinds: c.kinds, First: first, After: after})
			if err != nil {
				t.Fatalf("%q page %d: %v", c.text, page, err)
			}
			if page == 0 {
				if res.TotalCount != len(want) {
					t.Errorf("%q: totalCount %d, want %d", c.text, res.TotalCount, len(want))
				}
				strict := len(want) == 1 || want[0].Score > want[1].Score
				if strict && (len(res.Hits) == 0 || res.Hits[0].Entity.ID != want[0].Entity.ID) {
					t.Errorf("%q: first hit %v, want %s", c.text, hitIDs(res.Hits), want[0].Entity.ID)
				}
				// One batch serves a page unless a kind filter rejects most
				// candidates.
				if trips := s.RoundTrips() - before; c.kinds == nil && trips > 3 {
					t.Errorf("%q: first page took %d queries, want at most 3 (candidates, count, records)", c.text, trips)
				}
				before = s.RoundTrips()
				skip, err := s.Search(ctx, graph.SearchQuery{Text: c.text, Kinds: c.kinds, First: first, SkipTotal: true})
				if err != nil {
					t.Fatal(err)
				}
				if trips := s.RoundTrips() - before; c.kinds == nil && trips > 2 {
					t.Errorf("%q without totalCount: %d queries, want at most 2", c.text, trips)
				}
				if !slices.Equal(hitIDs(skip.Hits), hitIDs(res.Hits)) {
					t.Errorf("%q: the page changes with SkipTotal: %v vs %v", c.text, hitIDs(skip.Hits), hitIDs(res.Hits))
				}
			}
			for i, h := range res.Hits {
				if h.Score != wantScore[h.Entity.ID] {
					t.Errorf("%q: hit %s score %v, want %v", c.text, h.Entity.ID, h.Score, wantScore[h.Entity.ID])
				}
				if h.Entity.Name == "" {
					t.Errorf("%q: hit %s without its record", c.text, h.Entity.ID)
				}
				// Within a batch of candidates, MatchScore's order.
				if i > 0 {
					p := res.Hits[i-1]
					pc, err1 := graph.DecodeCursor(p.Cursor)
					hc, err2 := graph.DecodeCursor(h.Cursor)
					if err1 != nil || err2 != nil {
						t.Fatalf("%q: cursors %q %q: %v %v", c.text, p.Cursor, h.Cursor, err1, err2)
					}
					if pc.Batch > hc.Batch || pc.Batch == hc.Batch && (p.Score < h.Score || p.Score == h.Score && p.Entity.ID > h.Entity.ID) {
						t.Errorf("%q: %s (batch %d) before %s (batch %d) out of order", c.text, p.Entity.ID, pc.Batch, h.Entity.ID, hc.Batch)
					}
				}
				got = append(got, h.Entity.ID)
			}
			if !res.HasNextPage {
				break
			}
			if len(res.Hits) != first || page > len(want) {
				t.Fatalf("%q page %d: %d hits with a next page", c.text, page, len(res.Hits))
			}
			after = res.EndCursor
		}
		// Every match listed once, nothing else.
		wantIDs := hitIDs(want)
		slices.Sort(wantIDs)
		gotSorted := slices.Clone(got)
		slices.Sort(gotSorted)
		if !slices.Equal(gotSorted, wantIDs) {
			t.Errorf("%q: paging listed %d hits (%d distinct), want the %d matches", c.text, len(got), len(slices.Compact(slices.Clone(gotSorted))), len(wantIDs))
		}
	}
}

func hitIDs(hs []graph.SearchHit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Entity.ID
	}
	return out
}
