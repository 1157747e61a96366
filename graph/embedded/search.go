package embedded

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Search ranks entities whose names match q (see graph.SearchQuery).
//
// It gives exactly graph.MatchScore and graph.RankHits's order and pages
// (search_test.go checks that on random input), but scores candidates with
// a graph.Matcher over the tokens each node keeps and ranks compact (score,
// slot) pairs, building full hits and cursors for the returned page only: a
// short prefix can match a hundred thousand entities of a large graph.
func (s *Store) Search(ctx context.Context, q graph.SearchQuery) (graph.SearchResult, error) {
	if err := q.Normalize(); err != nil {
		return graph.SearchResult{}, fmt.Errorf("search: %w", err)
	}
	var after *graph.Cursor
	if q.After != "" {
		c, err := graph.DecodeCursor(q.After)
		if err != nil {
			return graph.SearchResult{}, fmt.Errorf("search: %w", err)
		}
		after = &c
	}
	match := graph.NewMatcher(graph.FoldTokens(q.Text))
	kinds := graph.KindSet(q.Kinds)
	res := graph.SearchResult{Hits: []graph.SearchHit{}}
	err := s.read(ctx, func(g *memGraph) error {
		var all []scored
		for k, n := range g.index.candidates(match) {
			if k%1024 == 0 {
				if err := ctxErr(ctx); err != nil {
					return err
				}
			}
			if !kinds.Has(g.nodes[n].kind) {
				continue
			}
			if sc := match.Score(g.nodes[n].names); sc > 0 {
				all = append(all, scored{sc, n})
			}
		}
		id := func(n int32) string { return g.nodes[n].id }
		slices.SortFunc(all, func(a, b scored) int {
			if a.score != b.score {
				if a.score > b.score {
					return -1
				}
				return 1
			}
			return strings.Compare(id(a.n), id(b.n))
		})
		start := 0
		if after != nil {
			// Keyset paging: the first hit strictly after the cursor, so a
			// cursor stays valid when entities come and go.
			start, _ = slices.BinarySearchFunc(all, *after, func(h scored, c graph.Cursor) int {
				if h.score < c.Score || (h.score == c.Score && id(h.n) > c.ID) {
					return 1
				}
				return -1
			})
		}
		end := min(start+q.First, len(all))
		res.TotalCount, res.HasNextPage = len(all), end < len(all)
		for _, h := range all[start:end] {
			e := g.nodes[h.n].entity()
			res.Hits = append(res.Hits, graph.SearchHit{Entity: e, Score: h.score, Cursor: graph.EncodeCursor(h.score, e.ID)})
		}
		if len(res.Hits) > 0 {
			res.EndCursor = res.Hits[len(res.Hits)-1].Cursor
		}
		return nil
	})
	if err != nil {
		return graph.SearchResult{}, err
	}
	return res, nil
}

type scored struct {
	score float64
	n     int32
}
