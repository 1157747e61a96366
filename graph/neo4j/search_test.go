package neo4j_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestSearchManyCandidates searches a graph where a query has hundreds of
// full-text candidates (more than the batches of 100 search once ranked):
// the pages are the brute-force ranking's, totalCount is the brute-force
// count, paging lists every match once, and a page costs one statement for
// the candidates and one for the page's records. Then the same with the
// first statement's list cut at 7 candidates, so that every query but the
// rarest is ranked again from buckets of about 7 (a count and a statement
// a bucket more).
func TestSearchManyCandidates(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	for _, collected := range []int{0, 7} {
		t.Run(fmt.Sprintf("collected=%d", collected), func(t *testing.T) {
			neo4j.SetSearchCollected(s, collected)
			t.Cleanup(func() { neo4j.SetSearchCollected(s, 0) })
			testSearchManyCandidates(t, s, collected)
		})
	}
}

func testSearchManyCandidates(t *testing.T, s *neo4j.Store, collected int) {
	ctx := context.Background()
	trips := int64(2)
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
				cut := collected > 0 && len(want) > collected
				if n := s.RoundTrips() - before; !cut && n > trips {
					t.Errorf("%q: first page took %d queries, want at most %d (candidates, records)", c.text, n, trips)
				} else if cut && n < 5 {
					t.Errorf("%q: %d matches, %d collected, yet %d queries: the cut was not reached", c.text, len(want), collected, n)
				}
				before = s.RoundTrips()
				skip, err := s.Search(ctx, graph.SearchQuery{Text: c.text, Kinds: c.kinds, First: first, SkipTotal: true})
				if err != nil {
					t.Fatal(err)
				}
				if n := s.RoundTrips() - before; !cut && n > trips {
					t.Errorf("%q without totalCount: %d queries, want at most %d", c.text, n, trips)
				}
				if !slices.Equal(hitIDs(skip.Hits), hitIDs(res.Hits)) {
					t.Errorf("%q: the page changes with SkipTotal: %v vs %v", c.text, hitIDs(skip.Hits), hitIDs(res.Hits))
				}
			}
			for _, h := range res.Hits {
				if h.Score != wantScore[h.Entity.ID] {
					t.Errorf("%q: hit %s score %v, want %v", c.text, h.Entity.ID, h.Score, wantScore[h.Entity.ID])
				}
				if h.Entity.Name == "" {
					t.Errorf("%q: hit %s without its record", c.text, h.Entity.ID)
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
		// Every match listed once, in the brute-force order.
		if !slices.Equal(got, hitIDs(want)) {
			t.Errorf("%q: paging listed %d hits, want the %d matches in order", c.text, len(got), len(want))
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
