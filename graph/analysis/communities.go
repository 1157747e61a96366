package analysis

import (
	"context"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Community is one cluster found by Communities.
type Community struct {
	ID      int      `json:"id"`
	Members []string `json:"members"`
}

// Communities partitions g by Louvain modularity maximisation (louvain, at
// resolution 1 on the undirected simple graph) and returns the communities
// of the last level with their modularity, as
// networkx.community.modularity computes it. The result is deterministic
// for a given seed, which seeds the random order in which Louvain visits
// nodes. Communities are sorted by size descending, then by their smallest
// member id; members are sorted by id and IDs are 0..k-1 in that order.
// Isolated entities form communities of their own. A graph without links
// has modularity 0 (networkx leaves it undefined). ctx cancels the search.
func Communities(ctx context.Context, g graph.Subgraph, seed int64) (communities []Community, modularity float64, err error) {
	x, err := newIndex(ctx, g)
	if err != nil {
		return nil, 0, err
	}
	membership, err := louvain(ctx, x, seed)
	if err != nil {
		return nil, 0, err
	}
	return groups(x, membership), modularityOf(x, membership), nil
}

// groups turns a membership vector into sorted, numbered communities.
func groups(x *index, membership []int) []Community {
	byLabel := map[int][]string{}
	for i, c := range membership {
		byLabel[c] = append(byLabel[c], x.ids[i]) // ids ascend, so members come sorted
	}
	out := make([]Community, 0, len(byLabel))
	for _, members := range byLabel {
		out = append(out, Community{Members: members})
	}
	slices.SortFunc(out, func(a, b Community) int {
		if d := len(b.Members) - len(a.Members); d != 0 {
			return d
		}
		return strings.Compare(a.Members[0], b.Members[0])
	})
	for i := range out {
		out[i].ID = i
	}
	return out
}

// modularityOf is networkx.community.modularity at resolution 1 for an
// undirected simple graph: the sum over communities c of L_c/m - (d_c/2m)^2,
// with L_c the links inside c, d_c the total degree of c and m the number of
// links. It is 0 for a graph without links.
func modularityOf(x *index, membership []int) float64 {
	if x.edges == 0 {
		return 0
	}
	inside := map[int]float64{}
	degree := map[int]float64{}
	for i := range x.len() {
		c := membership[i]
		degree[c] += float64(x.degree(i))
		for _, j := range x.neighbours(i) {
			if int(j) > i && membership[j] == c {
				inside[c]++
			}
		}
	}
	m := float64(x.edges)
	labels := make([]int, 0, len(degree))
	for c := range degree {
		labels = append(labels, c)
	}
	slices.Sort(labels) // a fixed summation order keeps the result reproducible
	var q float64
	for _, c := range labels {
		d := degree[c] / (2 * m)
		q += inside[c]/m - d*d
	}
	return q
}
