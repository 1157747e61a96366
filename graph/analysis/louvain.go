package analysis

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/skein-project/skein/graph"
)

// louvainGraph is one level of Louvain: a weighted undirected graph over
// the communities of the level below, as flat arrays. The neighbours of
// node i are adj[off[i]:off[i+1]] with weights w[...] (no self-loops
// there), and k[i] is the node's strength, its self-loop (twice the links
// inside the community it stands for) included. Weights are link counts:
// integers, at most twice the links (below 2^31 for fewer than a billion
// links).
type louvainGraph struct {
	off []int32
	adj []int32
	w   []int32
	k   []int64
}

func (g *louvainGraph) len() int { return len(g.k) }

// louvain returns the Louvain community label of every node (Blondel et
// al. 2008, resolution 1): nodes move, in a random order seeded by seed,
// to the neighbouring community of greatest modularity gain while one
// does, then communities become the nodes of the next level, until a
// level moves nothing. Gains are compared in a fixed order (the node's
// neighbours in order, a move only when strictly better than staying), so
// the result depends only on the graph and the seed.
func louvain(ctx context.Context, x *index, seed int64) ([]int, error) {
	n := x.len()
	membership := make([]int, n)
	for i := range membership {
		membership[i] = i
	}
	if x.edges == 0 {
		return membership, nil
	}
	if len(x.adj) > math.MaxInt32 {
		return nil, fmt.Errorf("communities: %d links (at most %d): %w", x.edges, math.MaxInt32/2, graph.ErrTooComplex)
	}
	g := &louvainGraph{
		off: make([]int32, n+1), adj: x.adj, w: make([]int32, len(x.adj)), k: make([]int64, n),
	}
	for i := range n {
		g.off[i+1] = int32(x.off[i+1])
		g.k[i] = int64(x.degree(i))
	}
	for i := range g.w {
		g.w[i] = 1
	}
	var m2 int64
	for _, k := range g.k {
		m2 += k
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x736b65696e)) // "skein"
	m := newMeter(ctx)
	for {
		comm, moved, err := g.moveNodes(m, rng, m2)
		if err != nil {
			return nil, err
		}
		if !moved {
			return membership, nil
		}
		labels := renumber(comm)
		for i, c := range membership {
			membership[i] = labels[comm[c]]
		}
		g, err = g.aggregate(m, comm, labels)
		if err != nil {
			return nil, err
		}
	}
}

// moveNodes is Louvain's local moving phase on g: it returns each node's
// community (a node number of g) and whether any node moved. Nodes are
// visited in a random order, then, as in Traag et al.'s fast local move
// (Leiden), only the neighbours of a node that moved and are outside its
// new community are visited again, until none is left to visit.
//
// Weights are link counts, so every strength and weight is an integer, and
// gains are compared multiplied by m2 (the total strength): exactly, in
// int64, while m2² < 2^63 (1.5 billion links). No rounding can then make a
// node hop between two communities of equal gain, and as each move raises
// modularity the phase ends.
func (g *louvainGraph) moveNodes(m *meter, rng *rand.Rand, m2 int64) (comm []int32, moved bool, err error) {
	n := g.len()
	comm = make([]int32, n)
	tot := make([]int64, n) // strength of each community
	for i := range n {
		comm[i] = int32(i)
		tot[i] = g.k[i]
	}
	// queue is a ring of the nodes to visit, each at most once.
	queue := make([]int32, n)
	for i, v := range rng.Perm(n) {
		queue[i] = int32(v)
	}
	queued := make([]bool, n)
	for i := range queued {
		queued[i] = true
	}
	head, size := 0, n
	toComm := make([]int32, n) // weight from the node visited to each community
	touched := make([]int32, 0, 64)
	for size > 0 {
		i := queue[head]
		head = (head + 1) % n
		size--
		queued[i] = false
		ci := comm[i]
		touched = touched[:0]
		lo, hi := g.off[i], g.off[i+1]
		for e := lo; e < hi; e++ {
			c := comm[g.adj[e]]
			if toComm[c] == 0 {
				touched = append(touched, c)
			}
			toComm[c] += g.w[e]
		}
		if err := m.add(int(hi-lo) + 1); err != nil {
			return nil, false, err
		}
		ki := g.k[i]
		tot[ci] -= ki
		// The gain of joining c, times m2/2 and less a term common to all
		// c: the weight to c less what a random graph of the same
		// strengths would put there.
		best, bestGain := ci, int64(toComm[ci])*m2-tot[ci]*ki
		for _, c := range touched {
			if gain := int64(toComm[c])*m2 - tot[c]*ki; gain > bestGain {
				best, bestGain = c, gain
			}
		}
		tot[best] += ki
		for _, c := range touched {
			toComm[c] = 0
		}
		if best == ci {
			continue
		}
		comm[i] = best
		moved = true
		for e := lo; e < hi; e++ {
			if j := g.adj[e]; !queued[j] && comm[j] != best {
				queued[j] = true
				queue[(head+size)%n] = j
				size++
			}
		}
	}
	return comm, moved, nil
}

// renumber maps the community labels of comm (node numbers) to 0..C-1 in
// the order of their smallest member.
func renumber(comm []int32) []int {
	labels := make([]int, len(comm))
	for i := range labels {
		labels[i] = -1
	}
	next := 0
	for _, c := range comm {
		if labels[c] < 0 {
			labels[c] = next
			next++
		}
	}
	return labels
}

// aggregate builds the next level: one node per community of comm (as
// labels numbers them), linked by the total weight between them, the
// weight inside each becoming part of its strength.
func (g *louvainGraph) aggregate(m *meter, comm []int32, labels []int) (*louvainGraph, error) {
	n := g.len()
	c := 0
	for _, l := range labels {
		c = max(c, l+1)
	}
	// members of each community, by counting sort
	start := make([]int32, c+1)
	for _, cc := range comm {
		start[labels[cc]+1]++
	}
	for i := range c {
		start[i+1] += start[i]
	}
	members := make([]int32, n)
	fill := append([]int32(nil), start[:c]...)
	for i, cc := range comm {
		l := labels[cc]
		members[fill[l]] = int32(i)
		fill[l]++
	}
	next := &louvainGraph{off: make([]int32, c+1), k: make([]int64, c)}
	toComm := make([]int32, c)
	seen := make([]bool, c)
	var touched []int32
	for a := range c {
		touched = touched[:0]
		for _, i := range members[start[a]:start[a+1]] {
			next.k[a] += g.k[i]
			lo, hi := g.off[i], g.off[i+1]
			for e := lo; e < hi; e++ {
				b := int32(labels[comm[g.adj[e]]])
				if int(b) == a {
					continue
				}
				if !seen[b] {
					seen[b] = true
					touched = append(touched, b)
				}
				toComm[b] += g.w[e]
			}
			if err := m.add(int(hi-lo) + 1); err != nil {
				return nil, err
			}
		}
		for _, b := range touched {
			next.adj = append(next.adj, b)
			next.w = append(next.w, toComm[b])
			toComm[b], seen[b] = 0, false
		}
		next.off[a+1] = int32(len(next.adj))
	}
	return next, nil
}
