package neo4j

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
)

// Candidates is screening's blocking (see graph.Store.Candidates): one
// statement asks the full-text indexes over the folded names and over the
// transliterated ones (latinText) for any query token (exact or fuzzy
// within graph.TypoAllowance) and the identifier index for any
// identifier, for every query at once, and returns of each hit only its
// id and indexed tokens (searchText and latinText as one string, idText:
// a common token hits thousands of entities per query), one row per
// query (the driver pays per row), read as it comes; the hits are ranked
// in Go by graph.BlockRank (a graph.BlockRanker) exactly as the embedded
// store ranks them, and only the chosen entities fetched, with what the
// queries select, in a second statement of the same transaction.
func (s *Store) Candidates(ctx context.Context, qs []graph.CandidateQuery) ([][]graph.Entity, error) {
	params := make([]any, len(qs))
	sel := graph.Selection{Partial: true}
	for i := range qs {
		if err := qs[i].Normalize(); err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
		q := &qs[i]
		p := map[string]any{"i": int64(i), "names": nil, "ids": nil, "kinds": kindStrings(q.Kinds)}
		if len(q.Tokens) > 0 {
			p["names"] = luceneAny(q.Tokens, true)
		}
		if len(q.Identifiers) > 0 {
			p["ids"] = luceneAny(q.Identifiers, false)
		}
		params[i] = p
		sel.Partial = sel.Partial && q.Select.Partial
		sel.Entity |= q.Select.Entity
	}
	out, err := read(ctx, s, func(tx *txn) ([][]graph.Entity, error) {
		hits := make([][]graph.Entity, len(qs))
		var (
			found []graph.Entity
			ranks []int
			toks  [1][]string
		)
		// Each query's hits are collected in a subquery of their own and
		// come as one row, cut to the query's best here as it arrives: the
		// transaction (Neo4j's memory pool and ours) holds one query's hits
		// at a time, where a collect grouped by query over the whole batch
		// held every query's at once (1,000 queries at 1M entities went
		// past db.memory.transaction.total.max).
		err := tx.each(ctx, "UNWIND $qs AS q CALL { WITH q CALL { "+
			"WITH q WITH q WHERE q.names IS NOT NULL "+
			"CALL db.index.fulltext.queryNodes($names, q.names, {limit: $limit}) YIELD node RETURN node "+
			"UNION WITH q WITH q WHERE q.names IS NOT NULL "+
			"CALL db.index.fulltext.queryNodes($latin, q.names, {limit: $limit}) YIELD node RETURN node "+
			"UNION WITH q WITH q WHERE q.ids IS NOT NULL "+
			"CALL db.index.fulltext.queryNodes($ids, q.ids, {limit: $limit}) YIELD node RETURN node } "+
			"WITH q, node WHERE q.kinds IS NULL OR node.kind IN q.kinds "+
			"RETURN collect([node.id, node.searchText + coalesce(' ' + node.latinText, ''), node.idText]) AS hits } "+
			"RETURN q.i AS i, hits",
			map[string]any{"qs": params, "names": searchIndex, "latin": latinIndex, "ids": identifierIndex, "limit": maxCandidates},
			func(r *neo4jdrv.Record) error {
				i := int(get(r, "i").(int64))
				ranker := graph.NewBlockRanker(&qs[i])
				found, ranks = found[:0], ranks[:0]
				for _, h := range asList(get(r, "hits")) {
					hit := asList(h)
					if len(hit) != 3 {
						return fmt.Errorf("neo4j: candidate row of %d values", len(hit))
					}
					toks[0] = strings.Fields(str(hit[1]))
					found = append(found, graph.Entity{ID: str(hit[0])})
					ranks = append(ranks, ranker.Rank(toks[:], strings.Fields(str(hit[2]))))
				}
				if len(found) >= maxCandidates {
					s.log.Warn("match candidates cut at the index limit; blocking may miss some", "query", i, "limit", maxCandidates)
				}
				hits[i] = graph.RankCandidates(found, ranks, qs[i].Limit)
				return nil
			})
		if err != nil {
			return nil, err
		}
		var want []string
		for i := range hits {
			for _, e := range hits[i] {
				want = append(want, e.ID)
			}
		}
		full, err := tx.entitiesOf(ctx, want, sel)
		if err != nil {
			return nil, err
		}
		for i := range hits {
			for k, e := range hits[i] {
				f, ok := full[e.ID]
				if !ok {
					return nil, fmt.Errorf("entity %q vanished: %w", e.ID, graph.ErrNotFound)
				}
				hits[i][k] = f
			}
		}
		return hits, nil
	})
	if err != nil {
		return nil, fmt.Errorf("candidates: %w", err)
	}
	return out, nil
}

// luceneAny asks for any of the terms: exactly, or (fuzzy) within each
// term's graph.TypoAllowance. Lucene's fuzzy distance counts a
// transposition as one edit, like graph.Matcher.Typo.
func luceneAny(terms []string, fuzzy bool) string {
	clauses := make([]string, 0, len(terms))
	for _, t := range terms {
		e := luceneEscape(t)
		if allow := graph.TypoAllowance(utf8.RuneCountInString(t)); fuzzy && allow > 0 {
			e = fmt.Sprintf("%s~%d", e, allow)
		}
		clauses = append(clauses, e)
	}
	return strings.Join(clauses, " OR ")
}
