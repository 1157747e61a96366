package embedded

import "hash/maphash"

// idTable resolves entity ids to slots while loading: open addressing with
// linear probing over cells of a 64-bit id hash and the slot, so a lookup
// usually touches one cache line. Ten million link endpoints are resolved
// at start-up; string-keyed maps spend seconds there in cache misses on the
// keys' bytes.
//
// It only answers for a set of ids whose hashes are all distinct (put
// reports a clash, and the loader then falls back to the string map), so a
// hit for an id of the set is exact. An id outside the set could be taken
// for another with probability 2^-64; the loader only asks for ids that a
// consistent file guarantees to exist.
type idTable struct {
	seed  maphash.Seed
	cells []idCell
	mask  uint64
}

type idCell struct {
	h    uint64 // 0: empty
	slot int32
}

func newIDTable(n int) *idTable {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	return &idTable{seed: maphash.MakeSeed(), cells: make([]idCell, size), mask: uint64(size - 1)}
}

func (t *idTable) hash(id string) uint64 {
	return maphash.String(t.seed, id) | 1 // never 0, which marks empty cells
}

// put adds id; false when its hash equals one already present.
func (t *idTable) put(id string, slot int32) bool {
	h := t.hash(id)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		switch c := &t.cells[i]; c.h {
		case 0:
			c.h, c.slot = h, slot
			return true
		case h:
			return false
		}
	}
}

func (t *idTable) get(id string) (int32, bool) {
	h := t.hash(id)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		switch c := &t.cells[i]; c.h {
		case 0:
			return 0, false
		case h:
			return c.slot, true
		}
	}
}
