package neo4j

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
)

// maxCandidates bounds what one statement of Candidates asks of a
// full-text index for one query before it asks again uncut.
const maxCandidates = 20_000

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
//
// Each index answers at most maxCandidates hits a query, the best by
// Lucene's score, which is not BlockRank then id, and before the kind
// filter: a query one of whose indexes filled that answer (a token that
// tens of thousands of entities share, as at a million entities) is asked
// again without the cut and every hit ranked (candidatesUncut), so that
// every store returns the same candidates.
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
		var cut []any // the params of the queries an index answer was cut for
		// Each query's hits are collected in a subquery of their own and
		// come as one row, cut to the query's best here as it arrives: the
		// transaction (Neo4j's memory pool and ours) holds one query's hits
		// at a time, where a collect grouped by query over the whole batch
		// held every query's at once (1,000 queries at 1M entities went
		// past db.memory.transaction.total.max). Each hit is tagged with
		// its index (UNION ALL) so that a full answer of one is seen
		// before the kind filter.
		err := tx.each(ctx, "UNWIND $qs AS q CALL { WITH q CALL { "+indexHits("{limit: $limit}", true)+" } "+
			"RETURN collect(DISTINCT CASE WHEN q.kinds IS NULL OR node.kind IN q.kinds THEN "+
			"[node.id, node.searchText + coalesce(' ' + node.latinText, ''), node.idText] END) AS hits, "+
			"count(CASE src WHEN 0 THEN 1 END) >= $limit OR count(CASE src WHEN 1 THEN 1 END) >= $limit OR "+
			"count(CASE src WHEN 2 THEN 1 END) >= $limit AS cut } "+
			"RETURN q.i AS i, hits, cut",
			map[string]any{"qs": params, "names": searchIndex, "latin": latinIndex, "ids": identifierIndex, "limit": maxCandidates},
			func(r *neo4jdrv.Record) error {
				i := int(get(r, "i").(int64))
				if c, _ := get(r, "cut").(bool); c {
					cut = append(cut, params[i])
					return nil
				}
				var err error
				hits[i], err = bestOf(&qs[i], get(r, "hits"))
				return err
			})
		if err != nil {
			return nil, err
		}
		if len(cut) > 0 {
			s.log.Debug("candidates: index answers cut, asked again uncut", "queries", len(cut), "limit", maxCandidates)
			if err := candidatesUncut(ctx, tx, qs, cut, hits); err != nil {
				return nil, err
			}
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

// indexHits is the union of the three indexes' hits (node) of a query q,
// each index asked with opts; tagged, each hit also has src, the index's
// number (0 names, 1 latin, 2 identifiers), and the union keeps a node
// once per index that hit it.
func indexHits(opts string, tagged bool) string {
	union, tag := "UNION", func(int) string { return "" }
	if tagged {
		union, tag = "UNION ALL", func(n int) string { return fmt.Sprintf(", %d AS src", n) }
	}
	branch := func(n int, field, index string) string {
		return "WITH q WITH q WHERE q." + field + " IS NOT NULL " +
			"CALL db.index.fulltext.queryNodes($" + index + ", q." + field + ", " + opts + ") YIELD node RETURN node" + tag(n)
	}
	return branch(0, "names", "names") + " " + union + " " + branch(1, "names", "latin") + " " + union + " " + branch(2, "ids", "ids")
}

// candidatesUncut ranks every hit of the queries whose params are cut
// (some index answer of theirs was full) and sets their hits. Each query's
// hits come as one row, like the cut ones (at 1M entities a row a hit took
// 1.3-1.45x as long; a token that every company has, 150,000 hits, still
// fits one query's row), and only its best are kept (bestHits).
func candidatesUncut(ctx context.Context, tx *txn, qs []graph.CandidateQuery, cut []any, hits [][]graph.Entity) error {
	return tx.each(ctx, "UNWIND $qs AS q CALL { WITH q CALL { "+indexHits("{}", false)+" } "+
		"WITH q, node WHERE q.kinds IS NULL OR node.kind IN q.kinds "+
		"RETURN collect([node.id, node.searchText + coalesce(' ' + node.latinText, ''), node.idText]) AS hits } "+
		"RETURN q.i AS i, hits",
		map[string]any{"qs": cut, "names": searchIndex, "latin": latinIndex, "ids": identifierIndex},
		func(r *neo4jdrv.Record) error {
			i := int(get(r, "i").(int64))
			var err error
			hits[i], err = bestOf(&qs[i], get(r, "hits"))
			return err
		})
}

// bestOf ranks one query's hits as a row gives them ([id, name text,
// identifier text] each) and returns the best (bestHits).
func bestOf(q *graph.CandidateQuery, row any) ([]graph.Entity, error) {
	var toks [1][]string
	b := newBestHits(q)
	for _, h := range asList(row) {
		hit := asList(h)
		if len(hit) != 3 {
			return nil, fmt.Errorf("neo4j: candidate row of %d values", len(hit))
		}
		toks[0] = strings.Fields(str(hit[1]))
		b.add(str(hit[0]), toks[:], strings.Fields(str(hit[2])))
	}
	return b.best(), nil
}

// bestHits ranks one query's hits (graph.BlockRank) as they come and
// keeps the best q.Limit by rank then id, plus a bounded slack: the best
// of a part are the best of the whole wherever the rest falls, so the
// hits of a token that half the graph shares never pile up.
type bestHits struct {
	ranker *graph.BlockRanker
	limit  int
	es     []graph.Entity
	ranks  []int
}

func newBestHits(q *graph.CandidateQuery) *bestHits {
	return &bestHits{ranker: graph.NewBlockRanker(q), limit: q.Limit}
}

func (b *bestHits) add(id string, tokens [][]string, ids []string) {
	r := b.ranker.Rank(tokens, ids)
	if r == 0 {
		return
	}
	b.es = append(b.es, graph.Entity{ID: id})
	b.ranks = append(b.ranks, r)
	if len(b.es) >= 2*b.limit+bestSlack {
		rank := make(map[string]int, len(b.es))
		for k, e := range b.es {
			rank[e.ID] = b.ranks[k]
		}
		b.es = graph.RankCandidates(b.es, b.ranks, b.limit)
		b.ranks = b.ranks[:len(b.es)]
		for k, e := range b.es {
			b.ranks[k] = rank[e.ID]
		}
	}
}

// bestSlack is how many hits beyond twice the limit bestHits holds
// before it cuts them to the limit.
const bestSlack = 4096

// best is the query's candidates, best first, only their ids set.
func (b *bestHits) best() []graph.Entity {
	return graph.RankCandidates(b.es, b.ranks, b.limit)
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
