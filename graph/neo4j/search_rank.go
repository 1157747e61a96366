package neo4j

import (
	"fmt"

	"github.com/skein-project/skein/graph"
)

// ranker scores search candidates as they come (searchCandidates's and
// searchBucket's lists) and gives the page of first after the cursor
// after, with totalCount the number of matches; graph.RankHits ranks and
// cuts it. Only what can still be on the page is held: a hit at or before
// the cursor, or after the worst of the best first+1 kept when they were
// last cut (a bar that only rises), is dropped as it comes, so the hits of
// a token that half the graph shares neither pile up nor are sorted again
// and again. Its memory is bounded by the page, not by the candidates.
type ranker struct {
	match   *graph.Matcher
	first   int
	after   string
	cur     *graph.Cursor
	hits    []graph.SearchHit
	bar     graph.SearchHit
	hasBar  bool
	matched int
}

func newRanker(match *graph.Matcher, first int, after string) (*ranker, error) {
	r := &ranker{match: match, first: first, after: after}
	if after != "" {
		c, err := graph.DecodeCursor(after)
		if err != nil {
			return nil, err
		}
		r.cur = &c
	}
	return r, nil
}

// add scores one candidate: [id, kind, name, aliases].
func (r *ranker) add(row []any) error {
	if len(row) != 4 {
		return fmt.Errorf("neo4j: search candidate of %d values", len(row))
	}
	e := graph.Entity{ID: str(row[0]), Kind: graph.Kind(str(row[1])), Name: str(row[2]), Aliases: strs(row[3])}
	score := r.match.Score(graph.NameTokens(&e))
	if score <= 0 {
		return nil
	}
	r.matched++
	if r.cur != nil && !ranksBefore(r.cur.Score, r.cur.ID, score, e.ID) ||
		r.hasBar && !ranksBefore(score, e.ID, r.bar.Score, r.bar.Entity.ID) {
		return nil
	}
	r.hits = append(r.hits, graph.SearchHit{Entity: e, Score: score})
	if len(r.hits) >= 2*(r.first+1)+rankSlack {
		return r.keep()
	}
	return nil
}

// keep cuts the held hits to the best first+1 and raises the bar to the
// last of them.
func (r *ranker) keep() error {
	ranked, err := graph.RankHits(r.hits, r.first+1, r.after)
	if err != nil {
		return err
	}
	r.hits = append(r.hits[:0:0], ranked.Hits...)
	if len(r.hits) == r.first+1 {
		r.bar, r.hasBar = r.hits[r.first], true
	}
	return nil
}

// page is the page of the candidates added so far.
func (r *ranker) page() (graph.SearchResult, error) {
	if err := r.keep(); err != nil {
		return graph.SearchResult{}, err
	}
	page := graph.SearchResult{Hits: r.hits, TotalCount: r.matched}
	if len(page.Hits) > r.first {
		page.Hits, page.HasNextPage = page.Hits[:r.first], true
	}
	if len(page.Hits) > 0 {
		page.EndCursor = page.Hits[len(page.Hits)-1].Cursor
	}
	return page, nil
}

// rankCandidates ranks a list of candidates ([id, kind, name, aliases]
// each) with a ranker.
func rankCandidates(match *graph.Matcher, rows []any, first int, after string) (graph.SearchResult, error) {
	r, err := newRanker(match, first, after)
	if err != nil {
		return graph.SearchResult{}, err
	}
	for _, c := range rows {
		if err := r.add(asList(c)); err != nil {
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
