package embedded

import "math/bits"

// slotSet is a set of node slots for one walk: open addressing with linear
// probing over a power-of-two table of slots (-1 marks an empty cell),
// filled to at most half. A walk from a hub adds thousands of slots and
// then tests every link of the answer's nodes against the set; a
// map[int32]bool spends several times the memory and time on both.
type slotSet struct {
	cells []int32
	shift uint8 // 32 - log2(len(cells)): the hash's top bits pick the cell
	n     int
}

// newSlotSet returns a set with room for hint slots before it grows.
func newSlotSet(hint int) *slotSet {
	s := &slotSet{}
	s.alloc(max(8, 2*hint))
	return s
}

// alloc makes the table the power of two at least size, empty.
func (s *slotSet) alloc(size int) {
	b := bits.Len(uint(size - 1))
	s.cells = make([]int32, 1<<b)
	for i := range s.cells {
		s.cells[i] = -1
	}
	s.shift = uint8(32 - b)
	s.n = 0
}

// home is v's first cell (Fibonacci hashing: consecutive slots spread).
func (s *slotSet) home(v int32) int { return int((uint32(v) * 0x9e3779b9) >> s.shift) }

// add adds v and reports whether it was absent.
func (s *slotSet) add(v int32) bool {
	if 2*(s.n+1) > len(s.cells) {
		old := s.cells
		s.alloc(2 * len(old))
		for _, u := range old {
			if u >= 0 {
				s.add(u)
			}
		}
	}
	mask := len(s.cells) - 1
	for i := s.home(v); ; i = (i + 1) & mask {
		switch s.cells[i] {
		case v:
			return false
		case -1:
			s.cells[i] = v
			s.n++
			return true
		}
	}
}

// has reports whether v is in the set.
func (s *slotSet) has(v int32) bool {
	mask := len(s.cells) - 1
	for i := s.home(v); ; i = (i + 1) & mask {
		switch s.cells[i] {
		case v:
			return true
		case -1:
			return false
		}
	}
}

// len is the number of slots in the set.
func (s *slotSet) len() int { return s.n }
