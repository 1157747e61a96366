package neo4j

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
)

// TestRankCandidatesMatchesRankHits: rankCandidates, which drops hits as
// they come and cuts the kept ones now and then, gives the page that
// graph.RankHits gives over every match, with many more candidates than
// it holds at once (so that cuts and the bar happen), many ties, pages
// deep into the ranking and cursors of hits that are not candidates.
func TestRankCandidatesMatchesRankHits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	words := []string{"vera", "veran", "verano", "vero", "verra", "vesna", "zora"}
	var rows []any
	var entities []graph.Entity
	for i := range 12000 {
		n := 1 + rng.IntN(3)
		name := ""
		for k := range n {
			if k > 0 {
				name += " "
			}
			name += words[rng.IntN(len(words))]
		}
		e := graph.Entity{ID: fmt.Sprintf("person:%05d", rng.IntN(1_000_000)*10+i%10), Kind: graph.KindPerson, Name: name}
		if i%3 == 0 {
			e.Aliases = append(e.Aliases, words[rng.IntN(len(words))])
		}
		entities = append(entities, e)
		rows = append(rows, graph.SearchKey(&e))
	}
	for _, text := range []string{"vera", "ver", "verna", "vera zora"} {
		match := graph.NewMatcher(graph.FoldTokens(text))
		var all []graph.SearchHit
		for _, e := range entities {
			if sc := match.Score(graph.NameTokens(&e)); sc > 0 {
				// A page ranked from keys holds ids and kinds.
				all = append(all, graph.SearchHit{Entity: graph.Entity{ID: e.ID, Kind: e.Kind}, Score: sc})
			}
		}
		full, err := graph.RankHits(all, len(all), "")
		if err != nil {
			t.Fatal(err)
		}
		ranked := full.Hits
		if len(ranked) < 2*(100+1)+rankSlack {
			t.Fatalf("%q: only %d matches; the test needs more than rankCandidates holds", text, len(ranked))
		}
		cursors := []string{""}
		for _, k := range []int{0, 1, 19, 20, 777, len(ranked) / 2, len(ranked) - 21, len(ranked) - 2, len(ranked) - 1} {
			cursors = append(cursors, ranked[k].Cursor)
		}
		cursors = append(cursors, graph.EncodeCursor(ranked[100].Score, ranked[100].Entity.ID+"0")) // between hits
		for _, first := range []int{1, 20, 100} {
			for _, after := range cursors {
				want, err := graph.RankHits(append([]graph.SearchHit(nil), all...), first, after)
				if err != nil {
					t.Fatal(err)
				}
				got, err := rankCandidates(match, rows, first, after)
				if err != nil {
					t.Fatal(err)
				}
				if len(want.Hits) == 0 {
					want.Hits = nil
				}
				if len(got.Hits) == 0 {
					got.Hits = nil
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%q first %d after %q: got %d hits (next %v, total %d), want %d (next %v, total %d)",
						text, first, after, len(got.Hits), got.HasNextPage, got.TotalCount, len(want.Hits), want.HasNextPage, want.TotalCount)
				}
			}
		}
	}
}
