package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Snapshots walk one query per breadth-first layer (the whole frontier at
// once), then fetch the entities and the links of the answer; shared
// associates are one query (neighbourhoods and paths have files of their
// own).

// neighbours returns the distinct ids of the entities of kinds (none: all)
// one link passing f away from any of ids: only ids cross the wire, since
// a walk needs no more.
func (t *txn) neighbours(ctx context.Context, ids []string, f linkFilter, kinds []graph.Kind) ([]string, error) {
	recs, err := t.collect(ctx, "UNWIND $ids AS id MATCH (:Entity {id: id})-["+f.rel("r")+"]-(v:Entity) "+
		"WHERE ($kinds IS NULL OR v.kind IN $kinds) AND "+f.cond("r")+" RETURN DISTINCT v.id AS v",
		f.params(map[string]any{"ids": anyStrings(ids), "kinds": kindStrings(kinds)}))
	if err != nil {
		return nil, err
	}
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = str(get(r, "v"))
	}
	return out, nil
}

// bfs walks from starts over links passing f up to depth hops, entering
// only nodes of kinds (none: all), and returns each level's new nodes
// sorted by id. stop ends the walk before a level when it returns true for
// the number of nodes found so far.
func (t *txn) bfs(ctx context.Context, starts []string, depth int, f linkFilter, kinds []graph.Kind, stop func(int) bool) ([][]string, error) {
	seen := map[string]bool{}
	for _, s := range starts {
		seen[s] = true
	}
	levels := [][]string{slices.Clone(starts)}
	total := len(starts)
	frontier := starts
	for d := 1; d <= depth && len(frontier) > 0; d++ {
		if stop != nil && stop(total) {
			break
		}
		found, err := t.neighbours(ctx, frontier, f, kinds)
		if err != nil {
			return nil, err
		}
		var next []string
		for _, v := range found {
			if !seen[v] {
				seen[v] = true
				next = append(next, v)
			}
		}
		slices.Sort(next)
		levels = append(levels, next)
		total += len(next)
		frontier = next
	}
	return levels, nil
}

// linksAmong returns the links passing f whose both ends are among ids,
// ordered by id.
func (t *txn) linksAmong(ctx context.Context, ids []string, f linkFilter) ([]graph.Link, error) {
	if len(ids) == 0 {
		return []graph.Link{}, nil
	}
	recs, err := t.collect(ctx, "UNWIND $ids AS id MATCH (a:Entity {id: id})-["+f.rel("r")+"]->(b:Entity) "+
		"WHERE b.id IN $ids AND "+f.cond("r")+" RETURN "+linkProj("r")+" AS l", f.params(map[string]any{"ids": anyStrings(ids)}))
	if err != nil {
		return nil, err
	}
	return decodeLinks(recs, "l")
}

// requireAll fails with ErrNotFound naming the first of ids that is not an
// entity.
func (t *txn) requireAll(ctx context.Context, ids []string) error {
	have, err := t.existing(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if !have[id] {
			return fmt.Errorf("entity %q: %w", id, graph.ErrNotFound)
		}
	}
	return nil
}

// SharedAssociates returns the entities within Depth hops of every one of
// IDs, excluding IDs, ordered by id, in one query: one breadth-first
// search from each of IDs (ANY SHORTEST with an open end reaches each
// entity once), keeping the entities every search reached. Only what
// q.Select selects of them crosses the wire.
//
// Each id is looked up once, and the same lookup tells which are
// missing; the searches then compare nodes, not their ids, and their
// node patterns carry no label (every relationship joins two entities,
// so a label check is a read per row for nothing): at 100k entities a
// depth-1 pair costs the server 16-25 db hits this way, 28-46 with a
// second lookup, label checks and id reads.
func (s *Store) SharedAssociates(ctx context.Context, q graph.SharedQuery) ([]graph.Entity, error) {
	if err := q.Normalize(); err != nil {
		return nil, fmt.Errorf("sharedAssociates: %w", err)
	}
	f := newLinkFilter(nil, q.When)
	// The depth is a small integer: quantifier bounds cannot be parameters.
	// One hop out is the distinct neighbours, a plain expansion: a
	// shortest-path search would only add its bookkeeping.
	reach := fmt.Sprintf("MATCH p = ANY SHORTEST (s)(()-[%s WHERE %s]-()){1,%d}(v) WHERE v <> s RETURN v", f.rel("r"), f.cond("r"), q.Depth)
	if q.Depth == 1 {
		reach = fmt.Sprintf("MATCH (s)-[%s]-(v) WHERE v <> s AND %s RETURN DISTINCT v", f.rel("r"), f.cond("r"))
	}
	cypher := "UNWIND $ids AS id OPTIONAL MATCH (s:Entity {id: id}) " +
		"WITH collect(s) AS starts, collect(CASE WHEN s IS NULL THEN id END) AS missing " +
		"CALL (starts) { UNWIND starts AS s " +
		"CALL (s) { " + reach + " } " +
		"WITH v, count(*) AS c WHERE c = size(starts) AND NOT v IN starts " +
		"WITH v ORDER BY v.id RETURN collect(v" + entityProjOf(q.Select) + ") AS shared } " +
		"RETURN missing, shared"
	out, err := read(ctx, s, func(tx *txn) ([]graph.Entity, error) {
		rec, err := tx.single(ctx, "shared associates", cypher, f.params(map[string]any{"ids": anyStrings(q.IDs)}))
		if err != nil {
			return nil, err
		}
		if missing := strs(get(rec, "missing")); len(missing) > 0 {
			return nil, fmt.Errorf("entity %q: %w", missing[0], graph.ErrNotFound)
		}
		shared := asList(get(rec, "shared"))
		out := make([]graph.Entity, 0, len(shared))
		for _, v := range shared {
			e, err := decodeEntity(v)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("sharedAssociates: %w", err)
	}
	return out, nil
}

// Snapshot returns the whole graph or the neighbourhood of IDs (see
// graph.SnapshotQuery). The whole graph's records carry what q.Select
// selects; a neighbourhood's come whole.
func (s *Store) Snapshot(ctx context.Context, q graph.SnapshotQuery) (graph.Subgraph, error) {
	if err := q.Normalize(); err != nil {
		return graph.Subgraph{}, fmt.Errorf("snapshot: %w", err)
	}
	f := newLinkFilter(q.LinkTypes, q.When)
	sg, err := read(ctx, s, func(tx *txn) (graph.Subgraph, error) {
		sg := graph.Subgraph{Nodes: []graph.Entity{}, Links: []graph.Link{}}
		if len(q.IDs) == 0 {
			// The whole graph: only what the caller reads (q.Select)
			// crosses the wire.
			recs, err := tx.collect(ctx, "MATCH (e:Entity) RETURN e"+entityProjOf(q.Select)+" AS e", nil)
			if err != nil {
				return sg, err
			}
			for _, r := range recs {
				e, err := decodeEntity(get(r, "e"))
				if err != nil {
					return sg, err
				}
				sg.Nodes = append(sg.Nodes, e)
			}
			slices.SortFunc(sg.Nodes, func(a, b graph.Entity) int { return strings.Compare(a.ID, b.ID) })
			recs, err = tx.collect(ctx, "MATCH (:Entity)-["+f.rel("r")+"]->(:Entity) WHERE "+f.cond("r")+" RETURN "+linkProjOf("r", q.Select)+" AS l", f.params(map[string]any{}))
			if err != nil {
				return sg, err
			}
			sg.Links, err = decodeLinks(recs, "l")
			return sg, err
		}
		if err := tx.requireAll(ctx, q.IDs); err != nil {
			return sg, err
		}
		levels, err := tx.bfs(ctx, q.IDs, q.Depth, f, nil, func(total int) bool { return total > graph.MaxSnapshotNodes })
		if err != nil {
			return sg, err
		}
		var ids []string
		for _, lv := range levels {
			ids = append(ids, lv...)
		}
		if len(ids) > graph.MaxSnapshotNodes {
			return sg, fmt.Errorf("more than %d entities: %w", graph.MaxSnapshotNodes, graph.ErrTooComplex)
		}
		slices.Sort(ids)
		if sg.Nodes, err = tx.entityList(ctx, ids); err != nil {
			return sg, err
		}
		sg.Links, err = tx.linksAmong(ctx, ids, f)
		return sg, err
	})
	if err != nil {
		return graph.Subgraph{}, fmt.Errorf("snapshot: %w", err)
	}
	return sg, nil
}
