package neo4j

import (
	"context"
	"fmt"
	"slices"

	"github.com/skein-project/skein/graph"
)

var _ graph.OwnershipStore = (*Store)(nil)

// Ownership chains are one query each: a quantified path pattern over the
// OWNS relationships in force (the time filter inside the hop), at most
// MaxDepth hops, kept simple (no entity twice) by a predicate over the
// entities entered; the chains' tallies are added up by the server from
// the plain percentage property of each OWNS relationship (sharesCypher),
// and only the tallies travel, with the chains themselves when asked for.
// The chains are counted against graph.MaxOwnershipChains before anything
// else, by a first walk that stops at one more than the bound: a question
// that reaches it is refused without the second walk adding anything up.

// OwnershipTallies tallies the simple OWNS chains from or to q.ID (see
// graph.OwnershipQuery) in one query.
func (s *Store) OwnershipTallies(ctx context.Context, q graph.OwnershipQuery) ([]graph.OwnershipTally, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	f := newLinkFilter([]graph.LinkType{graph.LinkOwns}, q.When)
	params := f.params(map[string]any{"id": q.ID, "cap": int64(graph.MaxOwnershipChains + 1)})
	cypher := tallyCypher(q.MaxDepth, q.Holdings, f, q.Chains, q.Select)
	out, err := read(ctx, s, func(tx *txn) ([]graph.OwnershipTally, error) {
		rec, err := tx.single(ctx, "ownership", cypher, params)
		if err != nil {
			return nil, err
		}
		if found, _ := get(rec, "found").(bool); !found {
			return nil, fmt.Errorf("entity %q: %w", q.ID, graph.ErrNotFound)
		}
		start, err := decodeEntity(get(rec, "start"))
		if err != nil {
			return nil, err
		}
		if integer(get(rec, "n")) > graph.MaxOwnershipChains {
			return nil, graph.ErrTooManyChains
		}
		var ts []graph.OwnershipTally
		for _, v := range asList(get(rec, "tallies")) {
			m, _ := v.(map[string]any)
			end, err := decodeEntity(m["e"])
			if err != nil {
				return nil, err
			}
			t := graph.OwnershipTally{Owner: start, Asset: end}
			if !q.Holdings {
				t.Owner, t.Asset = end, start
			}
			if err := decodeTally(&t, m, start, !q.Holdings); err != nil {
				return nil, err
			}
			ts = append(ts, t)
		}
		return ts, nil
	})
	if err != nil {
		return nil, fmt.Errorf("ownership: %w", err)
	}
	return out, nil
}

// DesignatedOwnership tallies the simple OWNS chains from every designated
// entity to the undesignated ones (see graph.DesignatedOwnershipQuery) in
// one query.
func (s *Store) DesignatedOwnership(ctx context.Context, q graph.DesignatedOwnershipQuery) ([]graph.OwnershipTally, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	f := newLinkFilter([]graph.LinkType{graph.LinkOwns}, q.When)
	d := newDesignatedFilter(q.When)
	params := d.params(f.params(map[string]any{"cap": int64(graph.MaxOwnershipChains + 1)}))
	cypher := designatedCypher(q.MaxDepth, q.Combined, f, d, q.Chains, q.Select)
	out, err := read(ctx, s, func(tx *txn) ([]graph.OwnershipTally, error) {
		rec, err := tx.single(ctx, "sanctionsOwnership", cypher, params)
		if err != nil {
			return nil, err
		}
		if integer(get(rec, "n")) > graph.MaxOwnershipChains {
			return nil, graph.ErrTooManyChains
		}
		var ts []graph.OwnershipTally
		for _, v := range asList(get(rec, "tallies")) {
			m, _ := v.(map[string]any)
			if skip, _ := m["skip"].(bool); skip {
				continue // a designated asset: counted, not an answer
			}
			owner, err := decodeEntity(m["owner"])
			if err != nil {
				return nil, err
			}
			t := graph.OwnershipTally{Owner: owner}
			if t.Asset, err = decodeEntity(m["e"]); err != nil {
				return nil, err
			}
			if err := decodeTally(&t, m, owner, false); err != nil {
				return nil, err
			}
			ts = append(ts, t)
		}
		return ts, nil
	})
	if err != nil {
		return nil, fmt.Errorf("sanctionsOwnership: %w", err)
	}
	return out, nil
}

// simpleChain is the condition that the entities x entered from start
// are all different from it and from each other.
func simpleChain(start string) string {
	return "all(i IN range(0, size(x) - 1) WHERE x[i] <> " + start + " AND NOT x[i] IN x[i + 1..])"
}

// ownsHop is one hop of a chain walked forward (from owner to asset) or
// backward, entering entity x over relationship r.
func ownsHop(f linkFilter, forward bool) string {
	if forward {
		return "()-[" + f.rel("r") + " WHERE " + f.cond("r") + "]->(x)"
	}
	return "()<-[" + f.rel("r") + " WHERE " + f.cond("r") + "]-(x)"
}

// sharesCypher adds up chains (x, r) grouped by keys and the chain's end
// e, in chain order (link ids element by element, as the snapshot walk
// takes them): the share of the stated chains (100 times the product of
// the percentages over 100, taken along the chain), their count, the
// chains' count, the direct percentage and the count of the one-link
// stated chains, and, with chains, the stated and unstated chains (the
// entities entered and the links, in walking order).
func sharesCypher(keys string, chains bool, sel graph.Selection) string {
	b := "WITH " + keys + ", x, r ORDER BY [l IN r | l.id] " +
		"WITH " + keys + ", x, r, reduce(p = 1.0, l IN r | p * (l.percentage / 100.0)) AS prod " +
		"WITH " + keys + ", x[-1] AS e, sum(prod * 100.0) AS share, count(prod) AS stated, count(*) AS chains, " +
		"sum(CASE WHEN size(r) = 1 THEN r[0].percentage END) AS direct, count(CASE WHEN size(r) = 1 THEN r[0].percentage END) AS directs"
	if chains {
		chain := pathProjOf("x", "r", sel)
		b += ", collect(CASE WHEN prod IS NOT NULL THEN " + chain + " END) AS known" +
			", collect(CASE WHEN prod IS NULL THEN " + chain + " END) AS unknown"
	}
	return b + " "
}

// tallyFields is the map a tally travels in.
func tallyFields(chains bool) string {
	b := "share: share, stated: stated, chains: chains, direct: direct, directs: directs"
	if chains {
		b += ", known: known, unknown: unknown"
	}
	return b
}

// tallyCypher compiles an OwnershipQuery into one query returning one
// record: whether the entity exists, its projection, the number of chains
// (counted up to $cap first, so that a question with too many is refused
// without adding them up) and, when they are fewer, the tallies per entity
// at the other end. depth is a small integer spliced into the text
// (quantifier bounds cannot be parameters).
func tallyCypher(depth int, forward bool, f linkFilter, chains bool, sel graph.Selection) string {
	walk := fmt.Sprintf("MATCH (a)(%s){1,%d} WHERE %s ", ownsHop(f, forward), depth, simpleChain("a"))
	return "OPTIONAL MATCH (a:Entity {id: $id}) " +
		"CALL (a) { WITH a WHERE a IS NOT NULL " + walk + "WITH x LIMIT $cap RETURN count(*) AS n } " +
		"CALL (a, n) { WITH a, n WHERE a IS NOT NULL AND n < $cap " + walk + sharesCypher("a", chains, sel) +
		"RETURN collect({e: e" + entityProjOf(sel) + ", " + tallyFields(chains) + "}) AS tallies } " +
		"RETURN a IS NOT NULL AS found, a" + entityProjOf(sel) + " AS start, n, tallies"
}

// designatedCypher compiles a DesignatedOwnershipQuery into one query: the
// number of chains from designated owners (counted up to $cap first, as
// tallyCypher does) and, when they are fewer, one tally per designated
// owner and entity reached, with skip set when that entity is designated
// too (its chains count against the bound; it is no answer).
func designatedCypher(depth int, combined bool, f linkFilter, d designatedFilter, chains bool, sel graph.Selection) string {
	cond := simpleChain("o")
	if combined {
		// The walk stops at a designated entity: none stands between.
		cond += " AND none(n IN x[0..-1] WHERE " + d.cond("n") + ")"
	}
	owners := "MATCH (o:Entity) WHERE " + d.cond("o") + " "
	walk := fmt.Sprintf("CALL (o) { MATCH (o)(%s){1,%d} WHERE %s RETURN x, r } ", ownsHop(f, true), depth, cond)
	return "CALL () { " + owners + walk + "WITH x LIMIT $cap RETURN count(*) AS n } " +
		"CALL (n) { WITH n WHERE n < $cap " + owners + walk + sharesCypher("o", chains, sel) +
		"RETURN collect({owner: o" + entityProjOf(sel) + ", e: e" + entityProjOf(sel) + ", skip: " + d.cond("e") + ", " + tallyFields(chains) + "}) AS tallies } " +
		"RETURN n, tallies"
}

// decodeTally fills t's figures and chains from its map. start is the
// entity the walk began at; backward chains (walked from the asset) are
// turned owner first.
func decodeTally(t *graph.OwnershipTally, m map[string]any, start graph.Entity, backward bool) error {
	t.Share = number(m["share"])
	t.Direct = number(m["direct"])
	t.HasDirect = integer(m["directs"]) > 0
	t.Stated = integer(m["stated"])
	t.Unstated = integer(m["chains"]) - t.Stated
	var err error
	if t.Paths, err = decodeChains(m["known"], start, backward); err != nil {
		return err
	}
	t.UnstatedPaths, err = decodeChains(m["unknown"], start, backward)
	return err
}

func decodeChains(v any, start graph.Entity, backward bool) ([]graph.Path, error) {
	list := asList(v)
	out := make([]graph.Path, 0, len(list))
	for _, c := range list {
		p, err := decodePath(c, start)
		if err != nil {
			return nil, err
		}
		if backward {
			slices.Reverse(p.Nodes)
			slices.Reverse(p.Links)
		}
		out = append(out, p)
	}
	return out, nil
}

// percentageProp is the plain percentage property of an OWNS
// relationship (nil when none is stated), which sharesCypher multiplies.
func percentageProp(l *graph.Link) any {
	if p, ok := l.Percentage(); ok {
		return p
	}
	return nil
}

// sharesMigrationBatch is how many OWNS relationships one migration
// transaction reads.
const sharesMigrationBatch = 5000

// migrateShares gives the plain percentage property to the OWNS
// relationships whose properties state one but that lack it (written by
// an earlier Skein or a hand-made import), in batches by id: each a
// managed write transaction that reads a batch and writes it back with one
// UNWIND. It is idempotent, and terminates whatever it finds: a percentage
// that cannot be read is left unset and passed over.
func (s *Store) migrateShares(ctx context.Context) error {
	after, total := "", 0
	for {
		n, last, err := s.migrateSharesBatch(ctx, after)
		if err != nil {
			return fmt.Errorf("neo4j: migrate OWNS percentages: %w", err)
		}
		total += n
		if last == "" {
			if total > 0 {
				s.log.Info("neo4j: OWNS percentages brought up to date", "links", total)
			}
			return nil
		}
		after = last
	}
}

// migrateSharesBatch migrates the batch after id after and returns how
// many it wrote and the last id read ("" when there were no more).
func (s *Store) migrateSharesBatch(ctx context.Context, after string) (int, string, error) {
	type res struct {
		n    int
		last string
	}
	own := mustType(graph.LinkOwns)
	r, err := write(ctx, s, func(tx *txn) (res, error) {
		recs, err := tx.collect(ctx, "MATCH ()-[r:"+own+"]->() WHERE r.id > $after AND r.percentage IS NULL "+
			"AND r.properties CONTAINS $key RETURN r.id AS id, r.properties AS p ORDER BY r.id LIMIT $n",
			map[string]any{"after": after, "key": `"percentage"`, "n": int64(sharesMigrationBatch)})
		if err != nil || len(recs) == 0 {
			return res{}, err
		}
		var rows []any
		for _, rec := range recs {
			l := graph.Link{ID: str(get(rec, "id")), Type: graph.LinkOwns}
			if err := unjson(get(rec, "p"), &l.Properties); err != nil {
				return res{}, fmt.Errorf("link %q properties: %w", l.ID, err)
			}
			if p := percentageProp(&l); p != nil {
				rows = append(rows, map[string]any{"id": l.ID, "p": p})
			}
		}
		last := str(get(recs[len(recs)-1], "id"))
		if len(rows) == 0 {
			return res{0, last}, nil
		}
		return res{len(rows), last}, tx.exec(ctx, "UNWIND $rows AS row MATCH ()-[r:"+own+" {id: row.id}]->() SET r.percentage = row.p",
			map[string]any{"rows": rows})
	})
	return r.n, r.last, err
}
