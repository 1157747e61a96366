package neo4j

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/skein-project/skein/graph"
)

// maxCandidates bounds what one search fetches from the full-text index.
// Every candidate is scored in Go, so TotalCount is exact up to this many
// index hits.
const maxCandidates = 20_000

// Search asks the full-text index over the folded names (searchText) for
// every entity that has, for each query token, a token equal to it, starting
// with it or within its typo allowance: a superset of what graph.MatchScore
// accepts. The candidates are then scored and ranked in Go exactly as the
// embedded store does, and only the page's entities are fetched in full.
func (s *Store) Search(ctx context.Context, q graph.SearchQuery) (graph.SearchResult, error) {
	if err := q.Normalize(); err != nil {
		return graph.SearchResult{}, fmt.Errorf("search: %w", err)
	}
	tokens := graph.FoldTokens(q.Text)
	lucene := luceneQuery(tokens)
	match := graph.NewMatcher(tokens)
	res, err := read(ctx, s, func(tx *txn) (graph.SearchResult, error) {
		recs, err := tx.collect(ctx, "CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit}) YIELD node "+
			"WHERE $kinds IS NULL OR node.kind IN $kinds RETURN node.id AS id, node.name AS name, node.aliases AS aliases",
			map[string]any{"index": searchIndex, "query": lucene, "limit": maxCandidates, "kinds": kindStrings(q.Kinds)})
		if err != nil {
			return graph.SearchResult{}, err
		}
		if len(recs) >= maxCandidates {
			s.log.Warn("search candidates cut; totals may be low", "query", q.Text, "limit", maxCandidates)
		}
		var hits []graph.SearchHit
		for _, r := range recs {
			e := graph.Entity{ID: str(get(r, "id")), Name: str(get(r, "name")), Aliases: strs(get(r, "aliases"))}
			if score := match.Score(graph.NameTokens(&e)); score > 0 {
				hits = append(hits, graph.SearchHit{Entity: e, Score: score})
			}
		}
		page, err := graph.RankHits(hits, q.First, q.After)
		if err != nil || len(page.Hits) == 0 {
			return page, err
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
	if res.Hits == nil {
		res.Hits = []graph.SearchHit{}
	}
	return res, nil
}

// luceneQuery requires every token, each as a prefix or (from four runes
// on) a fuzzy match within graph.TypoAllowance edits. Lucene's fuzzy
// distance counts a transposition as one edit, like graph.MatchScore.
func luceneQuery(tokens []string) string {
	clauses := make([]string, 0, len(tokens))
	for _, t := range tokens {
		e := luceneEscape(t)
		c := e + "*"
		if allow := graph.TypoAllowance(utf8.RuneCountInString(t)); allow > 0 {
			c = fmt.Sprintf("%s* OR %s~%d", e, e, allow)
		}
		clauses = append(clauses, "("+c+")")
	}
	return strings.Join(clauses, " AND ")
}

// luceneEscape escapes the query parser's special characters. Folded
// tokens hold only letters and digits, so this is a second line of defence.
func luceneEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`+-&|!(){}[]^"~*?:\/ `, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
