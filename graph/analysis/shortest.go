package analysis

import (
	"context"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
)

// brandesChunks is how many parts the sources are cut into, each part with
// its own partial sums, added to the result in part order: workers take parts
// as they come free (a core that other work holds back does not hold the
// rest up), yet every floating-point addition happens in the same order
// whatever the scheduling and the number of cores, so the scores are the
// same bit for bit from run to run and machine to machine.
const brandesChunks = 16

// brandes is the scratch space of one source's pass of Brandes' algorithm,
// done level by level: the nodes at distance d from the source are
// order[level[d]:level[d+1]]. Every neighbour of a node at distance d is at
// d-1, d or d+1, so both path counting and dependency accumulation can be
// written as plain sums over a node's neighbours of a value that is zero
// for the nodes it must not count (see run and accumulate): no distances,
// no predecessor lists and no test per link of which neighbours count. The
// values read at random per link are 8 bytes a node (sigma forward, q
// backward) and a bit (reached), so that they stay in cache on large graphs.
type brandes struct {
	// sigma counts the shortest paths from the source; 0 until the node's
	// level is done.
	sigma []float64
	// q is (1+delta)/sigma of a node whose dependency delta is final, 0
	// before.
	q []float64
	// reached has a bit per node the search has reached.
	reached []uint64
	order   []int32
	level   []int32
	tmp     []float64
	// marks is a bit per node, zero between uses, to sort a level.
	marks []uint64
}

func newBrandes(n int) *brandes {
	words := (n + 63) / 64
	return &brandes{
		sigma: make([]float64, n), q: make([]float64, n), reached: make([]uint64, words),
		order: make([]int32, 0, n+1), marks: make([]uint64, words),
	}
}

// reach marks v reached and lists it, unless it was reached already.
func (b *brandes) reach(v int32) {
	if bit := uint64(1) << (v & 63); b.reached[v>>6]&bit == 0 {
		b.reached[v>>6] |= bit
		b.order = append(b.order, v)
	}
}

// run searches from s, counting shortest paths. It expects sigma and q
// zero, as newBrandes and accumulate leave them. One pass over the links of
// the nodes at each distance d >= 1 both sums their path counts and finds
// the nodes at d+1.
func (b *brandes) run(x *index, s int, m *meter) error {
	clear(b.reached)
	b.order = b.order[:0]
	b.reach(int32(s))
	b.sigma[s] = 1
	ns := x.neighbours(s)
	for _, w := range ns {
		b.reach(w)
	}
	if err := m.add(len(ns) + 1); err != nil {
		return err
	}
	b.level = append(b.level[:0], 0, 1, int32(len(b.order)))
	for d := 1; ; d++ {
		lo, hi := b.level[d], b.level[d+1]
		if lo == hi {
			b.level = b.level[:d+1]
			return nil
		}
		b.sortLevel(b.order[lo:hi])
		// The paths to a node at d come through its neighbours at d-1: of
		// its neighbours only those have sigma set yet (its own level's
		// are written once the whole level is summed, the next level's
		// later still). The neighbours not reached yet are at d+1.
		b.tmp = b.tmp[:0]
		// Every neighbour is written after the list; the count moves past
		// it only if it was not reached before (no branch per link). The
		// list has room for one node more than the graph.
		k, order := len(b.order), b.order[:cap(b.order)]
		for _, w := range b.order[lo:hi] {
			var sum float64
			nw := x.neighbours(int(w))
			for _, u := range nw {
				sum += b.sigma[u]
				word := &b.reached[u>>6]
				fresh := ^*word >> (u & 63) & 1
				*word |= 1 << (u & 63)
				order[k] = u
				k += int(fresh)
			}
			b.tmp = append(b.tmp, sum)
			if err := m.add(len(nw) + 1); err != nil {
				b.order = order[:k]
				return err
			}
		}
		b.order = order[:k]
		for i, w := range b.order[lo:hi] {
			b.sigma[w] = b.tmp[i]
		}
		b.level = append(b.level, int32(len(b.order)))
	}
}

// sortLevel puts a large level's nodes in index order, by marking them in a
// bitmap and reading it back (a few words per node): the passes over the
// level then read the links, which are stored in index order, front to back
// instead of at random, and write the level's path counts and dependencies
// in order too. Only the neighbours' values are read at random. The scores
// do not change: every sum over a node's neighbours keeps its order.
func (b *brandes) sortLevel(nodes []int32) {
	if len(nodes)*4 < len(b.marks) {
		return
	}
	for _, v := range nodes {
		b.marks[v>>6] |= 1 << (v & 63)
	}
	i := 0
	for k, word := range b.marks {
		for ; word != 0; word &= word - 1 {
			nodes[i] = int32(k<<6 | bits.TrailingZeros64(word))
			i++
		}
		b.marks[k] = 0
	}
}

// accumulate adds each node's dependency on the source of the last run to
// cb, from the farthest level in: delta(v) = sigma(v) Σ q(w) over v's
// neighbours w one level farther, which are the only neighbours with q set
// when v's level is summed. It clears the scratch behind it, where it has
// just been: a level's path counts once its q is known, its q once the level
// nearer the source is summed.
func (b *brandes) accumulate(x *index, cb []float64, m *meter) error {
	last := len(b.level) - 2
	for d := last; d > 0; d-- {
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
			b.sigma[v] = 0
		}
		if d < last {
			for _, w := range b.order[b.level[d+1]:b.level[d+2]] {
				b.q[w] = 0
			}
		}
	}
	if last > 0 {
		for _, w := range b.order[b.level[1]:b.level[2]] {
			b.q[w] = 0
		}
	}
	b.sigma[b.order[0]] = 0
	return nil
}

// betweenness is Brandes' algorithm, normalised as networkx's
// betweenness_centrality(normalized=True) for an undirected graph: the sum
// over sources counts each unordered pair twice, and networkx divides it by
// (n-1)(n-2). The sources are cut into brandesChunks parts shared among at
// most GOMAXPROCS workers.
func betweenness(ctx context.Context, x *index) ([]float64, error) {
	n := x.len()
	chunks := min(brandesChunks, n)
	workers := min(runtime.GOMAXPROCS(0), max(1, n/64), chunks)
	// A part's sums are added to out as soon as every part before it is,
	// in part order, and its array is reused: a few arrays of n values
	// live at a time, not one per part.
	var (
		mu      sync.Mutex
		partial = make([][]float64, chunks)
		folded  int // parts added to out
		out     []float64
		free    [][]float64
	)
	take := func() []float64 {
		mu.Lock()
		defer mu.Unlock()
		if k := len(free); k > 0 {
			cb := free[k-1]
			free = free[:k-1]
			return cb
		}
		return make([]float64, n)
	}
	fold := func(c int, cb []float64) {
		mu.Lock()
		defer mu.Unlock()
		partial[c] = cb
		for ; folded < chunks && partial[folded] != nil; folded++ {
			p := partial[folded]
			partial[folded] = nil
			if out == nil {
				out = p
				continue
			}
			for i, v := range p {
				out[i] += v
			}
			clear(p)
			free = append(free, p)
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			b := newBrandes(n)
			m := newMeter(ctx)
			for {
				c := int(next.Add(1)) - 1
				if c >= chunks {
					errs[w] = m.check()
					return
				}
				cb := take()
				for s := c * n / chunks; s < (c+1)*n/chunks; s++ {
					if err := b.run(x, s, m); err != nil {
						errs[w] = err
						return
					}
					if err := b.accumulate(x, cb, m); err != nil {
						errs[w] = err
						return
					}
				}
				fold(c, cb)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
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
