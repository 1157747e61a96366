package analysis

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/skein-project/skein/graph"
)

// index is a Subgraph as an undirected simple graph with dense node numbers:
// node i is the entity with the i-th smallest id, so every algorithm visits
// nodes in the same order whatever order the store returned them in. The
// neighbours of i are adj[off[i]:off[i+1]], sorted, without duplicates or i
// itself.
type index struct {
	ids      []string
	pos      *idTable
	entities []*graph.Entity
	off      []int
	adj      []int32
	// edges counts the undirected simple edges.
	edges int
}

// indexBlock is how many links (or rows) one worker of newIndex takes at a
// time, between two looks at the context.
const indexBlock = 1 << 13

// newIndex builds the simple undirected view of g in time linear in its
// links (and n log n to sort the ids). Nodes listed twice are kept once
// (the first listed); links with an end outside g.Nodes are skipped, since
// a snapshot only ever holds the links among its nodes. Resolving the ends
// of the links, the bulk of the work, is shared among GOMAXPROCS workers;
// ctx stops it.
func newIndex(ctx context.Context, g graph.Subgraph) (*index, error) {
	x := &index{}
	x.entities = uniqueSorted(g.Nodes)
	n := len(x.entities)
	x.ids = make([]string, n)
	for i, e := range x.entities {
		x.ids[i] = e.ID
	}
	x.pos = newIDTable(x.ids)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// ends[2k], ends[2k+1] are the node numbers of link k, -1 when it is
	// skipped.
	ends := make([]int32, 2*len(g.Links))
	t := x.pos
	err := forBlocks(ctx, len(g.Links), func(lo, hi int) {
		var names [2 * batch]string
		var found [2 * batch]int32
		for k := lo; k < hi; k += batch {
			c := min(batch, hi-k)
			for j := range c {
				l := &g.Links[k+j]
				names[j], names[batch+j] = l.Source, l.Target
			}
			t.findBatch(names[:c], found[:c])
			t.findBatch(names[batch:batch+c], found[batch:batch+c])
			for j := range c {
				u, v := found[j], found[batch+j]
				if u < 0 || v < 0 || u == v {
					u, v = -1, -1
				}
				ends[2*(k+j)], ends[2*(k+j)+1] = u, v
			}
		}
	})
	if err != nil {
		return nil, err
	}
	x.off = make([]int, n+1)
	for _, v := range ends {
		if v >= 0 {
			x.off[v+1]++
		}
	}
	for i := range n {
		x.off[i+1] += x.off[i]
	}
	adj := make([]int32, x.off[n])
	fill := slices.Clone(x.off[:n])
	for k := 0; k < len(ends); k += 2 {
		u, v := ends[k], ends[k+1]
		if u < 0 {
			continue
		}
		adj[fill[u]] = v
		fill[u]++
		adj[fill[v]] = u
		fill[v]++
	}
	// Sort and deduplicate each row in place (fill[i] becomes the end of
	// row i's distinct neighbours), then compact the rows.
	err = forBlocks(ctx, n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row := adj[x.off[i]:x.off[i+1]]
			slices.Sort(row)
			fill[i] = x.off[i] + len(slices.Compact(row))
		}
	})
	if err != nil {
		return nil, err
	}
	w := 0
	for i := range n {
		start := x.off[i]
		x.off[i] = w
		w += copy(adj[w:], adj[start:fill[i]])
	}
	x.off[n] = w
	x.adj = adj[:w:w]
	x.edges = w / 2
	return x, nil
}

// uniqueSorted returns the entities of nodes sorted by id, each id once:
// the entity listed first.
func uniqueSorted(nodes []graph.Entity) []*graph.Entity {
	order := make([]int32, len(nodes))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := strings.Compare(nodes[a].ID, nodes[b].ID); c != 0 {
			return c
		}
		return int(a - b)
	})
	out := make([]*graph.Entity, 0, len(nodes))
	for k, i := range order {
		if k > 0 && nodes[i].ID == nodes[order[k-1]].ID {
			continue
		}
		out = append(out, &nodes[i])
	}
	return out
}

// forBlocks calls fn(lo, hi) on consecutive blocks of indexBlock of 0..n-1,
// the blocks shared among at most GOMAXPROCS workers, each with its own
// meter (a block counts as hi-lo units of work), and returns the context's
// error if it ends before every block is done. fn must only write what its
// block owns.
func forBlocks(ctx context.Context, n int, fn func(lo, hi int)) error {
	blocks := (n + indexBlock - 1) / indexBlock
	workers := min(runtime.GOMAXPROCS(0), blocks)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			m := newMeter(ctx)
			for {
				b := int(next.Add(1)) - 1
				if b >= blocks {
					errs[w] = m.check()
					return
				}
				lo, hi := b*indexBlock, min(n, (b+1)*indexBlock)
				fn(lo, hi)
				if errs[w] = m.add(hi - lo); errs[w] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// find returns the node number of the entity id.
func (x *index) find(id string) (int, bool) { return x.pos.find(id) }

// at returns the node number of the entity id, -1 when it is not a node.
func (x *index) at(id string) int {
	i, _ := x.pos.find(id)
	return i
}

// len is the number of nodes.
func (x *index) len() int { return len(x.ids) }

// neighbours returns the sorted neighbours of node i.
func (x *index) neighbours(i int) []int32 { return x.adj[x.off[i]:x.off[i+1]] }

// degree returns the number of distinct neighbours of node i.
func (x *index) degree(i int) int { return x.off[i+1] - x.off[i] }
