package neo4j

import (
	"context"
	"fmt"

	"github.com/skein-project/skein/graph"
)

// This is Search as it was before candidates came as searchKeys: a list
// [id, kind, name, aliases] a candidate, scored from NameTokens (kept for
// BenchmarkSearchKeyAB only).

// SearchRows exposes searchRows to BenchmarkSearchKeyAB.
func (s *Store) SearchRows(ctx context.Context, q graph.SearchQuery) (graph.SearchResult, error) {
	return s.searchRows(ctx, q)
}

// rankedParts are the parts of an entity the row statements read to rank
// it, besides its id and kind.
const rankedParts = graph.EntityName | graph.EntityAliases

const searchCandidateRows = "CALL db.index.fulltext.queryNodes($index, $query) YIELD node " +
	"WHERE $kinds IS NULL OR node.kind IN $kinds " +
	"WITH node LIMIT $n " +
	"RETURN collect([node.id, node.kind, node.name, node.aliases]) AS c"

const searchBucketRows = "CALL db.index.fulltext.queryNodes($index, $query) YIELD node " +
	"WHERE id(node) % $k = $b AND ($kinds IS NULL OR node.kind IN $kinds) " +
	"RETURN collect([node.id, node.kind, node.name, node.aliases]) AS c"

func newRowRanker(match *graph.Matcher, first int, after string) (*ranker, error) {
	return newRanker(match, first, after)
}

func (s *Store) searchRows(ctx context.Context, q graph.SearchQuery) (graph.SearchResult, error) {
	if err := q.Normalize(); err != nil {
		return graph.SearchResult{}, fmt.Errorf("search: %w", err)
	}
	if q.After != "" {
		if _, err := graph.DecodeCursor(q.After); err != nil {
			return graph.SearchResult{}, fmt.Errorf("search: %w", err)
		}
	}
	tokens := graph.FoldTokens(q.Text)
	match := graph.NewMatcher(tokens)
	collected := s.searchCollected
	if collected <= 0 {
		collected = searchCollectedMax
	}
	params := map[string]any{"index": searchIndex, "query": LuceneQuery(tokens), "kinds": kindStrings(q.Kinds), "n": int64(collected)}
	res, err := read(ctx, s, func(tx *txn) (graph.SearchResult, error) {
		rk, err := newRowRanker(match, q.First, q.After)
		if err != nil {
			return graph.SearchResult{}, err
		}
		r, err := tx.single(ctx, "search", searchCandidateRows, params)
		if err != nil {
			return graph.SearchResult{}, err
		}
		rows := asList(get(r, "c"))
		for _, c := range rows {
			if err := rk.addRow(asList(c)); err != nil {
				return graph.SearchResult{}, err
			}
		}
		if len(rows) >= collected {
			// The list was cut: rank every candidate again, from lists of
			// about collected each, the candidates whose internal id is b
			// modulo k for b < k. The buckets partition the nodes, so each
			// candidate is ranked once however the index's order shifts
			// between statements (Neo4j reads committed data: statements
			// that skipped the first n could miss or repeat one that a
			// write in between moved), and each list is bounded.
			k, err := bucketCount(ctx, tx, params, collected)
			if err != nil {
				return graph.SearchResult{}, err
			}
			if rk, err = newRowRanker(match, q.First, q.After); err != nil {
				return graph.SearchResult{}, err
			}
			bucket := map[string]any{"k": k}
			for name, v := range params {
				bucket[name] = v
			}
			for b := range k {
				bucket["b"] = b
				r, err := tx.single(ctx, "search bucket", searchBucketRows, bucket)
				if err != nil {
					return graph.SearchResult{}, err
				}
				for _, c := range asList(get(r, "c")) {
					if err := rk.addRow(asList(c)); err != nil {
						return graph.SearchResult{}, err
					}
				}
			}
		}
		page, err := rk.page()
		if err != nil {
			return graph.SearchResult{}, err
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

// addRow scores one candidate: [id, kind, name, aliases].
func (r *ranker) addRow(row []any) error {
	if len(row) != 4 {
		return fmt.Errorf("neo4j: search candidate of %d values", len(row))
	}
	e := graph.Entity{ID: str(row[0]), Kind: graph.Kind(str(row[1])), Name: str(row[2]), Aliases: strs(row[3])}
	return r.offer(r.match.Score(graph.NameTokens(&e)), e.ID, string(e.Kind))
}
