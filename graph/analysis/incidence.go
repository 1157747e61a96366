package analysis

import (
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// incidence is a Subgraph as a multigraph for walks that must name the link
// they follow (exposure paths, weighted paths): parallel links stay
// distinct, direction is ignored, self-links are dropped. The links of each
// node are in link-id order, which makes every search deterministic.
type incidence struct {
	x     *index
	links []graph.Link
	at    [][]int32 // link indices (into links) touching each node
	ends  [][2]int32
}

// newIncidence indexes the links of g whose type passes types (all when
// empty) and whose ends are both nodes of g.
func newIncidence(x *index, g graph.Subgraph, types []graph.LinkType) *incidence {
	in := &incidence{x: x, at: make([][]int32, x.len())}
	filter := graph.LinkTypeSet(types)
	for _, l := range g.Links {
		u, okU := x.find(l.Source)
		v, okV := x.find(l.Target)
		if !okU || !okV || u == v || !filter.Has(l.Type) {
			continue
		}
		in.links = append(in.links, l)
	}
	slices.SortStableFunc(in.links, func(a, b graph.Link) int { return strings.Compare(a.ID, b.ID) })
	in.ends = make([][2]int32, len(in.links))
	for i, l := range in.links {
		u, v := int32(x.at(l.Source)), int32(x.at(l.Target))
		in.ends[i] = [2]int32{u, v}
		in.at[u] = append(in.at[u], int32(i))
		in.at[v] = append(in.at[v], int32(i))
	}
	return in
}

// other returns the end of link l that is not node v.
func (in *incidence) other(l int32, v int32) int32 {
	if e := in.ends[l]; e[0] != v {
		return e[0]
	}
	return in.ends[l][1]
}

// weight is the cost of link l: its Weight, or 1 when it has none.
func (in *incidence) weight(l int32) float64 {
	if w := in.links[l].Weight; w > 0 {
		return w
	}
	return 1
}

// path turns a start node and a sequence of link indices into a graph.Path.
func (in *incidence) path(start int32, links []int32) graph.Path {
	p := graph.Path{Nodes: make([]graph.Entity, 0, len(links)+1), Links: make([]graph.Link, 0, len(links))}
	v := start
	p.Nodes = append(p.Nodes, *in.x.entities[v])
	for _, l := range links {
		v = in.other(l, v)
		p.Links = append(p.Links, in.links[l])
		p.Nodes = append(p.Nodes, *in.x.entities[v])
	}
	return p
}
