package analysis

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// GroupBy names how Brokerage assigns entities to groups.
type GroupBy string

// Groupings for Brokerage.
const (
	// ByCommunity groups entities by Louvain community, as Communities
	// finds them with the given seed.
	ByCommunity GroupBy = "COMMUNITY"
	// ByKind groups entities by kind.
	ByKind GroupBy = "KIND"
)

// BrokerageScore counts the Gould–Fernandez brokerage roles of one entity.
type BrokerageScore struct {
	ID             string `json:"id"`
	Coordinator    int64  `json:"coordinator"`
	Itinerant      int64  `json:"itinerant"`
	Gatekeeper     int64  `json:"gatekeeper"`
	Representative int64  `json:"representative"`
	Liaison        int64  `json:"liaison"`
}

// Total is the number of brokered pairs.
func (b BrokerageScore) Total() int64 {
	return b.Coordinator + b.Itinerant + b.Gatekeeper + b.Representative + b.Liaison
}

// Brokerage counts Gould and Fernandez's brokerage roles over the directed
// links of g (source → target; parallel links of one direction count once,
// self-links not at all): for every path a → b → c with a ≠ c, whatever
// links a and c have, b is, from the groups of a, b and c,
//
//   - coordinator when all three share a group;
//   - itinerant when a and c share a group b is not in;
//   - gatekeeper when b and c share a group and a is outside it;
//   - representative when a and b share a group and c is outside it;
//   - liaison when all three groups differ.
//
// Groups are Louvain communities of g read as an undirected simple graph,
// seeded by seed as Communities is, or entity kinds. It returns the
// entities with at least one role, by total descending, then id. Counting
// works from each entity's in- and out-neighbours by group, in time linear
// in the links.
func Brokerage(ctx context.Context, g graph.Subgraph, by GroupBy, seed int64) ([]BrokerageScore, error) {
	x, err := newIndex(ctx, g)
	if err != nil {
		return nil, fmt.Errorf("brokerage: %w", err)
	}
	n := x.len()
	var group []int
	switch by {
	case ByCommunity:
		if group, err = louvain(ctx, x, seed); err != nil {
			return nil, err
		}
	case ByKind:
		labels := map[graph.Kind]int{}
		group = make([]int, n)
		for i, e := range x.entities {
			l, ok := labels[e.Kind]
			if !ok {
				l = len(labels)
				labels[e.Kind] = l
			}
			group[i] = l
		}
	default:
		return nil, fmt.Errorf("brokerage: unknown grouping %q: %w", by, graph.ErrInvalid)
	}
	in, out := directed(x, g)
	groups := 0
	for _, c := range group {
		groups = max(groups, c+1)
	}
	// Per-group counts of b's in-, out- and mutual neighbours; touched
	// lists the groups to reset.
	cin, cout, cmut := make([]int64, groups), make([]int64, groups), make([]int64, groups)
	mark := make([]int32, n)
	var touched []int
	var scores []BrokerageScore
	m := newMeter(ctx)
	for b := range n {
		if err := m.add(len(in[b]) + len(out[b]) + 1); err != nil {
			return nil, err
		}
		if len(in[b]) == 0 || len(out[b]) == 0 {
			continue
		}
		touched = touched[:0]
		touch := func(c int) {
			if cin[c] == 0 && cout[c] == 0 && cmut[c] == 0 {
				touched = append(touched, c)
			}
		}
		for _, a := range in[b] {
			touch(group[a])
			cin[group[a]]++
			mark[a] = int32(b + 1)
		}
		for _, c := range out[b] {
			touch(group[c])
			cout[group[c]]++
			if mark[c] == int32(b+1) {
				cmut[group[c]]++
			}
		}
		gb := group[b]
		var inOther, outOther, sameOther int64 // Σ over groups other than b's
		for _, c := range touched {
			if c != gb {
				inOther += cin[c]
				outOther += cout[c]
				sameOther += cin[c]*cout[c] - cmut[c]
			}
		}
		s := BrokerageScore{
			ID:             x.ids[b],
			Coordinator:    cin[gb]*cout[gb] - cmut[gb],
			Itinerant:      sameOther,
			Gatekeeper:     inOther * cout[gb],
			Representative: cin[gb] * outOther,
		}
		// Pairs with a and c both outside b's group, minus those sharing a
		// group (itinerant, mutual neighbours already excluded there).
		var cross int64
		for _, c := range touched {
			if c != gb {
				cross += cin[c] * cout[c]
			}
		}
		s.Liaison = inOther*outOther - cross
		for _, c := range touched {
			cin[c], cout[c], cmut[c] = 0, 0, 0
		}
		if s.Total() > 0 {
			scores = append(scores, s)
		}
	}
	slices.SortFunc(scores, func(a, b BrokerageScore) int {
		if c := cmp.Compare(b.Total(), a.Total()); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if scores == nil {
		scores = []BrokerageScore{}
	}
	return scores, nil
}

// directed returns the distinct in- and out-neighbours of every node over
// g's links, self-links dropped.
func directed(x *index, g graph.Subgraph) (in, out [][]int32) {
	n := x.len()
	in, out = make([][]int32, n), make([][]int32, n)
	for i := range g.Links {
		l := &g.Links[i]
		u, okU := x.find(l.Source)
		v, okV := x.find(l.Target)
		if !okU || !okV || u == v {
			continue
		}
		out[u] = append(out[u], int32(v))
		in[v] = append(in[v], int32(u))
	}
	for i := range n {
		slices.Sort(out[i])
		out[i] = slices.Compact(out[i])
		slices.Sort(in[i])
		in[i] = slices.Compact(in[i])
	}
	return in, out
}
