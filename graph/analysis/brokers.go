package analysis

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Brokers are the entities and links whose removal splits the network.
type Brokers struct {
	// ArticulationPoints are the entities whose removal disconnects part of
	// their component (networkx articulation_points), sorted by id.
	ArticulationPoints []string `json:"articulationPoints"`
	// Bridges are the links whose removal disconnects part of their
	// component (networkx bridges on the collapsed simple graph), sorted by
	// link id. When several links join the same pair of entities, the pair
	// counts as one edge, as in networkx's Graph, and the link with the
	// smallest id stands for it.
	Bridges []graph.Link `json:"bridges"`
}

// FindBrokers finds the articulation points and bridges of g read as an
// undirected simple graph, by one iterative depth-first search (Tarjan's
// low-point method; gonum has no such function). Self-links are ignored.
func FindBrokers(ctx context.Context, g graph.Subgraph) (Brokers, error) {
	x, err := newIndex(ctx, g)
	if err != nil {
		return Brokers{}, fmt.Errorf("brokers: %w", err)
	}
	n := x.len()
	disc := make([]int32, n)
	low := make([]int32, n)
	parent := make([]int32, n)
	for i := range disc {
		disc[i] = -1
	}
	cut := make([]bool, n)
	type frame struct {
		v    int32
		next int
	}
	var (
		stack   []frame
		bridges = map[[2]int32]bool{}
		clock   int32
	)
	for root := range n {
		if disc[root] >= 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return Brokers{}, err
		}
		disc[root], low[root], parent[root] = clock, clock, -1
		clock++
		children := 0
		stack = append(stack[:0], frame{v: int32(root)})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			v := top.v
			if nb := x.neighbours(int(v)); top.next < len(nb) {
				w := nb[top.next]
				top.next++
				switch {
				case disc[w] < 0:
					disc[w], low[w], parent[w] = clock, clock, v
					clock++
					if int(v) == root {
						children++
					}
					stack = append(stack, frame{v: w})
				case w != parent[v]:
					low[v] = min(low[v], disc[w])
				}
				continue
			}
			stack = stack[:len(stack)-1]
			p := parent[v]
			if p < 0 {
				continue
			}
			low[p] = min(low[p], low[v])
			if low[v] > disc[p] {
				bridges[[2]int32{min(p, v), max(p, v)}] = true
			}
			if int(p) != root && low[v] >= disc[p] {
				cut[p] = true
			}
		}
		if children > 1 {
			cut[root] = true
		}
	}

	out := Brokers{ArticulationPoints: []string{}, Bridges: []graph.Link{}}
	for i, c := range cut {
		if c {
			out.ArticulationPoints = append(out.ArticulationPoints, x.ids[i]) // ids ascend
		}
	}
	chosen := map[[2]int32]int{}
	for i := range g.Links {
		l := &g.Links[i]
		u, okU := x.find(l.Source)
		v, okV := x.find(l.Target)
		if !okU || !okV {
			continue
		}
		key := [2]int32{int32(min(u, v)), int32(max(u, v))}
		if !bridges[key] {
			continue
		}
		if j, ok := chosen[key]; !ok || l.ID < g.Links[j].ID {
			chosen[key] = i
		}
	}
	for _, i := range chosen {
		out.Bridges = append(out.Bridges, g.Links[i])
	}
	slices.SortFunc(out.Bridges, func(a, b graph.Link) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}
