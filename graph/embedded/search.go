package embedded

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Search ranks entities whose names match q (see graph.SearchQuery).
//
// It gives exactly graph.MatchScore and graph.RankHits's order and pages
// (search_test.go checks both on random input), but scores candidates with
// the tokens each node keeps and ranks compact (score, slot) pairs, building
// full hits and cursors for the returned page only: a short prefix can match
// a hundred thousand entities of a large graph.
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
	query := newScorer(foldTokens(q.Text))
	kinds := graph.KindSet(q.Kinds)
	res := graph.SearchResult{Hits: []graph.SearchHit{}}
	err := s.read(ctx, func(g *memGraph) error {
		var all []scored
		for k, n := range g.index.candidates(query.tokens) {
			if k%1024 == 0 {
				if err := ctxErr(ctx); err != nil {
					return err
				}
			}
			if !kinds.Has(g.nodes[n].e.Kind) {
				continue
			}
			if sc := query.score(g.nodes[n].names); sc > 0 {
				all = append(all, scored{sc, n})
			}
		}
		id := func(n int32) string { return g.nodes[n].e.ID }
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
			e := cloneEntity(g.nodes[h.n].e)
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

// scorer is graph.MatchScore for one query over pre-folded names. It
// follows MatchScore step by step, down to the order of floating-point
// operations, so the scores are bit-for-bit the same.
type scorer struct {
	tokens []string
	runes  [][]rune
	joined string
	dist   osa
}

func newScorer(query []string) *scorer {
	sc := &scorer{tokens: query, joined: strings.Join(query, " ")}
	for _, q := range query {
		sc.runes = append(sc.runes, []rune(q))
	}
	return sc
}

func (sc *scorer) score(names [][]string) float64 {
	if len(sc.tokens) == 0 {
		return 0
	}
	best := 0.0
	for i, toks := range names {
		if len(toks) == 0 {
			continue
		}
		var s float64
		if joinedEquals(toks, sc.joined) {
			s = 100
		} else {
			sum := 0.0
			for k := range sc.tokens {
				ts := sc.tokenScore(k, toks)
				if ts == 0 {
					sum = 0
					break
				}
				sum += ts
			}
			if sum == 0 {
				continue
			}
			s = 10 * sum / float64(max(len(toks), len(sc.tokens)))
		}
		if i == 0 {
			s += 0.5
		}
		best = max(best, s)
	}
	return math.Round(best*1e9) / 1e9
}

// joinedEquals reports whether strings.Join(toks, " ") == joined without
// building the string.
func joinedEquals(toks []string, joined string) bool {
	off := 0
	for i, t := range toks {
		if i > 0 {
			if off >= len(joined) || joined[off] != ' ' {
				return false
			}
			off++
		}
		if !strings.HasPrefix(joined[off:], t) {
			return false
		}
		off += len(t)
	}
	return off == len(joined)
}

func (sc *scorer) tokenScore(k int, toks []string) float64 {
	const (
		scoreExact  = 1.0
		scorePrefix = 0.7
		scoreTypo   = 0.5
	)
	q, qr := sc.tokens[k], sc.runes[k]
	best := 0.0
	allow := graph.TypoAllowance(len(qr))
	for _, t := range toks {
		switch {
		case t == q:
			return scoreExact
		case strings.HasPrefix(t, q):
			best = max(best, scorePrefix)
		case allow > 0:
			if d := sc.dist.distance(qr, t, allow); d <= allow {
				best = max(best, scoreTypo-0.1*float64(d))
			}
		}
	}
	return best
}
