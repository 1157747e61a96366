package neo4j

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/skein-project/skein/graph"
)

var _ graph.ExposureStore = (*Store)(nil)

// exposurePathCap bounds the shortest paths one exposure question may
// enumerate to choose among (several shortest paths often lead to one
// designated entity). A question reaching it is declined
// (errors.ErrUnsupported), and analysis answers it from a snapshot
// instead, so the bound costs time, never a different answer.
const exposurePathCap = 100_000

// ExposurePaths finds, in one query, the path to every entity designated
// under q.When within q.MaxHops links of q.ID (see graph.ExposureStore).
//
// ALL SHORTEST with an open end finds, for every entity at the end, every
// shortest path to it; the link filter (types and time) sits inside the
// hop and the designation test on the end node, so both are pre-filters:
// the search walks only links in force and enumerates paths only to
// designated entities. Each entity's paths are then ordered by their link
// ids, element by element (Neo4j orders strings by code point, as Go does
// by bytes), and the first kept: the path SanctionsExposure's
// breadth-first search finds. At most exposurePathCap paths are
// enumerated; reaching the cap declines the question rather than answer
// from a cut set of paths.
func (s *Store) ExposurePaths(ctx context.Context, q graph.ExposureQuery) ([]graph.Path, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	f := newLinkFilter(q.LinkTypes, q.When)
	d := newDesignatedFilter(q.When)
	limit := cmp.Or(s.exposureCap, exposurePathCap)
	params := d.params(f.params(map[string]any{"id": q.ID, "cap": int64(limit)}))
	sel := q.Select
	if sel.Partial {
		sel.Entity |= graph.EntityDesignations // the answer is made of them
	}
	cypher := exposureCypher(q.MaxHops, f, d, sel)
	out, err := read(ctx, s, func(tx *txn) ([]graph.Path, error) {
		r, err := tx.single(ctx, "exposure", cypher, params)
		if err != nil {
			return nil, err
		}
		if found, _ := get(r, "found").(bool); !found {
			return nil, fmt.Errorf("entity %q: %w", q.ID, graph.ErrNotFound)
		}
		if integer(get(r, "n")) >= limit {
			return nil, fmt.Errorf("neo4j: exposure: %d or more shortest paths: %w", limit, errors.ErrUnsupported)
		}
		return decodePaths(get(r, "paths"))
	})
	if err != nil {
		return nil, fmt.Errorf("sanctionsExposure: %w", err)
	}
	return out, nil
}

// exposureCypher compiles an exposure question into one query returning
// one record: whether the entity exists, how many shortest paths were
// enumerated (at most $cap) and the chosen path to each designated entity,
// its entities and links cut to sel.
// maxHops is a small integer spliced into the text (quantifier bounds
// cannot be parameters); everything else is a parameter.
func exposureCypher(maxHops int, f linkFilter, d designatedFilter, sel graph.Selection) string {
	end := "(v:Entity WHERE v <> a AND " + d.cond("v") + ")"
	pattern := fmt.Sprintf("ALL SHORTEST (a)(()-[%s WHERE %s]-()){1,%d}%s", f.rel("r"), f.cond("r"), maxHops, end)
	if maxHops == 1 {
		// Every one-link path to another entity is a shortest one (and
		// Neo4j refuses a selector over a single hop).
		pattern = fmt.Sprintf("(a)-[%s WHERE %s]-%s", f.rel("r"), f.cond("r"), end)
	}
	return "OPTIONAL MATCH (a:Entity {id: $id}) " +
		"CALL (a) { WITH a WHERE a IS NOT NULL MATCH p = " + pattern + " WITH v, p LIMIT $cap " +
		"WITH v, p ORDER BY [l IN relationships(p) | l.id] " +
		"WITH v, head(collect(p)) AS p, count(*) AS k " +
		"RETURN sum(k) AS n, collect(" + pathProjOf("nodes(p)", "relationships(p)", sel) + ") AS paths } " +
		"RETURN a IS NOT NULL AS found, n, paths"
}
