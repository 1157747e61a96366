package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strings"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
)

// Traversals run inside one read transaction: one query per BFS layer
// (adjacency of the whole frontier at once), then one query each for the
// entities and the links of the answer. The walking itself happens in Go,
// with the same rules as the embedded store, so answers match exactly.

// edge is a link as a walk sees it from one of its ends.
type edge struct {
	id    string
	to    string    // the other end (the same one for a self-link)
	start graph.Day // first day of the start date, when dated
	dated bool
}

// adjacency returns, for each of ids that exists, the links passing f
// touching it, each with its far end and start day.
func (t *txn) adjacency(ctx context.Context, ids []string, f linkFilter) (map[string][]edge, error) {
	out := map[string][]edge{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := t.collect(ctx, "UNWIND $ids AS id MATCH (:Entity {id: id})-["+f.rel("r")+"]-(v:Entity) WHERE "+f.cond("r")+
		" RETURN id AS u, r.id AS l, v.id AS v, r.startLo AS s",
		f.params(map[string]any{"ids": anyStrings(ids)}))
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		u := str(get(r, "u"))
		e := edge{id: str(get(r, "l")), to: str(get(r, "v"))}
		if d, ok := get(r, "s").(neo4jdrv.Date); ok {
			e.start, e.dated = graph.DayOf(d.Time()), true
		}
		out[u] = append(out[u], e)
	}
	return out, nil
}

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
// IDs, excluding IDs, ordered by id. The walks from all IDs advance
// together: one query per layer.
func (s *Store) SharedAssociates(ctx context.Context, q graph.SharedQuery) ([]graph.Entity, error) {
	if err := q.Normalize(); err != nil {
		return nil, fmt.Errorf("sharedAssociates: %w", err)
	}
	out, err := read(ctx, s, func(tx *txn) ([]graph.Entity, error) {
		if err := tx.requireAll(ctx, q.IDs); err != nil {
			return nil, err
		}
		seen := make([]map[string]bool, len(q.IDs))
		frontiers := make([][]string, len(q.IDs))
		for i, id := range q.IDs {
			seen[i] = map[string]bool{id: true}
			frontiers[i] = []string{id}
		}
		for d := 1; d <= q.Depth; d++ {
			var all []string
			for _, f := range frontiers {
				all = append(all, f...)
			}
			slices.Sort(all)
			all = slices.Compact(all)
			if len(all) == 0 {
				break
			}
			adj, err := tx.adjacency(ctx, all, newLinkFilter(nil, q.When))
			if err != nil {
				return nil, err
			}
			for i, f := range frontiers {
				var next []string
				for _, u := range f {
					for _, e := range adj[u] {
						if v := e.to; !seen[i][v] {
							seen[i][v] = true
							next = append(next, v)
						}
					}
				}
				frontiers[i] = next
			}
		}
		var common []string
		for n := range seen[0] {
			shared := !slices.Contains(q.IDs, n)
			for i := 1; shared && i < len(seen); i++ {
				shared = seen[i][n]
			}
			if shared {
				common = append(common, n)
			}
		}
		slices.Sort(common)
		return tx.entityList(ctx, common)
	})
	if err != nil {
		return nil, fmt.Errorf("sharedAssociates: %w", err)
	}
	return out, nil
}

// Snapshot returns the whole graph or the neighbourhood of IDs (see
// graph.SnapshotQuery).
func (s *Store) Snapshot(ctx context.Context, q graph.SnapshotQuery) (graph.Subgraph, error) {
	if err := q.Normalize(); err != nil {
		return graph.Subgraph{}, fmt.Errorf("snapshot: %w", err)
	}
	f := newLinkFilter(q.LinkTypes, q.When)
	sg, err := read(ctx, s, func(tx *txn) (graph.Subgraph, error) {
		sg := graph.Subgraph{Nodes: []graph.Entity{}, Links: []graph.Link{}}
		if len(q.IDs) == 0 {
			recs, err := tx.collect(ctx, "MATCH (e:Entity) RETURN e"+entityProj+" AS e", nil)
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
			recs, err = tx.collect(ctx, "MATCH (:Entity)-["+f.rel("r")+"]->(:Entity) WHERE "+f.cond("r")+" RETURN "+linkProj("r")+" AS l", f.params(map[string]any{}))
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

// Paths returns simple paths between two entities (see graph.PathQuery).
// A BFS from To over at most MaxHops-1 layers gives every node's distance
// to To and every link a path can use; the paths are then enumerated in Go
// by length, then link ids, pruning nodes too far from To, and cut at
// Limit.
func (s *Store) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Path, error) {
	if err := q.Normalize(); err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	f := newLinkFilter(q.LinkTypes, q.When)
	f.dated = q.Chronological
	out, err := read(ctx, s, func(tx *txn) ([]graph.Path, error) {
		if err := tx.requireAll(ctx, []string{q.From, q.To}); err != nil {
			return nil, err
		}
		adj := map[string][]edge{}
		addAdj := func(a map[string][]edge) {
			for u, es := range a {
				if _, done := adj[u]; !done {
					adj[u] = es
				}
			}
		}
		dist := map[string]int{q.To: 0}
		frontier := []string{q.To}
		// The BFS expands every node up to MaxHops-2 away from To; From's
		// links ride along with the first layer (or get a query of their
		// own when there is none).
		extra := []string{q.From}
		for d := 1; d <= q.MaxHops-1 && len(frontier) > 0; d++ {
			a, err := tx.adjacency(ctx, append(frontier, extra...), f)
			if err != nil {
				return nil, err
			}
			extra = nil
			addAdj(a)
			var next []string
			for _, u := range frontier {
				for _, e := range a[u] {
					if v := e.to; !hasKey(dist, v) {
						dist[v] = d
						next = append(next, v)
					}
				}
			}
			frontier = next
		}
		if extra != nil {
			a, err := tx.adjacency(ctx, extra, f)
			if err != nil {
				return nil, err
			}
			addAdj(a)
		}
		// A node MaxHops-1 away from To can only be the first hop from
		// From; fetch the links of those the BFS did not expand.
		var firstHops []string
		for _, e := range adj[q.From] {
			if v := e.to; !hasKey(adj, v) && hasKey(dist, v) && !slices.Contains(firstHops, v) {
				firstHops = append(firstHops, v)
			}
		}
		if len(firstHops) > 0 {
			a, err := tx.adjacency(ctx, firstHops, f)
			if err != nil {
				return nil, err
			}
			addAdj(a)
		}
		for u := range adj {
			slices.SortFunc(adj[u], func(a, b edge) int { return strings.Compare(a.id, b.id) })
			adj[u] = slices.CompactFunc(adj[u], func(a, b edge) bool { return a.id == b.id })
		}
		found, err := graph.WalkPaths[string, edge](ctx, pathGraph{adj, dist}, q.From, q.To, q.MaxHops, q.Limit, q.Chronological)
		if err != nil {
			return nil, translate(err)
		}
		return tx.materialize(ctx, found)
	})
	if err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	return out, nil
}

func hasKey[K comparable, V any](m map[K]V, k K) bool {
	_, ok := m[k]
	return ok
}

// pathGraph is the fetched part of the graph as graph.WalkPaths sees it.
type pathGraph struct {
	adj  map[string][]edge // already of the query's link types and window
	dist map[string]int
}

func (p pathGraph) Links(u string) []edge { return p.adj[u] }

func (p pathGraph) Follow(_ string, e edge) (string, bool) { return e.to, true }

func (p pathGraph) Start(e edge) (graph.Day, bool) { return e.start, e.dated }

func (p pathGraph) Dist(v string) (int, bool) {
	d, ok := p.dist[v]
	return d, ok
}

// materialize fetches the records of the found paths' entities and links.
func (t *txn) materialize(ctx context.Context, found []graph.Walk[string, edge]) ([]graph.Path, error) {
	out := make([]graph.Path, 0, len(found))
	if len(found) == 0 {
		return out, nil
	}
	var nodeIDs, linkIDs []string
	for _, p := range found {
		nodeIDs = append(nodeIDs, p.Nodes...)
		for _, e := range p.Links {
			linkIDs = append(linkIDs, e.id)
		}
	}
	slices.Sort(nodeIDs)
	slices.Sort(linkIDs)
	nodes, err := t.entities(ctx, slices.Compact(nodeIDs))
	if err != nil {
		return nil, err
	}
	ls, err := t.links(ctx, slices.Compact(linkIDs))
	if err != nil {
		return nil, err
	}
	links := make(map[string]graph.Link, len(ls))
	for _, l := range ls {
		links[l.ID] = l
	}
	for _, p := range found {
		path := graph.Path{Nodes: make([]graph.Entity, len(p.Nodes)), Links: make([]graph.Link, len(p.Links))}
		// Paths share entities and links: each gets its own copy, so a
		// caller may change one path without touching another.
		for i, id := range p.Nodes {
			e := nodes[id]
			path.Nodes[i] = e.Clone()
		}
		for i, e := range p.Links {
			l := links[e.id]
			path.Links[i] = l.Clone()
		}
		out = append(out, path)
	}
	return out, nil
}
