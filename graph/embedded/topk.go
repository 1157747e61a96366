package embedded

import "slices"

// rankedHit is a scored candidate of a search, with its id for ties.
type rankedHit struct {
	score float64
	id    string
	n     int32
}

// before reports whether a ranks before b: score descending, then id
// (graph.RankHits's order).
func before(a, b rankedHit) bool {
	return a.score > b.score || a.score == b.score && a.id < b.id
}

// topK keeps the best size hits offered, in a binary heap whose root is
// the worst kept: a page of a search needs its hits ranked, not the whole
// ranking, and a short prefix matches a hundred thousand entities.
type topK struct {
	size int
	h    []rankedHit
}

func newTopK(size int) *topK { return &topK{size: size, h: make([]rankedHit, 0, size)} }

func (t *topK) full() bool { return len(t.h) == t.size }

// worst is the worst hit kept; only when full.
func (t *topK) worst() rankedHit { return t.h[0] }

// offer keeps x if fewer than size hits are kept or x ranks before the
// worst of them, which it then replaces.
func (t *topK) offer(x rankedHit) {
	if len(t.h) < t.size {
		t.h = append(t.h, x)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if !before(t.h[p], t.h[i]) {
				break
			}
			t.h[p], t.h[i] = t.h[i], t.h[p]
			i = p
		}
		return
	}
	if !before(x, t.h[0]) {
		return
	}
	t.h[0] = x
	t.sift()
}

// sorted returns the kept hits best first, emptying t.
func (t *topK) sorted() []rankedHit {
	out := make([]rankedHit, len(t.h))
	for k := len(out) - 1; k >= 0; k-- {
		out[k] = t.h[0]
		last := len(t.h) - 1
		t.h[0] = t.h[last]
		t.h = t.h[:last]
		t.sift()
	}
	return out
}

// sift restores the heap after its root changed.
func (t *topK) sift() {
	for i := 0; ; {
		w, l, r := i, 2*i+1, 2*i+2
		if l < len(t.h) && before(t.h[w], t.h[l]) {
			w = l
		}
		if r < len(t.h) && before(t.h[w], t.h[r]) {
			w = r
		}
		if w == i {
			return
		}
		t.h[i], t.h[w] = t.h[w], t.h[i]
		i = w
	}
}

// leastByID moves the k least of node slots ns by entity id to ns[:k], in
// order, leaving the others after them in no order. A hub's first level
// is thousands of nodes of which a neighbourhood keeps its limit: the k
// least are kept in a binary heap whose root is the greatest of them, and
// on a level in nearly ascending order (the adjacency of a node loaded at
// start-up follows link ids) almost every other node costs one comparison
// with the root. Slots outside the ordered run (memGraph.ordered) are
// sorted, as sortByID does.
func (g *memGraph) leastByID(ns []int32, k int) {
	ordered := int32(g.ordered)
	if k >= len(ns) || slices.ContainsFunc(ns[:k], func(n int32) bool { return n >= ordered }) {
		g.sortByID(ns)
		return
	}
	if k <= 0 {
		return
	}
	h := ns[:k]
	for i := k/2 - 1; i >= 0; i-- {
		siftDown(h, i)
	}
	for j, n := range ns[k:] {
		if n >= ordered {
			// Not comparable as a number: the heap's moves only
			// permuted ns, which is sorted whole.
			g.sortByID(ns)
			return
		}
		if n < h[0] {
			ns[k+j], h[0] = h[0], n
			siftDown(h, 0)
		}
	}
	slices.Sort(h)
}

// siftDown restores the max-heap h below i.
func siftDown(h []int32, i int) {
	for {
		w, l := i, 2*i+1
		if l < len(h) && h[l] > h[w] {
			w = l
		}
		if r := l + 1; r < len(h) && h[r] > h[w] {
			w = r
		}
		if w == i {
			return
		}
		h[i], h[w] = h[w], h[i]
		i = w
	}
}
