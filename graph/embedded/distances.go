package embedded

import "context"

// distances is the hop distance of every node to a path query's target
// (-1: beyond the search). A dense slice beats a map: on a large graph the
// search from a well-connected target reaches much of it. The slice is as
// long as the graph (a megabyte a query at 1M entities, ten at 10M), so
// the Store keeps released ones in a sync.Pool and a query clears only the
// entries its search touched; pooled slices are dropped by the garbage
// collector when idle, like any pool's.
type distances struct {
	d       []int8
	touched []int32 // entries of d set by the last search
}

// distances returns a cleared distances for g's slots.
func (s *Store) distances(g *memGraph) *distances {
	ds, _ := s.dists.Get().(*distances)
	if ds == nil || len(ds.d) < len(g.nodes) {
		ds = &distances{d: make([]int8, len(g.nodes))}
		for i := range ds.d {
			ds.d[i] = -1
		}
	}
	return ds
}

// releaseDistances clears what ds's search set and pools it.
func (s *Store) releaseDistances(ds *distances) {
	for _, v := range ds.touched {
		ds.d[v] = -1
	}
	ds.touched = ds.touched[:0]
	s.dists.Put(ds)
}

// from sets the hop distance to target of every node within depth hops of
// it over links passing f.
func (ds *distances) from(ctx context.Context, g *memGraph, target int32, depth int, f filter) error {
	dist := ds.d
	dist[target] = 0
	ds.touched = append(ds.touched, target)
	start, steps := 0, 0
	for d := 1; d <= depth && start < len(ds.touched); d++ {
		// The previous level is touched[start:end]; this one is appended.
		end := len(ds.touched)
		for _, u := range ds.touched[start:end] {
			for _, li := range g.nodes[u].adj {
				if steps++; steps%checkEvery == 0 {
					if err := ctxErr(ctx); err != nil {
						return err
					}
				}
				if !f.ok(&g.links[li]) {
					continue
				}
				if v := g.other(li, u); dist[v] < 0 {
					dist[v] = int8(d)
					ds.touched = append(ds.touched, v)
				}
			}
		}
		start = end
	}
	return nil
}
