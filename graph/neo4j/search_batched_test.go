package neo4j

import (
	"context"
	"fmt"

	"github.com/skein-project/skein/graph"
)

// SearchBatched exposes searchBatched to BenchmarkSearchAB.
func (s *Store) SearchBatched(ctx context.Context, q graph.SearchQuery) (graph.SearchResult, error) {
	return s.searchBatched(ctx, q)
}

// batchedMax and the window are the old search's: it ranked its index's
// best 20,000 candidates at most, batch by batch.
const (
	batchedMax      = 20_000
	searchWindow    = 10
	minSearchWindow = 100
)

// searchBatched is Search as it was before it ranked every candidate
// (kept for BenchmarkSearchAB only): it asks the full-text index over the folded names (searchText) for
// entities that have, for each query token, a token equal to it, starting
// with it or within its typo allowance: a superset of what graph.MatchScore
// accepts, ranked by the index so that exact tokens, then prefixes, then
// typos, and the whole query as a phrase, come first. The index's ranking
// is taken in batches (searchWindow), each scored and ranked in Go
// exactly as the embedded store ranks; a page reads the batch its cursor is
// in and the next ones until it is full. When the index has no more
// candidates than one batch the answer is the embedded store's. Only the
// page's entities are fetched in full, and only when the caller reads more
// of them than the ranking did (q.Select); the index's count is asked only
// when the caller reads TotalCount and the batches read did not cover it.
func (s *Store) searchBatched(ctx context.Context, q graph.SearchQuery) (graph.SearchResult, error) {
	if err := q.Normalize(); err != nil {
		return graph.SearchResult{}, fmt.Errorf("search: %w", err)
	}
	var after graph.Cursor
	if q.After != "" {
		var err error
		if after, err = graph.DecodeCursor(q.After); err != nil {
			return graph.SearchResult{}, fmt.Errorf("search: %w", err)
		}
	}
	tokens := graph.FoldTokens(q.Text)
	lucene := LuceneQuery(tokens)
	match := graph.NewMatcher(tokens)
	kinds := graph.KindSet(q.Kinds)
	size := max(minSearchWindow, searchWindow*q.First)
	res, err := read(ctx, s, func(tx *txn) (graph.SearchResult, error) {
		page := graph.SearchResult{Hits: []graph.SearchHit{}}
		matched, exhausted := 0, false
		for b := after.Batch; len(page.Hits) <= q.First && (b+1)*size <= batchedMax; b++ {
			r, err := tx.single(ctx, "search", searchBatch(b),
				map[string]any{"index": searchIndex, "query": lucene, "skip": b * size, "end": (b + 1) * size})
			if err != nil {
				return page, err
			}
			recs := asList(get(r, "c"))
			var hits []graph.SearchHit
			for _, c := range recs {
				row := asList(c)
				if len(row) != 4 {
					return page, fmt.Errorf("neo4j: search candidate of %d values", len(row))
				}
				kind := graph.Kind(str(row[1]))
				if !kinds.Has(kind) {
					continue
				}
				e := graph.Entity{ID: str(row[0]), Kind: kind, Name: str(row[2]), Aliases: strs(row[3])}
				if score := match.Score(graph.NameTokens(&e)); score > 0 {
					hits = append(hits, graph.SearchHit{Entity: e, Score: score})
				}
			}
			matched += len(hits)
			cursor := ""
			if b == after.Batch {
				cursor = q.After
			}
			ranked, err := graph.RankHits(hits, q.First+1-len(page.Hits), cursor)
			if err != nil {
				return page, err
			}
			for _, h := range ranked.Hits {
				h.Cursor = graph.EncodeBatchCursor(b, h.Score, h.Entity.ID)
				page.Hits = append(page.Hits, h)
			}
			if len(recs) < size {
				exhausted = true
				break
			}
		}
		if len(page.Hits) > q.First {
			page.Hits, page.HasNextPage = page.Hits[:q.First], true
		} else if !exhausted {
			s.log.Warn("search candidates cut at the index limit", "query", q.Text, "limit", batchedMax)
		}
		if len(page.Hits) > 0 {
			page.EndCursor = page.Hits[len(page.Hits)-1].Cursor
		}
		switch {
		case exhausted && after.Batch == 0:
			page.TotalCount = matched // every candidate seen
		case q.SkipTotal:
			page.TotalCount = matched
		default:
			n, err := tx.searchCount(ctx, lucene, q.Kinds)
			if err != nil {
				return page, err
			}
			page.TotalCount = max(n, len(page.Hits))
		}
		// The ranking read each candidate's id, kind, name and aliases:
		// when that is all the caller reads, the page is complete without
		// fetching its entities again.
		if len(page.Hits) == 0 || q.Select.Partial && q.Select.Entity&^rankedParts == 0 {
			return page, nil
		}
		ids := make([]string, len(page.Hits))
		for i, h := range page.Hits {
			ids[i] = h.Entity.ID
		}
		full, err := tx.entityList(ctx, ids)
		if err != nil {
			return graph.SearchResult{}, err
		}
		for i := range page.Hits {
			page.Hits[i].Entity = full[i]
		}
		return page, nil
	})
	if err != nil {
		return graph.SearchResult{}, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// searchBatch is the statement for batch b of the index's candidates:
// its best end, less its best skip when b > 0. The index's best k
// candidates are a fixed set (equal scores fall to the index's own order),
// but their order in the answer is not, even for one k: a skip over it
// would repeat and drop candidates, a difference of sets does not.
//
// The candidates come as one list in one record ([id, kind, name,
// aliases] each), not a record each: the driver pays per record, and a
// batch of a page of 20 is 200 candidates (half the Go CPU of a search,
// measured against rows at 100k).
func searchBatch(b int) string {
	const ret = "RETURN collect([node.id, node.kind, node.name, node.aliases]) AS c"
	if b == 0 {
		return "CALL db.index.fulltext.queryNodes($index, $query, {limit: $end}) YIELD node " + ret
	}
	return "CALL { CALL db.index.fulltext.queryNodes($index, $query, {limit: $skip}) YIELD node RETURN collect(node) AS before } " +
		"CALL db.index.fulltext.queryNodes($index, $query, {limit: $end}) YIELD node WITH node, before WHERE NOT node IN before " + ret
}

// searchCount is the index's count of entities of kinds matching the
// query: the total when there are more candidates than a search ranks.
func (t *txn) searchCount(ctx context.Context, lucene string, kinds []graph.Kind) (int, error) {
	recs, err := t.collect(ctx, "CALL db.index.fulltext.queryNodes($index, $query) YIELD node "+
		"WHERE $kinds IS NULL OR node.kind IN $kinds RETURN count(node) AS n",
		map[string]any{"index": searchIndex, "query": lucene, "kinds": kindStrings(kinds)})
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	n, _ := get(recs[0], "n").(int64)
	return int(n), nil
}
