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
	m := newMeter(ctx)
	for v := range n {
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
			nu := x.neighbours(int(u))
			for _, w := range nu {
				if mark[w] == int32(v+1) {
					s += 1 / (dv * float64(x.degree(int(w))))
					shared++
				}
			}
			c += s * s
			if err := m.add(len(nu) + 1); err != nil {
				return nil, nil, err
			}
		}
		constraint[v] = c
		effective[v] = dv - float64(shared)/dv
	}
	return constraint, effective, m.check()
}

// harmonic is networkx's harmonic_centrality (the sum of 1/d over the
// nodes reached), divided by n-1; 0 on a one-node graph. Each source's sum
// adds, distance by distance, the count of nodes at d divided by d.
func harmonic(ctx context.Context, x *index) ([]float64, error) {
	n := x.len()
	out := make([]float64, n)
	err := forEachSweep(ctx, x, nil, func(sw *sweep, base int, d int32) {
		for b, c := range sw.counts[:min(sweepWidth, n-base)] {
			out[base+b] += float64(c) / float64(d)
		}
	})
	if err != nil {
		return nil, err
	}
	if n > 1 {
		for i := range out {
			out[i] /= float64(n - 1)
		}
	}
	return out, nil
}
