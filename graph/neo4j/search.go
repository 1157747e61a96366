package neo4j

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/skein-project/skein/graph"
)

// Search asks the full-text index over the folded names (searchText) for
// entities that have, for each query token, a token equal to it, starting
// with it or within its typo allowance: a superset of what graph.MatchScore
// accepts. Every candidate of the asked kinds comes back as its searchKey
// (id, kind and folded names in one string property: one property read and
// one string a candidate) and is scored in Go by graph.Matcher.ScoreKey,
// and the page is the best First after the cursor in graph.RankHits's
// order, as the embedded store ranks: pages, order and totalCount are the
// same on both stores. The index's own ranking (BM25 with length norms,
// equal scores in document order) is not MatchScore's, so a page's hits
// need not be among any cut of it: search once ranked the index's best 100
// (ten per hit asked) batch by batch, and a token that more entities share
// than that gave other pages than the embedded store's (storetest's
// Search/Crowded; at 100k entities most first-name and every prefix
// search). A query shared by many entities costs all its candidates (a
// two-letter prefix at 100k entities: 9,300), but holds few: the first
// statement collects at most searchCollectedMax of them in one row, and
// only when that list is full are they all ranked again from lists of
// about as many (buckets of internal ids), in the same read transaction;
// the ranker keeps only what can still be on the page. The page's
// entities are fetched in full only when the caller reads more of them
// than their ids and kinds (q.Select).
func (s *Store) Search(ctx context.Context, q graph.SearchQuery) (graph.SearchResult, error) {
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
		rk, err := newRanker(match, q.First, q.After)
		if err != nil {
			return graph.SearchResult{}, err
		}
		r, err := tx.single(ctx, "search", searchCandidates, params)
		if err != nil {
			return graph.SearchResult{}, err
		}
		rows := asList(get(r, "c"))
		for _, c := range rows {
			if err := rk.add(c); err != nil {
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
			if rk, err = newRanker(match, q.First, q.After); err != nil {
				return graph.SearchResult{}, err
			}
			bucket := map[string]any{"k": k}
			for name, v := range params {
				bucket[name] = v
			}
			for b := range k {
				bucket["b"] = b
				r, err := tx.single(ctx, "search bucket", searchBucket, bucket)
				if err != nil {
					return graph.SearchResult{}, err
				}
				for _, c := range asList(get(r, "c")) {
					if err := rk.add(c); err != nil {
						return graph.SearchResult{}, err
					}
				}
			}
		}
		page, err := rk.page()
		if err != nil {
			return graph.SearchResult{}, err
		}
		// The ranking read each candidate's id and kind: when that is all
		// the caller reads, the page is complete without fetching its
		// entities.
		if len(page.Hits) == 0 || q.Select.Partial && q.Select.Entity == 0 {
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

// searchCandidates is the first n candidates of the index of the asked
// kinds, as one list in one record (each one's searchKey), not
// a record each: the driver pays per record (half the Go CPU of a search
// of 200 candidates, measured against rows at 100k). The list is held
// whole in the transaction's memory, so n bounds it (searchCollectedMax);
// a query with more candidates is ranked from searchStream.
const searchCandidates = "CALL db.index.fulltext.queryNodes($index, $query) YIELD node " +
	"WHERE $kinds IS NULL OR node.kind IN $kinds " +
	"WITH node LIMIT $n " +
	"RETURN collect(node.searchKey) AS c"

// searchCount is the number of candidates of the asked kinds.
const searchCount = "CALL db.index.fulltext.queryNodes($index, $query) YIELD node " +
	"WHERE $kinds IS NULL OR node.kind IN $kinds " +
	"RETURN count(*) AS n"

// searchBucket is the candidates of the asked kinds whose internal id is
// $b modulo $k, as searchCandidates's list. Each bucket asks the index
// again (a pass over its hits without reading a property: a tenth of the
// list's cost), which is far cheaper than a record per candidate: Bolt
// sends records at some three times a listed candidate's cost.
const searchBucket = "CALL db.index.fulltext.queryNodes($index, $query) YIELD node " +
	"WHERE id(node) % $k = $b AND ($kinds IS NULL OR node.kind IN $kinds) " +
	"RETURN collect(node.searchKey) AS c"

// bucketCount is how many searchBucket lists hold the candidates about
// collected each.
func bucketCount(ctx context.Context, tx *txn, params map[string]any, collected int) (int64, error) {
	r, err := tx.single(ctx, "search count", searchCount, params)
	if err != nil {
		return 0, err
	}
	n, _ := get(r, "n").(int64)
	return max(1, (n+int64(collected)-1)/int64(collected)), nil
}

// searchCollectedMax is the most candidates searchCandidates collects in
// one list, and about how many each searchBucket list holds
// (Store.searchCollected lowers it in tests): PROFILE puts a list of
// searchKeys at some 96 bytes a candidate (0.90 MB for 9,323 at 100k
// entities; [id, kind, name, aliases] lists took 275), so some 14 MB of
// transaction memory a search at most. Every search of the 100k graph and
// all but the one-letter prefixes at 1M (a two-letter prefix there: some
// 93,000 candidates) take one statement; a query with more candidates
// pays its first 150,000 again, a count and a pass over its hits a bucket.
const searchCollectedMax = 150_000

// LuceneQuery is the full-text query a search sends (exported for the
// benchmark's raw Cypher, which asks the index the same question). It
// requires every folded token, each equal, as a prefix or (from four
// runes on) a fuzzy match within graph.TypoAllowance edits; Lucene's fuzzy
// distance counts a transposition as one edit, like graph.MatchScore. The
// boosts order the index's ranking the way MatchScore orders its tiers
// (exact 1, prefix 0.7, typo at most 0.4 per token, and a whole name
// first): an exact token scores far above a prefix (a prefix query scores
// its boost, whatever the term), a typo far below, and the whole query as a
// phrase adds on top, so that the candidates a page is ranked among are the
// likely best.
func LuceneQuery(tokens []string) string {
	clauses := make([]string, 0, len(tokens)+1)
	for _, t := range tokens {
		e := luceneEscape(t)
		c := fmt.Sprintf("%s^20 OR %s*^2", e, e)
		if allow := graph.TypoAllowance(utf8.RuneCountInString(t)); allow > 0 {
			c += fmt.Sprintf(" OR %s~%d^0.1", e, allow)
		}
		clauses = append(clauses, "+("+c+")")
	}
	if len(tokens) > 1 {
		esc := make([]string, len(tokens))
		for i, t := range tokens {
			esc[i] = luceneEscape(t)
		}
		clauses = append(clauses, `"`+strings.Join(esc, " ")+`"^40`)
	}
	return strings.Join(clauses, " ")
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
