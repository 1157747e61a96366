package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
)

// searchCrowd is how many entities share the one name token of
// testSearchCrowded: more than twice the candidates the Neo4j store once
// took from its full-text index's ranking for a page of ten (100 a batch),
// so that a store ranking only a cut of an index's ranking is caught.
const searchCrowd = 250

// testSearchCrowded: a token that many entities share, where the hits
// MatchScore ranks first are the ones a full-text index scores lowest.
// The crowd's names are the token alone, written first; the best hits
// have the same name (so the same score, and lower ids, which decide
// ties) but long aliases (a longer document, which a BM25 index scores
// lower) and are written last (a later document, last among an index's
// equal scores, as a prefix query's are). The oracle is the documented
// ranking over every entity (ranked): every page, its order, cursors,
// hasNextPage and totalCount, with and without a kind filter.
func testSearchCrowded(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	var es []graph.Entity
	for i := range searchCrowd {
		es = append(es, company(fmt.Sprintf("company:crowd-%03d", i), "Crowdword"))
	}
	upsert(t, s, graph.Batch{Entities: es})
	best := []graph.Entity{
		company("company:a-crowd-1", "Crowdword", "Qara Qbra Qcra Qdra Qera Qfra Qgra Qhra"),
		company("company:a-crowd-2", "Crowdword", "Qira Qjra Qkra Qlra Qmra Qnra Qora Qpra"),
		person("person:a-crowd-3", "Crowdword Pella", "Qqra Qrra Qsra Qtra Qura Qvra Qwra Qxra"),
		person("person:a-crowd-4", "Crowdword", "Qyra Qzra Rara Rbra Rcra Rdra Rera Rfra"),
	}
	upsert(t, s, graph.Batch{Entities: best})
	es = append(es, best...)

	for _, c := range []struct {
		text  string
		kinds []graph.Kind
		first int
	}{
		{"crowdword", nil, 10},
		{"crowdword", nil, 3},
		{"crowdwor", nil, 10},  // a prefix
		{"crowdwrod", nil, 10}, // a typo
		{"crowdword", []graph.Kind{graph.KindPerson}, 1},
		{"crowdword pella", nil, 2},
	} {
		name := fmt.Sprintf("%q kinds %v first %d", c.text, c.kinds, c.first)
		want := ranked(c.text, es, c.kinds...)
		if len(want) == 0 {
			t.Fatalf("%s: nothing matches", name)
		}
		var got []string
		after := ""
		for page := 0; ; page++ {
			res, err := s.Search(ctx, graph.SearchQuery{Text: c.text, Kinds: c.kinds, First: c.first, After: after})
			if err != nil {
				t.Fatalf("%s page %d: %v", name, page, err)
			}
			start := page * c.first
			end := min(start+c.first, len(want))
			if !slices.Equal(hitIDs(res.Hits), hitIDs(want[start:end])) {
				t.Errorf("%s page %d: got %v, want %v", name, page, hitIDs(res.Hits), hitIDs(want[start:end]))
				break
			}
			if res.TotalCount != len(want) {
				t.Errorf("%s page %d: totalCount %d, want %d", name, page, res.TotalCount, len(want))
			}
			if res.HasNextPage != (end < len(want)) {
				t.Errorf("%s page %d: hasNextPage %v, want %v", name, page, res.HasNextPage, end < len(want))
			}
			for i, h := range res.Hits {
				if h.Score != want[start+i].Score {
					t.Errorf("%s: hit %s score %v, want %v", name, h.Entity.ID, h.Score, want[start+i].Score)
				}
			}
			if page == 0 {
				skip, err := s.Search(ctx, graph.SearchQuery{Text: c.text, Kinds: c.kinds, First: c.first, SkipTotal: true})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(hitIDs(skip.Hits), hitIDs(res.Hits)) {
					t.Errorf("%s: the page changes with SkipTotal: %v vs %v", name, hitIDs(skip.Hits), hitIDs(res.Hits))
				}
			}
			got = append(got, hitIDs(res.Hits)...)
			if !res.HasNextPage || page > len(want) {
				break
			}
			after = res.EndCursor
		}
		if !slices.Equal(got, hitIDs(want)) {
			t.Errorf("%s: pages joined list %d hits, want the %d matches in order", name, len(got), len(want))
		}
	}
}
