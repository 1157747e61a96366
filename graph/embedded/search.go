package embedded

import (
	"context"
	"fmt"
	"slices"

	"github.com/skein-project/skein/graph"
)

// Search ranks entities whose names match q (see graph.SearchQuery).
//
// It gives exactly graph.MatchScore and graph.RankHits's order and pages
// (search_test.go checks that against a brute-force ranking and the
// complete ranking this replaced), but keeps only the page's best hits
// (topK) and scores a candidate only when it could enter them: the
// candidates come from the postings of one query token's matching
// dictionary tokens (terms), best token score first, and
// graph.Matcher.Bound of what is known of a candidate before scoring it
// (that token score, and nameShape, how many tokens its names have) is
// compared with the page's worst hit. Once no entity still unseen can
// enter the page, the scan stops. That cut needs the total to be skipped
// (q.SkipTotal); when it is read, every candidate is still counted, and a
// candidate that cannot enter the page is only checked to match.
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
		terms := g.index.terms(match)
		top, total, err := s.rank(ctx, g, match, terms, kinds, after, q.First+1, !q.SkipTotal)
		if err != nil {
			return err
		}
		page := top.sorted()
		res.TotalCount, res.HasNextPage = total, len(page) > q.First
		for _, h := range page[:min(len(page), q.First)] {
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

// rank keeps the best size matching entities of kinds ranked after the
// cursor after (nil: from the start), and returns the number of matching
// entities of kinds: all of them when count is set, else those it scored.
func (s *Store) rank(ctx context.Context, g *memGraph, match *graph.Matcher, terms [][]term, kinds graph.KindSet, after *graph.Cursor, size int, count bool) (*topK, int, error) {
	top := newTopK(size)
	// Every query token must match: the one whose terms have the fewest
	// postings drives the scan; the others' best term scores bound theirs.
	drive := 0
	best := make([]float64, len(terms))
	postings := make([]int, len(terms))
	for k, ts := range terms {
		if len(ts) == 0 {
			return top, 0, nil
		}
		best[k] = ts[0].score
		for _, t := range ts {
			postings[k] += len(g.index.post[t.tok])
		}
		if postings[k] < postings[drive] {
			drive = k
		}
	}
	seen := s.seenSet(len(g.nodes))
	defer s.dropSeen(seen)
	filters := s.tokenFilters(g, match, terms, postings, drive)
	defer func() {
		for _, f := range filters {
			s.dropSeen(f.any)
			if f.exact != nil {
				s.dropSeen(f.exact)
			}
		}
	}()
	// refine: some filter tells a candidate's exact matches from the
	// rest, so its bound is its own, computed for each.
	refine := slices.ContainsFunc(filters, func(f tokenFilter) bool { return f.exact != nil })
	cand := make([]float64, len(terms))
	single := len(terms) == 1
	total, visited := 0, 0
	// bounds[l] is the Bound of a candidate first seen at the current
	// term score with nameShape l (0: not computed yet).
	var bounds [128]float64
	allKinds := len(kinds) == 0
	for i, t := range terms[drive] {
		if i == 0 || t.score != terms[drive][i-1].score {
			best[drive] = t.score
			clear(bounds[:])
			// Every entity not seen yet scores at most this.
			if !count && top.full() && match.Bound(best, 1, 1) < top.worst().score {
				break
			}
		}
		for _, n := range g.index.post[t.tok] {
			if visited++; visited%1024 == 0 {
				if err := ctxErr(ctx); err != nil {
					return nil, 0, err
				}
			}
			if seen.has(n) || !inFilters(filters, n) {
				continue
			}
			seen.add(n)
			// The terms come best first, so t's score is n's best against
			// the driving token.
			out := false
			if top.full() {
				l := g.shapes[n] &^ shapeForeign
				b := bounds[l]
				if refine {
					copy(cand, best)
					for _, f := range filters {
						if f.exact != nil && !f.exact.has(n) {
							cand[f.k] = f.rest
						}
					}
					b = match.Bound(cand, l.primary(), l.alias())
				} else if b == 0 {
					b = match.Bound(best, l.primary(), l.alias())
					bounds[l] = b
				}
				w := top.worst()
				out = b < w.score || b == w.score && g.idAfter(n, w)
			}
			if out && !count {
				continue
			}
			if out && single && allKinds && !g.shapes[n].foreign() {
				// One query token, matched by a token of n's names:
				// a match, known without reading n.
				total++
				continue
			}
			nd := &g.nodes[n]
			if !kinds.Has(nd.kind) {
				continue
			}
			if out {
				// One query token and a name holding the matching token:
				// a match, known without scoring.
				if single && hasToken(nd.names, t.tok) || match.Score(nd.names) > 0 {
					total++
				}
				continue
			}
			sc := match.Score(nd.names)
			if sc == 0 {
				continue
			}
			total++
			// Keyset paging: only hits strictly after the cursor, so a
			// cursor stays valid when entities come and go.
			if after == nil || sc < after.Score || sc == after.Score && nd.id > after.ID {
				top.offer(rankedHit{sc, nd.id, n})
			}
		}
	}
	return top, total, nil
}

// idAfter reports whether slot n's entity id sorts after w's, without
// reading the node when both are of the run loaded in id order.
func (g *memGraph) idAfter(n int32, w rankedHit) bool {
	if o := int32(g.ordered); n < o && w.n < o {
		return n > w.n
	}
	return g.nodes[n].id > w.id
}

// maxFilterRatio bounds the postings of a query token made a filter
// (rank), as a multiple of the driving token's.
const maxFilterRatio = 16

// tokenFilter is the candidates of a query token other than the driving
// one, as a set (any), with those holding the query token itself (exact),
// the others scoring at most rest against it; exact is nil when no name
// token equals the query token or nothing else matches it.
type tokenFilter struct {
	k     int
	any   bitset
	exact bitset
	rest  float64
}

// tokenFilters makes the filters of rank: the other tokens' candidates
// rule out most of the driver's (a first name's, for a full name) before
// anything is read of them, and their exact matches tighten the bound of
// those left. A set costs its postings, so a token with many more than the
// driver is left to scoring.
func (s *Store) tokenFilters(g *memGraph, m *graph.Matcher, terms [][]term, postings []int, drive int) []tokenFilter {
	var out []tokenFilter
	for k, ts := range terms {
		if k == drive || postings[k] > maxFilterRatio*postings[drive] {
			continue
		}
		f := tokenFilter{k: k, any: s.seenSet(len(g.nodes))}
		for _, t := range ts {
			for _, n := range g.index.post[t.tok] {
				f.any.add(n)
			}
		}
		// Only the query token itself scores exact, and comes first.
		if len(ts) > 1 && ts[0].tok == m.Tokens()[k] {
			f.exact, f.rest = s.seenSet(len(g.nodes)), ts[1].score
			for _, n := range g.index.post[ts[0].tok] {
				f.exact.add(n)
			}
		}
		out = append(out, f)
	}
	return out
}

func inFilters(fs []tokenFilter, n int32) bool {
	for _, f := range fs {
		if !f.any.has(n) {
			return false
		}
	}
	return true
}

func hasToken(names [][]string, tok string) bool {
	for _, toks := range names {
		if slices.Contains(toks, tok) {
			return true
		}
	}
	return false
}

// bitset is a set of node slots.
type bitset []uint64

func (b bitset) has(n int32) bool { return b[n>>6]&(1<<(n&63)) != 0 }
func (b bitset) add(n int32)      { b[n>>6] |= 1 << (n & 63) }
func (b bitset) remove(n int32)   { b[n>>6] &^= 1 << (n & 63) }

// seenSet returns an empty set for slots below n, from the store's pool:
// at a million entities it is 125 KB, for each search.
func (s *Store) seenSet(n int) bitset {
	words := (n + 63) / 64
	if b, ok := s.seen.Get().(*bitset); ok && cap(*b) >= words {
		return (*b)[:words]
	}
	return make(bitset, words)
}

func (s *Store) dropSeen(b bitset) {
	clear(b)
	s.seen.Put(&b)
}
