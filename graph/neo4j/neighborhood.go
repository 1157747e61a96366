package neo4j

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Neighborhood returns the subgraph around an entity (see
// graph.NeighborhoodQuery) in one query, returning only the parts of the
// records that q.Select selects.
func (s *Store) Neighborhood(ctx context.Context, q graph.NeighborhoodQuery) (graph.Subgraph, error) {
	if err := q.Normalize(); err != nil {
		return graph.Subgraph{}, fmt.Errorf("neighborhood: %w", err)
	}
	f := newLinkFilter(q.LinkTypes, q.When)
	params := f.params(map[string]any{"id": q.ID, "kinds": kindStrings(q.Kinds), "limit": q.Limit, "cut": q.Limit - 1, "dense": q.Limit + cmp.Or(s.denseMargin, denseMargin)})
	kinds := len(q.Kinds) > 0
	cypher := s.queries.text(shapeOf("neighborhood", q.Depth, 0, f, false, kinds, q.Select), func() string {
		return neighborhoodCypher(q.Depth, f, q.Select, kinds)
	})
	sg, err := read(ctx, s, func(tx *txn) (graph.Subgraph, error) {
		var sg graph.Subgraph
		recs, err := tx.collect(ctx, cypher, params)
		if err != nil {
			return sg, err
		}
		if len(recs) == 0 {
			return sg, fmt.Errorf("entity %q: %w", q.ID, graph.ErrNotFound)
		}
		r := recs[0]
		sg.Truncated, _ = get(r, "truncated").(bool)
		if sg.Nodes, err = decodeNodeColumns(r, q.Select); err != nil {
			return sg, err
		}
		sg.Links, sg.LinkColumns, err = decodeLinkColumns(r, sg.Nodes, q.Select)
		return sg, err
	})
	if err != nil {
		return graph.Subgraph{}, fmt.Errorf("neighborhood: %w", err)
	}
	return sg, nil
}

// denseMargin is how many links past the limit make a start dense
// enough for firstLevel's index seeks: below it, reading every
// neighbour's id costs less than the seeks (about 0.5-1 ms of server
// time for the 28 of them, against about 1 µs a neighbour).
const denseMargin = 1000

// neighborhoodCypher compiles a neighbourhood into one query. The depth is
// a small integer spliced into the text (quantifier bounds cannot be
// parameters); everything else is a parameter.
//
// The walk deepens one hop per stage, and a stage runs only while the
// previous one kept the total within the limit and reached something new:
// walking one level past the limit is enough to know whether the cut
// dropped anything, and a hub's ball three hops out can be most of the
// graph. The first stage is the start's distinct neighbours, a plain
// expansion: every one is at distance 1, so a shortest-path search would
// only add its own bookkeeping (on a hub of 2,000 links it costs more than
// the rest of the query). Each later stage is one breadth-first search
// from the start, each entity reached once at its distance: without a
// kind filter, a variable-length expansion asked only for each end's
// shortest length, which Neo4j runs as its pruning breadth-first expand
// (VarLengthExpand(Pruning,BFS), with the relationship predicate inlined),
// cheaper than the shortest-path operator; with one, ANY SHORTEST with an
// open end, whose quantified pattern can require the kind of every entity
// entered. Each stage orders its ball by distance
// then id (Neo4j orders strings by code point, as Go does by bytes) and
// keeps the first limit-1 besides the start. The order is asked for the
// first limit only (ORDER BY ... LIMIT): Neo4j then keeps a bounded heap
// (Top, PartialTop) instead of sorting the whole ball, which on a hub of
// 20,000 neighbours was most of the query's time. A stage's count is
// then the ball's size capped at the limit, which is all that the next
// stage's guard (at most $cut, and more than the stage before) and the
// truncation flag (at least $limit) ask of it. The links among the kept
// nodes come along in the same answer, each found from its source. Nodes
// and links come as columns (entityColumns, linkColumns), not maps or
// rows.
//
// Node patterns carry no label: every relationship joins two entities
// (links are the only relationships the store writes, between :Entity
// nodes), so a label check would cost a read per row for nothing, on a
// hub thousands of them.
func neighborhoodCypher(depth int, f linkFilter, sel graph.Selection, kinds bool) string {
	var b strings.Builder
	b.WriteString("MATCH (s:Entity {id: $id}) ")
	kindCond := "($kinds IS NULL OR n.kind IN $kinds)"
	step := fmt.Sprintf("(()-[%s WHERE %s]-(n WHERE %s))", f.rel("r"), f.cond("r"), kindCond)
	// The pruning expansion's relationship predicate.
	relCond := ""
	if c := f.cond("r"); c != "true" {
		relCond = " AND all(r IN rs WHERE " + c + ")"
	}
	// Stages see only the counts of the stages before them: a list
	// carried into a subquery rides along every one of its rows, and the
	// server charges the transaction's memory for each copy.
	scope := []string{"s"}
	for k := 1; k <= depth; k++ {
		guard := ""
		switch {
		case k == 2:
			guard = "WITH s WHERE n1 <= $cut AND n1 > 0 "
		case k > 2:
			guard = fmt.Sprintf("WITH s WHERE n%d <= $cut AND n%d > n%d ", k-1, k-1, k-2)
		}
		switch {
		case k == 1:
			fmt.Fprintf(&b, "CALL (s) { %s WITH DISTINCT n AS v, vid ORDER BY vid LIMIT $limit RETURN collect(v)[..$cut] AS b1, count(v) AS n1 } ",
				firstLevel(f, kindCond))
		case !kinds:
			fmt.Fprintf(&b, "CALL (%s) { %sMATCH p = (s)-[%s*1..%d]-(v) WHERE v <> s%s "+
				"WITH v, min(length(p)) AS d ORDER BY d, v.id LIMIT $limit RETURN collect(v)[..$cut] AS b%d, count(v) AS n%d } ",
				strings.Join(scope, ", "), guard, f.rel("rs"), k, relCond, k, k)
		default:
			fmt.Fprintf(&b, "CALL (%s) { %sMATCH p = ANY SHORTEST (s)%s{1,%d}(v) WHERE v <> s "+
				"WITH v, length(p) AS d ORDER BY d, v.id LIMIT $limit RETURN collect(v)[..$cut] AS b%d, count(v) AS n%d } ",
				strings.Join(scope, ", "), guard, step, k, k, k)
		}
		scope = append(scope, fmt.Sprintf("n%d", k))
	}
	// The deepest stage that ran holds the answer; later ones are empty.
	kept, total := "[]", "0"
	for k := 1; k <= depth; k++ {
		kept = fmt.Sprintf("CASE WHEN n%d > 0 THEN b%d ELSE %s END", k, k, kept)
		total = fmt.Sprintf("CASE WHEN n%d > 0 THEN n%d ELSE %s END", k, k, total)
	}
	// A link's source is its node's position (lsrc), when the ends are
	// read at all; without them the positions are not needed, and
	// unwinding the nodes themselves spares the server a range and an
	// index per node (about 5% of the server's time on an ordinary
	// neighbourhood at 100k).
	each := "UNWIND keep AS a"
	if sel.LinkEnds() {
		each = "UNWIND range(0, size(keep) - 1) AS i WITH i, keep[i] AS a"
	}
	fmt.Fprintf(&b, "WITH [s] + %s AS keep, %s >= $limit AS truncated "+
		"CALL (keep) { %s "+
		"MATCH (a)-[%s]->(c) WHERE c IN keep AND %s RETURN %s } "+
		"RETURN %s%s, %s, truncated",
		kept, total, each, f.rel("r"), f.cond("r"), linkColumns("r", "i", "c", sel), entityColumns("keep", sel), nodeKeys("keep", sel), linkColumnNames(sel))
	return b.String()
}

// firstLevel is a subquery returning the start's neighbours n (passing
// the filters) with their ids vid: at least the first limit of them by
// id, with repeats. A start of at most $dense links gives them all from
// one expansion, reading each neighbour's id. A denser one (a hub) seeks,
// per link type and direction, the relationships whose copy of the
// start's id is $id along the type's index on the two copies
// (linkEndIndexes): the index gives them in order of the neighbour's id,
// so each branch stops after its first limit distinct neighbours instead
// of reading every neighbour's id. At a hub of 20,000 neighbours that is
// 6,211 db hits instead of 45,684 and about a third of the server's time;
// at an ordinary entity the 28 seeks cost more than the expansion they
// replace, hence the degree test (its count is the degree store's on a
// dense node). The index hints keep a plan made while a type has few
// links from scanning them and sorting instead.
func firstLevel(f linkFilter, kindCond string) string {
	types := f.types
	if len(types) == 0 {
		types = graph.LinkTypes
	}
	var parts []string
	for _, lt := range types {
		t := mustType(lt)
		for _, d := range [2][3]string{{"(n)-[r:%s]->()", tgtIDProp, srcIDProp}, {"()-[r:%s]->(n)", srcIDProp, tgtIDProp}} {
			parts = append(parts, fmt.Sprintf("MATCH "+d[0]+" USING INDEX r:%s(%s, %s) WHERE r.%s = $id AND r.%s IS NOT NULL AND n <> s AND %s AND %s "+
				"WITH r.%s AS t, r.%s AS vid, n ORDER BY t, vid WITH DISTINCT t, vid, n LIMIT $limit RETURN vid, n",
				t, t, d[1], d[2], d[1], d[2], kindCond, f.cond("r"), d[1], d[2]))
		}
	}
	return fmt.Sprintf("WITH s, COUNT { (s)-[%s]-() } AS deg CALL (s, deg) { "+
		"WITH s, deg WHERE deg <= $dense MATCH (s)-[%s]-(n) WHERE n <> s AND %s AND %s RETURN n, n.id AS vid "+
		"UNION ALL WITH s, deg WHERE deg > $dense CALL (s) { %s } RETURN n, vid }",
		f.rel(""), f.rel("r"), f.cond("r"), kindCond, strings.Join(parts, " UNION ALL "))
}
