package analysis

import (
	"context"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
)

// sweepWidth is the number of sources one sweep searches from at once: one
// bit of a machine word each.
const sweepWidth = 64

// sweep is the scratch space of a bit-parallel breadth-first search from up
// to 64 sources at once (Then et al., "The More the Merrier: Efficient
// Multi-Source Graph Traversal", VLDB 2014): bit b of a node's word stands
// for source b, so one pass over a node's links advances all 64 searches.
// The all-sources measures that need only how many nodes each source
// reaches at each distance (closeness, harmonic centrality, global
// efficiency) then read each link n/64 times instead of n times.
type sweep struct {
	x *index
	// seen, frontier and next hold one word per node: the sources that
	// have reached it, that reached it at the current distance, and that
	// reach it at the next.
	seen, frontier, next []uint64
	// blocked is seen's starting value: all ones for the removed nodes, so
	// that no search enters them.
	blocked []uint64
	// active and nextActive list the nodes whose frontier (next) word is
	// not zero.
	active, nextActive []int32
	// slices is a bit-sliced counter (one word per binary digit) of how
	// many nodes each source reached at the current distance.
	slices []uint64
	// counts[b] is that count for source b, once a distance is done.
	counts [sweepWidth]int
}

func newSweep(x *index, removed []bool) *sweep {
	n := x.len()
	s := &sweep{
		x:    x,
		seen: make([]uint64, n), frontier: make([]uint64, n), next: make([]uint64, n),
		active: make([]int32, 0, n), nextActive: make([]int32, 0, n),
		slices: make([]uint64, bits.Len(uint(n))+1),
	}
	if removed != nil {
		s.blocked = make([]uint64, n)
		for i, r := range removed {
			if r {
				s.blocked[i] = ^uint64(0)
			}
		}
	}
	return s
}

// run searches from sources (at most 64, none removed) and calls level(d)
// after each distance d >= 1 that some source reached a node at, with
// s.counts[b] holding how many nodes sources[b] reached at distance d.
func (s *sweep) run(m *meter, sources []int32, level func(d int32)) error {
	if s.blocked != nil {
		copy(s.seen, s.blocked)
	} else {
		clear(s.seen)
	}
	// full has the bits of the sources that search: a removed source is
	// seen everywhere it could go (blocked) and reaches nothing.
	var full uint64
	s.active = s.active[:0]
	for b, v := range sources {
		if s.blocked != nil && s.blocked[v] != 0 {
			continue
		}
		full |= 1 << b
		s.seen[v] |= 1 << b
		s.frontier[v] = 1 << b
		s.active = append(s.active, v)
	}
	x := s.x
	twoM := len(x.adj)
	for d := int32(1); len(s.active) > 0; d++ {
		activeLinks := 0
		for _, v := range s.active {
			activeLinks += x.degree(int(v))
		}
		var err error
		if 4*activeLinks < twoM {
			err = s.push(m)
		} else {
			err = s.pull(m, full)
		}
		if err != nil {
			return err // the scratch is left dirty: the caller stops
		}
		for _, v := range s.active {
			s.frontier[v] = 0
		}
		s.frontier, s.next = s.next, s.frontier
		s.active, s.nextActive = s.nextActive, s.active[:0]
		if len(s.active) == 0 {
			break
		}
		s.tally(len(sources))
		level(d)
	}
	return nil
}

// push advances the searches from the active nodes along their links (few
// active nodes), then keeps in next only the sources new to each node.
func (s *sweep) push(m *meter) error {
	x := s.x
	s.nextActive = s.nextActive[:0]
	for _, v := range s.active {
		f := s.frontier[v]
		nv := x.neighbours(int(v))
		for _, w := range nv {
			if s.next[w] == 0 {
				s.nextActive = append(s.nextActive, w)
			}
			s.next[w] |= f
		}
		if err := m.add(len(nv) + 1); err != nil {
			return err
		}
	}
	kept := s.nextActive[:0]
	for _, w := range s.nextActive {
		nw := s.next[w] &^ s.seen[w]
		s.next[w] = nw
		if nw != 0 {
			s.seen[w] |= nw
			s.count(nw)
			kept = append(kept, w)
		}
	}
	s.nextActive = kept
	return nil
}

// pull lets every node not yet reached by all sources gather the frontier
// words of its neighbours (many active nodes), stopping early once it has
// them all.
func (s *sweep) pull(m *meter, full uint64) error {
	x := s.x
	s.nextActive = s.nextActive[:0]
	for w := range x.len() {
		seen := s.seen[w]
		if seen == full || seen == ^uint64(0) {
			continue
		}
		var acc uint64
		nw := x.neighbours(w)
		for _, v := range nw {
			acc |= s.frontier[v]
			if acc|seen == full {
				break
			}
		}
		if err := m.add(len(nw) + 1); err != nil {
			return err
		}
		if acc &^= seen; acc != 0 {
			s.next[w] = acc
			s.seen[w] = seen | acc
			s.count(acc)
			s.nextActive = append(s.nextActive, int32(w))
		}
	}
	return nil
}

// count adds one to the counter of every source whose bit is set in word.
func (s *sweep) count(word uint64) {
	for k := range s.slices {
		carry := s.slices[k] & word
		s.slices[k] ^= word
		word = carry
		if word == 0 {
			return
		}
	}
}

// tally moves the bit-sliced counts into s.counts and clears the counter.
func (s *sweep) tally(sources int) {
	for b := range sources {
		c := 0
		for k, sl := range s.slices {
			c |= int(sl>>b&1) << k
		}
		s.counts[b] = c
	}
	clear(s.slices)
}

// forEachSweep runs a sweep from every node not removed, 64 sources at a
// time, the batches shared among at most GOMAXPROCS workers, each with its
// own scratch and meter. level(sw, base, d) is called as sweep.run calls
// it, sw.counts[b] counting for source node base+b; a removed node's bit
// counts nothing. A batch is searched by one worker, so level may write
// per-source results without locking.
func forEachSweep(ctx context.Context, x *index, removed []bool, level func(sw *sweep, base int, d int32)) error {
	n := x.len()
	batches := (n + sweepWidth - 1) / sweepWidth
	workers := min(runtime.GOMAXPROCS(0), batches)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			sw := newSweep(x, removed)
			m := newMeter(ctx)
			sources := make([]int32, 0, sweepWidth)
			for {
				if err := m.check(); err != nil {
					errs[w] = err
					return
				}
				b := int(next.Add(1)) - 1
				if b >= batches {
					return
				}
				base := b * sweepWidth
				sources = sources[:0]
				for v := base; v < min(n, base+sweepWidth); v++ {
					sources = append(sources, int32(v))
				}
				// A removed source is still passed, so that bit b stays
				// node base+b; it counts nothing.
				if err := sw.run(m, sources, func(d int32) { level(sw, base, d) }); err != nil {
					errs[w] = err
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
	return nil
}
