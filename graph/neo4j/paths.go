package neo4j

import (
	"context"
	"fmt"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Paths returns simple paths between two entities (see graph.PathQuery)
// in one query, returning only the parts of the records that q.Select
// selects.
func (s *Store) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Path, error) {
	if err := q.Normalize(); err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	f := newLinkFilter(q.LinkTypes, q.When)
	f.dated = q.Chronological
	params := f.params(map[string]any{"from": q.From, "to": q.To, "limit": q.Limit})
	cypher := s.queries.text(shapeOf("paths", q.MaxHops, q.Limit, f, q.Chronological, false, q.Select), func() string {
		return pathsCypher(q.MaxHops, q.Limit, f, q.Chronological, q.Select)
	})
	out, err := read(ctx, s, func(tx *txn) ([]graph.Path, error) {
		r, err := tx.single(ctx, "paths", cypher, params)
		if err != nil {
			return nil, err
		}
		for _, end := range []string{"a", "b"} {
			if ok, _ := get(r, end).(bool); !ok {
				id := q.From
				if end == "b" {
					id = q.To
				}
				return nil, fmt.Errorf("entity %q: %w", id, graph.ErrNotFound)
			}
		}
		return decodePaths(get(r, "paths"))
	})
	if err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	return out, nil
}

// pathsCypher compiles a path query into one query. maxHops and limit are
// small integers spliced into the text (quantifier bounds and path
// selectors cannot be parameters); everything else is a parameter, and
// $limit carries limit too.
//
// The conditions that make a path one of ours (no entity twice; for a
// chronological path, start days that never decrease) sit inside the
// parenthesised path pattern, which makes them a pre-filter: they hold
// before the selector chooses, not after. The answer is the first limit
// paths by length, then link ids element by element (Neo4j orders strings
// by code point, as Go does by bytes). A first stage asks for the limit
// shortest paths (SHORTEST limit, ties at the longest length taken as they
// come). When it finds fewer, it found every path there is, and it is the
// answer. When it finds limit, every path shorter than its longest is
// among them, but only some of the longest: a second stage asks for every
// path of its g lengths (SHORTEST g GROUPS) and keeps the first limit.
// So a pair with few paths between them (the common case) costs one
// selector, as a hand-written SHORTEST k does, and no stage repeats
// another's lengths to learn whether the next length is needed.
//
// The entities entered carry no label: every relationship joins two
// entities (links are the only relationships the store writes, between
// :Entity nodes), and a label check is a read per node expanded, which
// doubled the server's work (PROFILE over the bench's path pairs at 100k).
func pathsCypher(maxHops, limit int, f linkFilter, chronological bool, sel graph.Selection) string {
	// x: the entities entered, in order; r: the links, in order.
	cond := "all(i IN range(0, size(x) - 1) WHERE x[i] <> a AND NOT x[i] IN x[i + 1..])"
	if chronological {
		cond += " AND all(i IN range(0, size(r) - 2) WHERE r[i].startLo <= r[i + 1].startLo)"
	}
	pattern := func(selector string) string {
		if maxHops == 1 {
			// Neo4j refuses a selector over a single hop; one hop between
			// two distinct entities is always a simple path, and one link
			// is always chronological.
			return fmt.Sprintf("(a)-[%s WHERE %s]-(b)", f.rel("r"), f.cond("r"))
		}
		return fmt.Sprintf("%s ((a)(()-[%s WHERE %s]-(x)){1,%d}(b) WHERE %s)", selector, f.rel("r"), f.cond("r"), maxHops, cond)
	}
	// A stage sees only the counts of the stage before it: a list carried
	// into a subquery rides along every one of its rows, and the server
	// charges the transaction's memory for each copy.
	stage := func(n int, scope, guard, selector string) string {
		return fmt.Sprintf("CALL (%s) { WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL %sMATCH p = %s "+
			"WITH p, [l IN relationships(p) | l.id] AS ids ORDER BY length(p), ids LIMIT $limit "+
			"RETURN collect(p) AS p%d, count(p) AS c%d, count(DISTINCT length(p)) AS g%d } ", scope, guard, pattern(selector), n, n, n)
	}
	var b strings.Builder
	b.WriteString("OPTIONAL MATCH (a:Entity {id: $from}) OPTIONAL MATCH (b:Entity {id: $to}) ")
	b.WriteString(stage(0, "a, b", "", fmt.Sprintf("SHORTEST %d", limit)))
	// One hop has one length: the first stage read every such path.
	found := "p0"
	if maxHops > 1 {
		found = "CASE WHEN c0 < $limit THEN p0"
		for g := 1; g <= maxHops; g++ {
			b.WriteString(stage(g, "a, b, c0, g0", fmt.Sprintf("AND c0 = $limit AND g0 = %d ", g), fmt.Sprintf("SHORTEST %d GROUPS", g)))
			found += fmt.Sprintf(" WHEN g0 = %d THEN p%d", g, g)
		}
		found += " END"
	}
	fmt.Fprintf(&b, "RETURN a IS NOT NULL AS a, b IS NOT NULL AS b, [p IN %s | %s] AS paths",
		found, pathProjOf("nodes(p)", "relationships(p)", sel))
	return b.String()
}
