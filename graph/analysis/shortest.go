package analysis

import (
	"context"
	"runtime"
	"sync"
)

// forEachSource runs visit(worker, s) for every node s, splitting the nodes
// into contiguous blocks, one per worker (at most GOMAXPROCS), so that the
// all-sources algorithms (betweenness, closeness) use every core. Each
// worker has its own scratch space, indexed by worker. It checks ctx every
// few sources and returns its error.
func forEachSource(ctx context.Context, n int, newWorker func(worker int), visit func(worker, s int)) (workers int, err error) {
	workers = min(runtime.GOMAXPROCS(0), max(1, n/64))
	for w := range workers {
		newWorker(w)
	}
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Go(func() {
			for s := lo; s < hi; s++ {
				if (s-lo)%32 == 0 {
					if err := ctx.Err(); err != nil {
						errs[w] = err
						return
					}
				}
				visit(w, s)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return workers, err
		}
	}
	return workers, nil
}

// bfs is the scratch space of one breadth-first search from a source. The
// per-node fields sit together so that visiting a node touches one cache
// line, which matters at 100k nodes.
type bfs struct {
	node  []bfsNode
	order []int32 // nodes in the order reached
}

type bfsNode struct {
	dist  int32   // -1 when not reached
	sigma float64 // number of shortest paths from the source
	delta float64 // Brandes dependency
}

func newBFS(n int) *bfs {
	b := &bfs{node: make([]bfsNode, n), order: make([]int32, 0, n)}
	for i := range b.node {
		b.node[i].dist = -1
	}
	return b
}

// run searches from s, counting shortest paths; the previous search's
// marks are cleared first, touching only the nodes it reached.
func (b *bfs) run(x *index, s int) {
	for _, v := range b.order {
		b.node[v] = bfsNode{dist: -1}
	}
	b.order = b.order[:0]
	b.node[s] = bfsNode{sigma: 1}
	b.order = append(b.order, int32(s))
	for head := 0; head < len(b.order); head++ {
		v := b.order[head]
		nv := b.node[v]
		for _, w := range x.neighbours(int(v)) {
			nw := &b.node[w]
			if nw.dist < 0 {
				nw.dist = nv.dist + 1
				b.order = append(b.order, w)
			}
			if nw.dist == nv.dist+1 {
				nw.sigma += nv.sigma
			}
		}
	}
}

// betweenness is Brandes' algorithm, normalised as networkx's
// betweenness_centrality(normalized=True) for an undirected graph: the sum
// over sources counts each unordered pair twice, and networkx divides it by
// (n-1)(n-2).
func betweenness(ctx context.Context, x *index) ([]float64, error) {
	n := x.len()
	scratch := make([]*bfs, 0)
	partial := make([][]float64, 0)
	workers, err := forEachSource(ctx, n, func(int) {
		scratch = append(scratch, newBFS(n))
		partial = append(partial, make([]float64, n))
	}, func(w, s int) {
		b, cb := scratch[w], partial[w]
		b.run(x, s)
		// Walk back from the farthest nodes; the predecessors of v are its
		// neighbours one step closer to s.
		for k := len(b.order) - 1; k > 0; k-- {
			v := b.order[k]
			nv := b.node[v]
			coeff := (1 + nv.delta) / nv.sigma
			for _, u := range x.neighbours(int(v)) {
				if nu := &b.node[u]; nu.dist == nv.dist-1 {
					nu.delta += nu.sigma * coeff
				}
			}
			cb[v] += nv.delta
		}
	})
	if err != nil {
		return nil, err
	}
	out := partial[0]
	for w := 1; w < workers; w++ {
		for i, v := range partial[w] {
			out[i] += v
		}
	}
	if n > 2 {
		scale := 1 / float64((n-1)*(n-2))
		for i := range out {
			out[i] *= scale
		}
	}
	return out, nil
}

// closeness is networkx's closeness_centrality with wf_improved=True: for a
// node reaching r-1 others at total distance d, (r-1)/d scaled by
// (r-1)/(n-1), so that nodes of small components do not score high.
func closeness(ctx context.Context, x *index) ([]float64, error) {
	n := x.len()
	out := make([]float64, n)
	scratch := make([]*distances, 0)
	_, err := forEachSource(ctx, n, func(int) {
		scratch = append(scratch, newDistances(n))
	}, func(w, s int) {
		d := scratch[w]
		d.run(x, s, nil)
		var total int64
		for _, v := range d.order {
			total += int64(d.dist[v])
		}
		reached := float64(len(d.order) - 1)
		if total > 0 && n > 1 {
			out[s] = reached / float64(total) * (reached / float64(n-1))
		}
	})
	return out, err
}
