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
	cypher := pathsCypher(q.MaxHops, f, q.Chronological, q.Select)
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

// pathsCypher compiles a path query into one query. maxHops is a small
// integer spliced into the text (quantifier bounds cannot be parameters);
// everything else is a parameter.
//
// SHORTEST g GROUPS returns every path of the g shortest lengths. The
// conditions that make a path one of ours (no entity twice; for a
// chronological path, start days that never decrease) sit inside the
// parenthesised path pattern, which makes them a pre-filter: they hold
// before the groups are chosen, not after. The groups widen one stage at a
// time while fewer than limit paths are found and the previous stage
// found all the lengths it asked for; each stage orders its paths by
// length, then link ids element by element (Neo4j orders strings by code
// point, as Go does by bytes), and keeps the first limit.
//
// The entities entered carry no label: every relationship joins two
// entities (links are the only relationships the store writes, between
// :Entity nodes), and a label check is a read per node expanded, which
// doubled the server's work (PROFILE over the bench's path pairs at 100k).
func pathsCypher(maxHops int, f linkFilter, chronological bool, sel graph.Selection) string {
	// x: the entities entered, in order; r: the links, in order.
	cond := "all(i IN range(0, size(x) - 1) WHERE x[i] <> a AND NOT x[i] IN x[i + 1..])"
	if chronological {
		cond += " AND all(i IN range(0, size(r) - 2) WHERE r[i].startLo <= r[i + 1].startLo)"
	}
	pattern := func(g int) string {
		if maxHops == 1 {
			// Neo4j refuses a selector over a single hop; one hop between
			// two distinct entities is always a simple path, and one link
			// is always chronological.
			return fmt.Sprintf("(a)-[%s WHERE %s]-(b)", f.rel("r"), f.cond("r"))
		}
		return fmt.Sprintf("SHORTEST %d GROUPS ((a)(()-[%s WHERE %s]-(x)){1,%d}(b) WHERE %s)", g, f.rel("r"), f.cond("r"), maxHops, cond)
	}
	var b strings.Builder
	b.WriteString("OPTIONAL MATCH (a:Entity {id: $from}) OPTIONAL MATCH (b:Entity {id: $to}) ")
	// Stages see only the counts of the stage before them: a list carried
	// into a subquery rides along every one of its rows, and the server
	// charges the transaction's memory for each copy.
	// The first stage's shortest length m1 bounds the lengths there are
	// to find: a stage asking for more groups than lengths from m1 to
	// maxHops would only repeat the one before it.
	for g := 1; g <= maxHops; g++ {
		scope, guard, ret := "a, b", "WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL ", ""
		if g == 1 {
			ret = ", min(length(p)) AS m1"
		} else {
			scope += fmt.Sprintf(", m1, c%d, g%d", g-1, g-1)
			guard += fmt.Sprintf("AND c%d < $limit AND g%d = %d AND m1 + %d <= %d ", g-1, g-1, g-1, g-1, maxHops)
		}
		fmt.Fprintf(&b, "CALL (%s) { %sMATCH p = %s "+
			"WITH p, [l IN relationships(p) | l.id] AS ids ORDER BY length(p), ids LIMIT $limit "+
			"RETURN collect(p) AS p%d, count(p) AS c%d, count(DISTINCT length(p)) AS g%d%s } ", scope, guard, pattern(g), g, g, g, ret)
	}
	// The deepest stage that ran holds the answer; later ones are empty.
	found := "[]"
	for g := 1; g <= maxHops; g++ {
		found = fmt.Sprintf("CASE WHEN size(p%d) > 0 THEN p%d ELSE %s END", g, g, found)
	}
	fmt.Fprintf(&b, "RETURN a IS NOT NULL AS a, b IS NOT NULL AS b, [p IN %s | %s] AS paths",
		found, pathProjOf("nodes(p)", "relationships(p)", sel))
	return b.String()
}
