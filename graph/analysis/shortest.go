package analysis

import (
	"context"
	"runtime"
	"sync"
)

// forEachSource runs visit(worker, s, m) for every node s, splitting the
// nodes into contiguous blocks, one per worker (at most GOMAXPROCS), so
// that the all-sources algorithms use every core while each worker's
// partial sums, added in worker order, stay the same from run to run. Each
// worker has its own scratch space, indexed by worker, and its own meter,
// which visit feeds; the first error stops every worker.
func forEachSource(ctx context.Context, n int, newWorker func(worker int), visit func(worker, s int, m *meter) error) (workers int, err error) {
	workers = min(runtime.GOMAXPROCS(0), max(1, n/64))
	for w := range workers {
		newWorker(w)
	}
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Go(func() {
			m := newMeter(ctx)
			for s := lo; s < hi; s++ {
				if err := visit(w, s, m); err != nil {
					errs[w] = err
					return
				}
			}
			errs[w] = m.check()
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

// brandes is the scratch space of one source's pass of Brandes' algorithm,
// done level by level: the nodes at distance d from the source are
// order[level[d]:level[d+1]]. Every neighbour of a node at distance d is at
// d-1, d or d+1, so both path counting and dependency accumulation can be
// written as plain sums over a node's neighbours of a value that is zero
// for the nodes it must not count (see run and accumulate): no branch per
// link, which is what bounds the classic formulation.
type brandes struct {
	dist  []int32   // -1 when not reached
	sigma []float64 // shortest paths from the source; 0 until its level is done
	// q is (1+delta)/sigma of a node whose dependency delta is final, 0
	// before.
	q     []float64
	order []int32
	level []int32
	tmp   []float64
}

func newBrandes(n int) *brandes {
	b := &brandes{dist: make([]int32, n), sigma: make([]float64, n), q: make([]float64, n), order: make([]int32, 0, n)}
	for i := range b.dist {
		b.dist[i] = -1
	}
	return b
}

// run searches from s, counting shortest paths, after clearing the
// previous search's marks (only on the nodes it reached).
func (b *brandes) run(x *index, s int, m *meter) error {
	for _, v := range b.order {
		b.dist[v], b.sigma[v], b.q[v] = -1, 0, 0
	}
	b.order = append(b.order[:0], int32(s))
	b.level = append(b.level[:0], 0, 1)
	b.dist[s], b.sigma[s] = 0, 1
	for d := int32(0); ; d++ {
		lo, hi := b.level[d], b.level[d+1]
		for _, v := range b.order[lo:hi] {
			nv := x.neighbours(int(v))
			for _, w := range nv {
				if b.dist[w] < 0 {
					b.dist[w] = d + 1
					b.order = append(b.order, w)
				}
			}
			if err := m.add(len(nv) + 1); err != nil {
				return err
			}
		}
		next := b.order[hi:]
		if len(next) == 0 {
			return nil
		}
		b.level = append(b.level, int32(len(b.order)))
		// The paths to a node at d+1 come through its neighbours at d: of
		// its neighbours only those have sigma set yet (its own level's
		// are written after the whole level is summed).
		b.tmp = b.tmp[:0]
		for _, w := range next {
			var sum float64
			nw := x.neighbours(int(w))
			for _, u := range nw {
				sum += b.sigma[u]
			}
			b.tmp = append(b.tmp, sum)
			if err := m.add(len(nw) + 1); err != nil {
				return err
			}
		}
		for i, w := range next {
			b.sigma[w] = b.tmp[i]
		}
	}
}

// accumulate adds each node's dependency on the source of the last run to
// cb, from the farthest level in: delta(v) = sigma(v) Σ q(w) over v's
// neighbours w one level farther, which are the only neighbours with q set
// when v's level is summed.
func (b *brandes) accumulate(x *index, cb []float64, m *meter) error {
	for d := len(b.level) - 2; d > 0; d-- {
		nodes := b.order[b.level[d]:b.level[d+1]]
		b.tmp = b.tmp[:0]
		for _, v := range nodes {
			nv := x.neighbours(int(v))
			var sum float64
			for _, w := range nv {
				sum += b.q[w]
			}
			b.tmp = append(b.tmp, b.sigma[v]*sum)
			if err := m.add(len(nv) + 1); err != nil {
				return err
			}
		}
		for i, v := range nodes {
			delta := b.tmp[i]
			cb[v] += delta
			b.q[v] = (1 + delta) / b.sigma[v]
		}
	}
	return nil
}

// betweenness is Brandes' algorithm, normalised as networkx's
// betweenness_centrality(normalized=True) for an undirected graph: the sum
// over sources counts each unordered pair twice, and networkx divides it by
// (n-1)(n-2).
func betweenness(ctx context.Context, x *index) ([]float64, error) {
	n := x.len()
	scratch := make([]*brandes, 0)
	partial := make([][]float64, 0)
	workers, err := forEachSource(ctx, n, func(int) {
		scratch = append(scratch, newBrandes(n))
		partial = append(partial, make([]float64, n))
	}, func(w, s int, m *meter) error {
		b := scratch[w]
		if err := b.run(x, s, m); err != nil {
			return err
		}
		return b.accumulate(x, partial[w], m)
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
	total := make([]int64, n)
	reached := make([]int64, n)
	err := forEachSweep(ctx, x, nil, func(sw *sweep, base int, d int32) {
		for b, c := range sw.counts[:min(sweepWidth, n-base)] {
			total[base+b] += int64(d) * int64(c)
			reached[base+b] += int64(c)
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]float64, n)
	for s := range n {
		if total[s] > 0 && n > 1 {
			r := float64(reached[s])
			out[s] = r / float64(total[s]) * (r / float64(n-1))
		}
	}
	return out, nil
}
