package embedded

// walk is a breadth-first walk's scratch (memGraph.bfs): the nodes reached
// as a set over every slot and in the order found. A walk from a hub
// reaches tens of thousands of nodes (20,568 from the busiest of a
// million-entity graph), and a fresh set and order for each were most of
// the bytes its neighbourhood allocated, which the garbage collector then
// paid for again over the whole graph's heap; the Store pools walks, and
// a pooled set is cleared bit by bit, as cheap for a small walk as for
// a large one.
//
// loops are the self-links passing the walk's filter of the nodes it went
// on from (memGraph.bfs), which linksAmong cannot find from a link's other
// end.
type walk struct {
	seen  bitset
	order []int32
	loops []int32
	// links is scratch for the slots of an answer's links.
	links []int32
}

// walk returns an empty walk over g's slots from the store's pool.
func (s *Store) walk(g *memGraph) *walk {
	words := (len(g.nodes) + 63) / 64
	w, _ := s.walks.Get().(*walk)
	if w == nil {
		w = &walk{}
	}
	if cap(w.seen) < words {
		w.seen = make(bitset, words)
	}
	w.seen = w.seen[:words]
	return w
}

// releaseWalk empties w and pools it. Only the nodes of w.order are in
// w.seen (bfs adds to both; a caller that cuts the order removes the rest
// from the set).
func (s *Store) releaseWalk(w *walk) {
	if len(w.order) > len(w.seen) {
		clear(w.seen)
	} else {
		for _, n := range w.order {
			w.seen.remove(n)
		}
	}
	w.order = w.order[:0]
	w.loops, w.links = w.loops[:0], w.links[:0]
	s.walks.Put(w)
}
