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
// accepts. Every candidate of the asked kinds comes back (id, kind, name
// and aliases) and is scored in Go, and the page is the best First after
// the cursor by graph.RankHits, as the embedded store ranks: pages, order
// and totalCount are the same on both stores. The index's own ranking
// (BM25 with length norms, equal scores in document order) is not
// MatchScore's, so a page's hits need not be among any cut of it: search
// once ranked the index's best 100 (ten per hit asked) batch by batch, and
// a token that more entities share than that gave other pages than the
// embedded store's (storetest's Search/Crowded; at 100k entities most
// first-name and every prefix search). A query with fewer candidates costs
// what it did; one shared by many entities costs all its candidates, in
// one row (a two-letter prefix at 100k entities: 9,300). Only the page's
// entities are fetched in full, and only when the caller reads more of
// them than the ranking did (q.Select).
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
	res, err := read(ctx, s, func(tx *txn) (graph.SearchResult, error) {
		r, err := tx.single(ctx, "search", searchCandidates,
			map[string]any{"index": searchIndex, "query": LuceneQuery(tokens), "kinds": kindStrings(q.Kinds)})
		if err != nil {
			return graph.SearchResult{}, err
		}
		page, err := rankCandidates(match, asList(get(r, "c")), q.First, q.After)
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

// rankedParts are the parts of an entity the search statement reads to
// rank it (searchCandidates), besides its id and kind.
const rankedParts = graph.EntityName | graph.EntityAliases

// searchCandidates is every candidate of the index of the asked kinds, as
// one list in one record ([id, kind, name, aliases] each), not a record
// each: the driver pays per record (half the Go CPU of a search of 200
// candidates, measured against rows at 100k).
const searchCandidates = "CALL db.index.fulltext.queryNodes($index, $query) YIELD node " +
	"WHERE $kinds IS NULL OR node.kind IN $kinds " +
	"RETURN collect([node.id, node.kind, node.name, node.aliases]) AS c"

// rankCandidates scores the candidates (searchCandidates's rows) and
// returns the page of first after the cursor after, with totalCount the
// number of matches; graph.RankHits ranks and cuts it. Only what can still
// be on the page is held: a hit at or before the cursor, or after the
// worst of the best first+1 kept when they were last cut (a bar that only
// rises), is dropped as it comes, so the hits of a token that half the
// graph shares neither pile up nor are sorted again and again.
func rankCandidates(match *graph.Matcher, rows []any, first int, after string) (graph.SearchResult, error) {
	var cur *graph.Cursor
	if after != "" {
		c, err := graph.DecodeCursor(after)
		if err != nil {
			return graph.SearchResult{}, err
		}
		cur = &c
	}
	var hits []graph.SearchHit
	var bar *graph.SearchHit
	matched := 0
	keep := func() error {
		ranked, err := graph.RankHits(hits, first+1, after)
		if err != nil {
			return err
		}
		hits = append(hits[:0:0], ranked.Hits...)
		if len(hits) == first+1 {
			bar = &hits[first]
		}
		return nil
	}
	for _, c := range rows {
		row := asList(c)
		if len(row) != 4 {
			return graph.SearchResult{}, fmt.Errorf("neo4j: search candidate of %d values", len(row))
		}
		e := graph.Entity{ID: str(row[0]), Kind: graph.Kind(str(row[1])), Name: str(row[2]), Aliases: strs(row[3])}
		score := match.Score(graph.NameTokens(&e))
		if score <= 0 {
			continue
		}
		matched++
		if cur != nil && !ranksBefore(cur.Score, cur.ID, score, e.ID) ||
			bar != nil && !ranksBefore(score, e.ID, bar.Score, bar.Entity.ID) {
			continue
		}
		hits = append(hits, graph.SearchHit{Entity: e, Score: score})
		if len(hits) >= 2*(first+1)+rankSlack {
			if err := keep(); err != nil {
				return graph.SearchResult{}, err
			}
		}
	}
	if err := keep(); err != nil {
		return graph.SearchResult{}, err
	}
	page := graph.SearchResult{Hits: hits, TotalCount: matched}
	if len(page.Hits) > first {
		page.Hits, page.HasNextPage = page.Hits[:first], true
	}
	if len(page.Hits) > 0 {
		page.EndCursor = page.Hits[len(page.Hits)-1].Cursor
	}
	return page, nil
}

// ranksBefore reports whether a hit of score a and id aID ranks before
// one of score b and id bID in graph.RankHits's order (score descending,
// then id).
func ranksBefore(a float64, aID string, b float64, bID string) bool {
	return a > b || a == b && aID < bID
}

// rankSlack is how many hits beyond twice the page rankCandidates holds
// before it cuts them to the page.
const rankSlack = 1024

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
