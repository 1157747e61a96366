package embedded

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/skein-project/skein/graph"
)

// The complete ranking Search did before it kept only the page (topk.go),
// as it was: every candidate of the index scored and all of them sorted.
// It is the A side of BenchmarkSearchTopK and a second oracle of
// TestSearchTopKMatchesComplete.

// candidatesComplete returns the slots of entities having, for every query token,
// some name token that equals it, extends it or is within its typo
// allowance: a superset of what m.Score accepts, which has the last word.
func (x *tokenIndex) candidatesComplete(m *graph.Matcher) []int32 {
	dict, byLen, masks := x.dictionary()
	var result map[int32]bool
	for k, q := range m.Tokens() {
		set := map[int32]bool{}
		add := func(t string) {
			for _, i := range x.post[t] {
				if result == nil || result[i] {
					set[i] = true
				}
			}
		}
		// Exact and prefix matches are a contiguous range of the dictionary.
		start, _ := slices.BinarySearch(dict, q)
		end := start
		for end < len(dict) && strings.HasPrefix(dict[end], q) {
			add(dict[end])
			end++
		}
		n := utf8.RuneCountInString(q)
		if allow := graph.TypoAllowance(n); allow > 0 {
			qm := graph.RuneMask(q)
			for l := n - allow; l <= n+allow; l++ {
				ms := masks[l]
				for j, t := range byLen[l] {
					if !graph.MasksWithin(ms[j], qm, allow) || strings.HasPrefix(t, q) {
						continue // no typo, or added above
					}
					if _, ok := m.Typo(k, t); ok {
						add(t)
					}
				}
			}
		}
		result = set
		if len(result) == 0 {
			return nil
		}
	}
	out := make([]int32, 0, len(result))
	for i := range result {
		out = append(out, i)
	}
	return out
}

func (s *Store) searchComplete(ctx context.Context, q graph.SearchQuery) (graph.SearchResult, error) {
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
		var all []scoredHit
		for k, n := range g.index.candidatesComplete(match) {
			if k%1024 == 0 {
				if err := ctxErr(ctx); err != nil {
					return err
				}
			}
			if !kinds.Has(g.nodes[n].kind) {
				continue
			}
			if sc := match.Score(g.nodes[n].names); sc > 0 {
				all = append(all, scoredHit{sc, n})
			}
		}
		id := func(n int32) string { return g.nodes[n].id }
		slices.SortFunc(all, func(a, b scoredHit) int {
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
			start, _ = slices.BinarySearchFunc(all, *after, func(h scoredHit, c graph.Cursor) int {
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

type scoredHit struct {
	score float64
	n     int32
}
