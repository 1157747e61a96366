package graph

import (
	"context"
	"slices"
)

// PathGraph is what WalkPaths needs of a store's graph: node handles N and
// link handles L are whatever the store walks fastest (slots, ids).
type PathGraph[N comparable, L any] interface {
	// Links returns u's links in link-id order.
	Links(u N) []L
	// Follow returns the far end of u's link l; ok is false when the walk
	// may not use l (a link type outside the filter).
	Follow(u N, l L) (v N, ok bool)
	// Dist returns v's hop distance to the target; ok is false when v is
	// not known to be within reach of it.
	Dist(v N) (d int, ok bool)
	// Start returns the first day of l's start date (Link.Start); ok is
	// false when l has none. Only chronological walks ask.
	Start(l L) (d Day, ok bool)
}

// Walk is one path found by WalkPaths: Nodes from the start to the
// target, Links between them.
type Walk[N, L any] struct {
	Nodes []N
	Links []L
}

// pathCheckEvery is how many links a walk looks at between context checks.
const pathCheckEvery = 4096

// WalkPaths enumerates the simple paths from from to to of at most maxHops
// links, in the order PathQuery documents, and stops at limit. It deepens
// the length one hop at a time from the shortest possible one and follows
// each node's links in link-id order, so paths come out already sorted;
// nodes farther from to than the remaining hops are pruned. It checks ctx
// now and then (on a dense graph the walk is the long part of a query) and
// returns ctx.Err() unwrapped, for the store to translate.
//
// A chronological walk keeps only paths whose links have non-decreasing
// start days from from to to (see PathQuery), never using an undated link;
// distances stay valid lower bounds, so the pruning holds.
func WalkPaths[N comparable, L any](ctx context.Context, g PathGraph[N, L], from, to N, maxHops, limit int, chronological bool) ([]Walk[N, L], error) {
	// from itself is one hop beyond its nearest neighbour.
	first := -1
	for _, l := range g.Links(from) {
		v, ok := g.Follow(from, l)
		if !ok || v == from {
			continue
		}
		if d, ok := g.Dist(v); ok && (first < 0 || d+1 < first) {
			first = d + 1
		}
	}
	if first < 0 {
		return nil, nil
	}
	w := pathWalk[N, L]{ctx: ctx, g: g, to: to, limit: limit, chrono: chronological}
	for n := first; n <= maxHops && len(w.found) < limit; n++ {
		w.nodes, w.links = append(w.nodes[:0], from), w.links[:0]
		if err := w.walk(from, n, Dawn); err != nil {
			return nil, err
		}
	}
	return w.found, nil
}

type pathWalk[N comparable, L any] struct {
	ctx   context.Context
	g     PathGraph[N, L]
	to    N
	limit int
	nodes []N // the current path; short, so a scan beats a set
	links []L
	found []Walk[N, L]
	steps int
	// chrono: each link must start no earlier than the one before it.
	chrono bool
}

// walk extends the current path from u by exactly remaining hops; after is
// the start day of the path's last link (chronological walks only).
func (w *pathWalk[N, L]) walk(u N, remaining int, after Day) error {
	if u == w.to {
		if remaining == 0 {
			w.found = append(w.found, Walk[N, L]{slices.Clone(w.nodes), slices.Clone(w.links)})
		}
		return nil
	}
	if remaining == 0 {
		return nil
	}
	for _, l := range w.g.Links(u) {
		if len(w.found) >= w.limit {
			return nil
		}
		if w.steps++; w.steps%pathCheckEvery == 0 {
			if err := w.ctx.Err(); err != nil {
				return err
			}
		}
		v, ok := w.g.Follow(u, l)
		if !ok || slices.Contains(w.nodes, v) { // also skips self-links
			continue
		}
		if d, ok := w.g.Dist(v); !ok || d > remaining-1 {
			continue
		}
		next := after
		if w.chrono {
			start, ok := w.g.Start(l)
			if !ok || start < after {
				continue
			}
			next = start
		}
		w.nodes = append(w.nodes, v)
		w.links = append(w.links, l)
		err := w.walk(v, remaining-1, next)
		w.nodes = w.nodes[:len(w.nodes)-1]
		w.links = w.links[:len(w.links)-1]
		if err != nil {
			return err
		}
	}
	return nil
}
