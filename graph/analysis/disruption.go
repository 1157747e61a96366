package analysis

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// NetworkSummary describes a network's cohesion.
type NetworkSummary struct {
	// Entities and Links count what is left: the entities not removed and
	// the links (every link record, parallel and self-links included) with
	// neither end removed.
	Entities int `json:"entities"`
	Links    int `json:"links"`
	// Components counts the connected components of what is left, and
	// LargestComponent the entities of the largest (0 when nothing is left).
	Components       int `json:"components"`
	LargestComponent int `json:"largestComponent"`
	// Fragmentation is Borgatti's key-player measure, 1 − Σ s(s−1)/(n(n−1))
	// over the component sizes s, the removed entities counted as isolates
	// of the n original entities (0 when n < 2): the share of pairs of
	// entities that can no longer reach each other.
	Fragmentation float64 `json:"fragmentation"`
	// GlobalEfficiency is networkx's global_efficiency of what is left: the
	// mean of 1/distance over ordered pairs of distinct entities (0 for a
	// pair that cannot reach each other, 0 when fewer than 2 are left).
	GlobalEfficiency float64 `json:"globalEfficiency"`
}

// Reach is how many other entities a designated entity reaches.
type Reach struct {
	ID     string `json:"id"`
	Before int    `json:"before"`
	After  int    `json:"after"` // 0 when the entity itself was removed
}

// Disruption is what removing entities does to a network.
type Disruption struct {
	Before NetworkSummary `json:"before"`
	After  NetworkSummary `json:"after"`
	// Severed are the links with a removed end, ordered by id.
	Severed []graph.Link `json:"severed"`
	// Isolated are the entities, not removed, that had links to others and
	// have none left, ordered by id.
	Isolated []string `json:"isolated"`
	// DesignatedReach gives, for every designated (sanctioned) entity of
	// the network, ordered by id, how many entities it reaches before and
	// after the removal.
	DesignatedReach []Reach `json:"designatedReach"`
}

// Disrupt removes the entities remove from g (read as an undirected simple
// graph, as Centrality reads it) and compares the network before and
// after. An id of remove that is not in g is an error wrapping
// graph.ErrInvalid; one listed twice counts once. Global efficiency, an
// all-pairs search, is refused beyond MaxEfficiencyEntities entities
// (graph.ErrTooComplex). DesignatedReach counts the entities with a
// designation in force under w (graph.InForce; the zero When: any).
func Disrupt(ctx context.Context, g graph.Subgraph, remove []string, w graph.When) (Disruption, error) {
	x, err := newIndex(ctx, g)
	if err != nil {
		return Disruption{}, fmt.Errorf("disruption: %w", err)
	}
	n := x.len()
	if n > MaxEfficiencyEntities {
		return Disruption{}, fmt.Errorf("disruption: global efficiency of %d entities (limit %d): %w", n, MaxEfficiencyEntities, graph.ErrTooComplex)
	}
	removed, err := x.marks("disruption: remove", remove)
	if err != nil {
		return Disruption{}, err
	}
	out := Disruption{Severed: []graph.Link{}, Isolated: []string{}, DesignatedReach: []Reach{}}
	beforeComp, beforeSizes := components(x, nil)
	afterComp, afterSizes := components(x, removed)
	if out.Before, err = summarize(ctx, x, nil, beforeSizes); err != nil {
		return Disruption{}, err
	}
	if out.After, err = summarize(ctx, x, removed, afterSizes); err != nil {
		return Disruption{}, err
	}
	for i := range g.Links {
		l := &g.Links[i]
		u, okU := x.find(l.Source)
		v, okV := x.find(l.Target)
		if !okU || !okV {
			continue
		}
		out.Before.Links++
		if removed[u] || removed[v] {
			out.Severed = append(out.Severed, *l)
		} else {
			out.After.Links++
		}
	}
	slices.SortFunc(out.Severed, func(a, b graph.Link) int { return strings.Compare(a.ID, b.ID) })
	for i := range n {
		if !removed[i] && x.degree(i) > 0 && afterSizes[afterComp[i]] == 1 {
			out.Isolated = append(out.Isolated, x.ids[i])
		}
		if x.entities[i].SanctionedUnder(w) {
			r := Reach{ID: x.ids[i], Before: beforeSizes[beforeComp[i]] - 1}
			if !removed[i] {
				r.After = afterSizes[afterComp[i]] - 1
			}
			out.DesignatedReach = append(out.DesignatedReach, r)
		}
	}
	return out, nil
}

// marks returns, for every node, whether its id is in ids; an id not in x
// is an error wrapping graph.ErrInvalid.
func (x *index) marks(what string, ids []string) ([]bool, error) {
	m := make([]bool, x.len())
	for _, id := range ids {
		i, ok := x.find(id)
		if !ok {
			return nil, fmt.Errorf("%s: %q is not in the analysed network: %w", what, id, graph.ErrInvalid)
		}
		m[i] = true
	}
	return m, nil
}

// components labels the connected components of x without the removed
// nodes (removed may be nil): comp[i] is node i's component (-1 when
// removed) and sizes[c] the size of component c.
func components(x *index, removed []bool) (comp []int32, sizes []int) {
	n := x.len()
	comp = make([]int32, n)
	for i := range comp {
		comp[i] = -1
	}
	queue := make([]int32, 0, n)
	for s := range n {
		if comp[s] >= 0 || (removed != nil && removed[s]) {
			continue
		}
		c := int32(len(sizes))
		comp[s] = c
		queue = append(queue[:0], int32(s))
		for head := 0; head < len(queue); head++ {
			for _, w := range x.neighbours(int(queue[head])) {
				if comp[w] < 0 && (removed == nil || !removed[w]) {
					comp[w] = c
					queue = append(queue, w)
				}
			}
		}
		sizes = append(sizes, len(queue))
	}
	return comp, sizes
}

// summarize describes x without the removed nodes, whose components have
// the given sizes. Links are counted by the caller.
func summarize(ctx context.Context, x *index, removed []bool, sizes []int) (NetworkSummary, error) {
	s := NetworkSummary{Components: len(sizes)}
	var pairs int64
	for _, c := range sizes {
		s.Entities += c
		s.LargestComponent = max(s.LargestComponent, c)
		pairs += int64(c) * int64(c-1)
	}
	s.Fragmentation = fragmentation(x.len(), pairs)
	eff, err := globalEfficiency(ctx, x, removed)
	if err != nil {
		return NetworkSummary{}, err
	}
	s.GlobalEfficiency = eff
	return s, nil
}

// fragmentation is 1 − pairs/(n(n−1)), pairs being Σ s(s−1) over the
// component sizes of n nodes; 0 when n < 2.
func fragmentation(n int, pairs int64) float64 {
	if n < 2 {
		return 0
	}
	return round12(1 - float64(pairs)/(float64(n)*float64(n-1)))
}

// globalEfficiency is networkx's global_efficiency of x without the
// removed nodes. Each source's sum is kept apart and the sums added in node
// order, so the figure does not depend on how sources were split between
// cores.
func globalEfficiency(ctx context.Context, x *index, removed []bool) (float64, error) {
	n := x.len()
	left := n
	for _, r := range removed {
		if r {
			left--
		}
	}
	if left < 2 {
		return 0, nil
	}
	perSource := make([]float64, n)
	err := forEachSweep(ctx, x, removed, func(sw *sweep, base int, d int32) {
		for b, c := range sw.counts[:min(sweepWidth, n-base)] {
			perSource[base+b] += float64(c) / float64(d)
		}
	})
	if err != nil {
		return 0, err
	}
	var total float64
	for _, v := range perSource {
		total += v
	}
	return round12(total / (float64(left) * float64(left-1))), nil
}
