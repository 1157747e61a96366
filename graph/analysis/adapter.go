package analysis

import (
	"slices"

	"github.com/skein-project/skein/graph"
)

// index is a Subgraph as an undirected simple graph with dense node numbers:
// node i is the entity with the i-th smallest id, so every algorithm visits
// nodes in the same order whatever order the store returned them in. The
// neighbours of i are adj[off[i]:off[i+1]], sorted, without duplicates or i
// itself.
type index struct {
	ids      []string
	pos      map[string]int
	entities []*graph.Entity
	off      []int
	adj      []int32
	// edges counts the undirected simple edges.
	edges int
}

// newIndex builds the simple undirected view of g. Nodes listed twice are
// kept once; links with an end outside g.Nodes are skipped, since a snapshot
// only ever holds the links among its nodes.
func newIndex(g graph.Subgraph) *index {
	x := &index{pos: make(map[string]int, len(g.Nodes))}
	order := make([]*graph.Entity, 0, len(g.Nodes))
	seen := make(map[string]bool, len(g.Nodes))
	for i := range g.Nodes {
		e := &g.Nodes[i]
		if seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		order = append(order, e)
	}
	slices.SortFunc(order, func(a, b *graph.Entity) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	x.entities = order
	x.ids = make([]string, len(order))
	for i, e := range order {
		x.ids[i] = e.ID
		x.pos[e.ID] = i
	}

	n := len(order)
	deg := make([]int, n+1)
	pairs := make([][2]int32, 0, len(g.Links))
	for i := range g.Links {
		l := &g.Links[i]
		u, okU := x.pos[l.Source]
		v, okV := x.pos[l.Target]
		if !okU || !okV || u == v {
			continue
		}
		pairs = append(pairs, [2]int32{int32(u), int32(v)})
		deg[u]++
		deg[v]++
	}
	x.off = make([]int, n+1)
	for i := range n {
		x.off[i+1] = x.off[i] + deg[i]
	}
	adj := make([]int32, x.off[n])
	fill := slices.Clone(x.off[:n])
	for _, p := range pairs {
		adj[fill[p[0]]] = p[1]
		fill[p[0]]++
		adj[fill[p[1]]] = p[0]
		fill[p[1]]++
	}
	// Sort and deduplicate each row in place, then compact the rows.
	w := 0
	for i := range n {
		row := adj[x.off[i]:x.off[i+1]]
		slices.Sort(row)
		row = slices.Compact(row)
		x.off[i] = w
		w += copy(adj[w:], row)
	}
	x.off[n] = w
	x.adj = adj[:w:w]
	x.edges = w / 2
	return x
}

// len is the number of nodes.
func (x *index) len() int { return len(x.ids) }

// neighbours returns the sorted neighbours of node i.
func (x *index) neighbours(i int) []int32 { return x.adj[x.off[i]:x.off[i+1]] }

// degree returns the number of distinct neighbours of node i.
func (x *index) degree(i int) int { return x.off[i+1] - x.off[i] }
