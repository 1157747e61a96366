package analysis

import (
	"context"
	"math"
)

// coreNumber is networkx's core_number: the largest k such that the node
// belongs to a subgraph in which every node has degree at least k, found by
// Batagelj and Zaversnik's bucket algorithm in O(n+m).
func coreNumber(x *index) []float64 {
	n := x.len()
	deg := make([]int, n)
	maxDeg := 0
	for i := range n {
		deg[i] = x.degree(i)
		maxDeg = max(maxDeg, deg[i])
	}
	// bin[d] is the start, in vert, of the nodes of current degree d.
	bin := make([]int, maxDeg+1)
	for _, d := range deg {
		bin[d]++
	}
	start := 0
	for d, c := range bin {
		bin[d] = start
		start += c
	}
	pos := make([]int, n)
	vert := make([]int, n)
	for v, d := range deg {
		pos[v] = bin[d]
		vert[pos[v]] = v
		bin[d]++
	}
	for d := maxDeg; d > 0; d-- {
		bin[d] = bin[d-1]
	}
	bin[0] = 0
	for i := range n {
		v := vert[i]
		for _, u32 := range x.neighbours(v) {
			u := int(u32)
			if deg[u] <= deg[v] {
				continue
			}
			du, pu := deg[u], pos[u]
			pw := bin[du]
			if w := vert[pw]; u != w {
				pos[u], pos[w] = pw, pu
				vert[pu], vert[pw] = w, u
			}
			bin[du]++
			deg[u]--
		}
	}
	out := make([]float64, n)
	for i, d := range deg {
		out[i] = float64(d)
	}
	return out
}

// structuralHoles computes Burt's constraint and effective size as networkx
// does on an undirected unweighted simple graph. There every tie of v has
// proportional strength p(v,u) = 1/deg(v), so
//
//	constraint(v) = Σ_{u∈N(v)} (1/deg(v) + Σ_{w∈N(v)∩N(u)} 1/(deg(v)·deg(w)))²
//	effective_size(v) = deg(v) − 2t/deg(v), t the links among N(v)
//
// (the second is Borgatti's simplification, which networkx uses for
// undirected unweighted graphs). Both are undefined (NaN, as networkx) for
// an isolated node.
func structuralHoles(ctx context.Context, x *index) (constraint, effective []float64, err error) {
	n := x.len()
	constraint = make([]float64, n)
	effective = make([]float64, n)
	mark := make([]int32, n) // mark[w] == v+1 when w is a neighbour of v
	for v := range n {
		if v%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		nv := x.neighbours(v)
		if len(nv) == 0 {
			constraint[v], effective[v] = math.NaN(), math.NaN()
			continue
		}
		for _, w := range nv {
			mark[w] = int32(v + 1)
		}
		dv := float64(len(nv))
		var c float64
		var shared int // Σ_u |N(u)∩N(v)| = 2t
		for _, u := range nv {
			s := 1 / dv
			for _, w := range x.neighbours(int(u)) {
				if mark[w] == int32(v+1) {
					s += 1 / (dv * float64(x.degree(int(w))))
					shared++
				}
			}
			c += s * s
		}
		constraint[v] = c
		effective[v] = dv - float64(shared)/dv
	}
	return constraint, effective, nil
}

// distances is the scratch space of a breadth-first search that records
// only distances: 4 bytes per node, so that the all-sources measures
// (closeness, harmonic, efficiency) stay in cache at 100k nodes.
type distances struct {
	dist  []int32 // -1 when not reached
	order []int32 // nodes in the order reached
}

func newDistances(n int) *distances {
	d := &distances{dist: make([]int32, n), order: make([]int32, 0, n)}
	for i := range d.dist {
		d.dist[i] = -1
	}
	return d
}

// run searches from s over the nodes not removed (removed may be nil),
// clearing the previous search's marks first.
func (d *distances) run(x *index, s int, removed []bool) {
	for _, v := range d.order {
		d.dist[v] = -1
	}
	d.order = append(d.order[:0], int32(s))
	d.dist[s] = 0
	for head := 0; head < len(d.order); head++ {
		v := d.order[head]
		next := d.dist[v] + 1
		for _, w := range x.neighbours(int(v)) {
			if d.dist[w] < 0 && (removed == nil || !removed[w]) {
				d.dist[w] = next
				d.order = append(d.order, w)
			}
		}
	}
}

// harmonic is networkx's harmonic_centrality (the sum of 1/d over the
// nodes reached), divided by n-1; 0 on a one-node graph.
func harmonic(ctx context.Context, x *index) ([]float64, error) {
	n := x.len()
	out := make([]float64, n)
	scratch := make([]*distances, 0)
	_, err := forEachSource(ctx, n, func(int) {
		scratch = append(scratch, newDistances(n))
	}, func(w, s int) {
		d := scratch[w]
		d.run(x, s, nil)
		var sum float64
		for _, v := range d.order[1:] {
			sum += 1 / float64(d.dist[v])
		}
		if n > 1 {
			out[s] = sum / float64(n-1)
		}
	})
	return out, err
}
