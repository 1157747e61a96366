package neo4j

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// ranker scores search candidates as they come (searchCandidates's and
// searchBucket's lists) and gives the page of first after the cursor
// after, with totalCount the number of matches, in graph.RankHits's order
// and cut. Only what can still be on the page is held: a hit at or before
// the cursor, or after the worst of the best first+1 kept when they were
// last cut (a bar that only rises), is dropped as it comes, so the hits of
// a token that half the graph shares neither pile up nor are sorted again
// and again. Its memory is bounded by the page, not by the candidates, and
// a held hit is its score, id and kind (a SearchHit, whole Entity and
// cursor, is made for the page only: the hits of a crowded search that
// tie with the bar are appended and sorted by the thousand).
type ranker struct {
	match   *graph.Matcher
	first   int
	cur     *graph.Cursor
	hits    []keyHit
	bar     keyHit
	hasBar  bool
	matched int
}

// keyHit is a candidate the ranker holds.
type keyHit struct {
	score    float64
	id, kind string
}

func newRanker(match *graph.Matcher, first int, after string) (*ranker, error) {
	r := &ranker{match: match, first: first}
	if after != "" {
		c, err := graph.DecodeCursor(after)
		if err != nil {
			return nil, err
		}
		r.cur = &c
	}
	return r, nil
}

// add scores one candidate, its searchKey.
func (r *ranker) add(v any) error {
	key, _ := v.(string)
	id, kind, names, ok := graph.ParseSearchKey(key)
	if !ok {
		return fmt.Errorf("neo4j: search candidate without a search key (%T): %w", v, errBadKey)
	}
	return r.offer(r.match.ScoreKey(names), id, kind)
}

// offer holds a scored candidate if it can still be on the page.
func (r *ranker) offer(score float64, id, kind string) error {
	if score <= 0 {
		return nil
	}
	r.matched++
	// Keyset paging: only hits strictly after the cursor (RankHits's
	// start), so a cursor stays valid when entities come and go.
	if r.cur != nil && !ranksBefore(r.cur.Score, r.cur.ID, score, id) ||
		r.hasBar && !ranksBefore(score, id, r.bar.score, r.bar.id) {
		return nil
	}
	r.hits = append(r.hits, keyHit{score, id, kind})
	if len(r.hits) >= 2*(r.first+1)+rankSlack {
		r.keep()
	}
	return nil
}

// errBadKey is a candidate whose searchKey is missing or malformed: a
// node that migrateText has not brought up to date.
var errBadKey = errors.New("malformed search key")

// keep cuts the held hits to the best first+1 (score descending, then
// id: RankHits's order) and raises the bar to the last of them.
func (r *ranker) keep() {
	slices.SortFunc(r.hits, func(a, b keyHit) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return strings.Compare(a.id, b.id)
	})
	if len(r.hits) > r.first+1 {
		clear(r.hits[r.first+1:]) // let the cut ids go
		r.hits = r.hits[:r.first+1]
	}
	if len(r.hits) == r.first+1 {
		r.bar, r.hasBar = r.hits[r.first], true
	}
}

// page is the page of the candidates added so far.
func (r *ranker) page() (graph.SearchResult, error) {
	r.keep()
	held := r.hits
	page := graph.SearchResult{TotalCount: r.matched}
	if len(held) > r.first {
		held, page.HasNextPage = held[:r.first], true
	}
	page.Hits = make([]graph.SearchHit, len(held))
	for i, h := range held {
		page.Hits[i] = graph.SearchHit{Entity: graph.Entity{ID: h.id, Kind: graph.Kind(h.kind)}, Score: h.score, Cursor: graph.EncodeCursor(h.score, h.id)}
	}
	if len(page.Hits) > 0 {
		page.EndCursor = page.Hits[len(page.Hits)-1].Cursor
	}
	return page, nil
}

// rankCandidates ranks a list of candidates (searchKeys) with a ranker.
func rankCandidates(match *graph.Matcher, rows []any, first int, after string) (graph.SearchResult, error) {
	r, err := newRanker(match, first, after)
	if err != nil {
		return graph.SearchResult{}, err
	}
	for _, c := range rows {
		if err := r.add(c); err != nil {
			return graph.SearchResult{}, err
		}
	}
	return r.page()
}

// ranksBefore reports whether a hit of score a and id aID ranks before
// one of score b and id bID in graph.RankHits's order (score descending,
// then id).
func ranksBefore(a float64, aID string, b float64, bID string) bool {
	return a > b || a == b && aID < bID
}

// rankSlack is how many hits beyond twice the page a ranker holds before
// it cuts them to the page.
const rankSlack = 1024
