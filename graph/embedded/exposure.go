package embedded

import (
	"context"
	"fmt"

	"github.com/skein-project/skein/graph"
)

var _ graph.ExposureStore = (*Store)(nil)

// ExposurePaths finds the path to every entity designated under q.When
// within q.MaxHops links of q.ID (see graph.ExposureStore) with one
// breadth-first search over the adjacency itself, instead of the snapshot
// (every entity and link within q.MaxHops, decoded and copied) that
// analysis would otherwise walk. The search takes the nodes in queue order
// and each node's links in link-id order (adj is sorted by link id), so
// every entity is first reached by its least-link-id shortest path, the
// one graph.ExposureStore asks for. Only the entities reached are decoded
// (to read their designations), and only the paths' links.
func (s *Store) ExposurePaths(ctx context.Context, q graph.ExposureQuery) ([]graph.Path, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	var out []graph.Path
	err := s.read(ctx, func(g *memGraph) error {
		start, ok := g.lookup(q.ID)
		if !ok {
			return fmt.Errorf("sanctionsExposure: entity %q: %w", q.ID, graph.ErrNotFound)
		}
		f := newFilter(q.LinkTypes, q.When)
		dist := map[int32]int{start: 0}
		via := map[int32]int32{} // the link by which the search first reached each node
		queue := []int32{start}
		steps := 0
		for head := 0; head < len(queue); head++ {
			u := queue[head]
			if dist[u] == q.MaxHops {
				continue
			}
			for _, li := range g.nodes[u].adj {
				if steps++; steps%checkEvery == 0 {
					if err := ctxErr(ctx); err != nil {
						return err
					}
				}
				e := &g.links[li]
				if !f.ok(e) || e.src == e.tgt {
					continue
				}
				v := e.src
				if v == u {
					v = e.tgt
				}
				if _, seen := dist[v]; !seen {
					dist[v], via[v] = dist[u]+1, li
					queue = append(queue, v)
				}
			}
		}
		// Entities on several paths are decoded once; the paths share
		// them as the snapshot road's paths share the snapshot's.
		decoded := map[int32]graph.Entity{}
		entity := func(n int32) graph.Entity {
			e, ok := decoded[n]
			if !ok {
				e = g.nodes[n].entity()
				decoded[n] = e
			}
			return e
		}
		for i, v := range queue[1:] {
			if i%checkEvery == 0 {
				if err := ctxErr(ctx); err != nil {
					return err
				}
			}
			// Every entity reached is decoded to read its designations;
			// only those on paths are kept.
			end := g.nodes[v].entity()
			if !end.SanctionedUnder(q.When) {
				continue
			}
			decoded[v] = end
			d := dist[v]
			slots := make([]int32, d+1)
			slots[d] = v
			for k := d - 1; k >= 0; k-- {
				e := &g.links[via[slots[k+1]]]
				slots[k] = e.src
				if slots[k] == slots[k+1] {
					slots[k] = e.tgt
				}
			}
			p := graph.Path{Nodes: make([]graph.Entity, d+1), Links: make([]graph.Link, d)}
			for k, n := range slots {
				p.Nodes[k] = entity(n)
				if k > 0 {
					p.Links[k-1] = g.link(via[n])
				}
			}
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
