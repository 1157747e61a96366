package analysis

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// WeightedPaths returns up to k loopless paths from from to to of at most
// maxHops links, cheapest first by total link weight (graph.Link.Weight, a
// link without weight costing 1), ties broken by length and then by the
// sequence of link ids (graph.SortPaths with weighted=true). Links are
// followed in either direction and parallel links are distinct paths. k
// and maxHops take PathQuery's defaults and limits (0 means 10 and 4);
// from == to is graph.ErrInvalid and an unknown end graph.ErrNotFound.
//
// It is Yen's algorithm. gonum's path.YenKShortestPaths returns node
// sequences of a simple graph, so it can neither tell parallel links apart
// nor honour the hop limit or the tie order; here each spur path is instead
// the cheapest path of at most the remaining hops, found by a hop-bounded
// Bellman–Ford pass towards to.
func WeightedPaths(ctx context.Context, g graph.Subgraph, from, to string, k int, maxHops int) ([]graph.Path, error) {
	q := graph.PathQuery{From: from, To: to, MaxHops: maxHops, Limit: k}
	if err := q.Normalize(); err != nil {
		return nil, fmt.Errorf("weighted paths: %w", err)
	}
	x, err := newIndex(ctx, g)
	if err != nil {
		return nil, fmt.Errorf("weighted paths: %w", err)
	}
	s, okS := x.find(from)
	t, okT := x.find(to)
	if !okS {
		return nil, fmt.Errorf("weighted paths: entity %q: %w", from, graph.ErrNotFound)
	}
	if !okT {
		return nil, fmt.Errorf("weighted paths: entity %q: %w", to, graph.ErrNotFound)
	}
	y := &yen{in: newIncidence(x, g, nil), target: int32(t)}
	paths, err := y.run(ctx, int32(s), q.Limit, q.MaxHops)
	if err != nil {
		return nil, err
	}
	out := make([]graph.Path, len(paths))
	for i, p := range paths {
		out[i] = y.in.path(int32(s), p.links)
	}
	graph.SortPaths(out, true) // already in this order; keeps the contract explicit
	return out, nil
}

// walk is a path as link indices, with its total weight summed from the
// start as graph.Path.Weight does.
type walk struct {
	links  []int32
	weight float64
}

// compareWalks orders by weight, length, then link ids.
func (y *yen) compareWalks(a, b walk) int {
	switch {
	case a.weight < b.weight:
		return -1
	case a.weight > b.weight:
		return 1
	}
	if d := len(a.links) - len(b.links); d != 0 {
		return d
	}
	for i := range a.links {
		if c := strings.Compare(y.in.links[a.links[i]].ID, y.in.links[b.links[i]].ID); c != 0 {
			return c
		}
	}
	return 0
}

type yen struct {
	in     *incidence
	target int32
}

func (y *yen) walkOf(links []int32) walk {
	w := walk{links: links}
	for _, l := range links {
		w.weight += y.in.weight(l)
	}
	return w
}

// nodesOf returns the nodes a walk from start visits, start included.
func (y *yen) nodesOf(start int32, links []int32) []int32 {
	nodes := []int32{start}
	for _, l := range links {
		nodes = append(nodes, y.in.other(l, nodes[len(nodes)-1]))
	}
	return nodes
}

func (y *yen) run(ctx context.Context, s int32, k, maxHops int) ([]walk, error) {
	n := y.in.x.len()
	blockedNode := make([]bool, n)
	blockedLink := make([]bool, len(y.in.links))
	first, ok := y.spur(s, maxHops, blockedNode, blockedLink)
	if !ok {
		return nil, nil
	}
	accepted := []walk{y.walkOf(first)}
	var candidates []walk
	seen := map[string]bool{key(first): true}
	for len(accepted) < k {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		prev := accepted[len(accepted)-1]
		nodes := y.nodesOf(s, prev.links)
		for i := range prev.links {
			root := prev.links[:i]
			// Block the next link of every accepted path sharing this root,
			// and the root's nodes before the spur node, so the spur path
			// leaves the root in a new way and stays loopless.
			for _, a := range accepted {
				if len(a.links) > i && slices.Equal(a.links[:i], root) {
					blockedLink[a.links[i]] = true
				}
			}
			for _, v := range nodes[:i] {
				blockedNode[v] = true
			}
			if sp, ok := y.spur(nodes[i], maxHops-i, blockedNode, blockedLink); ok {
				full := append(slices.Clone(root), sp...)
				if kk := key(full); !seen[kk] {
					seen[kk] = true
					candidates = append(candidates, y.walkOf(full))
				}
			}
			clear(blockedLink)
			clear(blockedNode)
		}
		if len(candidates) == 0 {
			break
		}
		best := 0
		for i := range candidates {
			if y.compareWalks(candidates[i], candidates[best]) < 0 {
				best = i
			}
		}
		accepted = append(accepted, candidates[best])
		candidates = slices.Delete(candidates, best, best+1)
	}
	return accepted, nil
}

func key(links []int32) string {
	var b strings.Builder
	for _, l := range links {
		fmt.Fprintf(&b, "%d,", l)
	}
	return b.String()
}

// spur finds the best walk (weight, length, link ids) from v to the target
// of at most hops links, avoiding blocked nodes and links. Bellman–Ford by
// rounds: after round h, best[u] is the best walk from u of at most h
// links. With positive weights the best walk never repeats a node, since
// cutting out the loop would make it cheaper and shorter.
func (y *yen) spur(v int32, hops int, blockedNode, blockedLink []bool) ([]int32, bool) {
	if v == y.target {
		return nil, false
	}
	type entry struct {
		w     float64 // weight, summed from the target end
		links []int32 // from u to the target
		ok    bool
	}
	n := y.in.x.len()
	best := make([]entry, n)
	best[y.target] = entry{ok: true}
	// better orders candidates for the same node the way compareWalks
	// orders whole paths.
	better := func(a, b entry) bool {
		if !b.ok {
			return true
		}
		if a.w != b.w {
			return a.w < b.w
		}
		if len(a.links) != len(b.links) {
			return len(a.links) < len(b.links)
		}
		for i := range a.links {
			if c := strings.Compare(y.in.links[a.links[i]].ID, y.in.links[b.links[i]].ID); c != 0 {
				return c < 0
			}
		}
		return false
	}
	frontier := []int32{y.target}
	for range hops {
		next := map[int32]entry{}
		for _, u := range frontier {
			bu := best[u]
			for _, l := range y.in.at[u] {
				if blockedLink[l] {
					continue
				}
				w := y.in.other(l, u)
				if blockedNode[w] || w == y.target {
					continue
				}
				c := entry{w: y.in.weight(l) + bu.w, links: append([]int32{l}, bu.links...), ok: true}
				cur, has := next[w]
				if !has {
					cur = best[w]
				}
				if better(c, cur) {
					next[w] = c
				}
			}
		}
		if len(next) == 0 {
			break
		}
		frontier = frontier[:0]
		for w, e := range next {
			best[w] = e
			frontier = append(frontier, w)
		}
		slices.Sort(frontier)
	}
	if !best[v].ok {
		return nil, false
	}
	return best[v].links, true
}
