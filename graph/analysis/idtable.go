package analysis

import (
	"hash/maphash"
	"math/bits"
)

// idTable maps the ids of an index to their node numbers: open addressing
// with linear probing over one word per slot (the upper half of the id's
// hash, the node number plus one below; 0 is empty), at most half full.
// It answers exactly (a hit is confirmed by comparing the id), and
// findBatch looks up many ids at once so that their cache misses overlap,
// which is what resolving every link end of a large graph is bound by.
type idTable struct {
	ids   []string
	slots []uint64
	mask  uint64
	seed  maphash.Seed
}

func newIDTable(ids []string) *idTable {
	size := uint64(1) << bits.Len(uint(2*len(ids)|1))
	t := &idTable{ids: ids, slots: make([]uint64, size), mask: size - 1, seed: maphash.MakeSeed()}
	for i, id := range ids {
		h := maphash.String(t.seed, id)
		p := h & t.mask
		for t.slots[p] != 0 {
			p = (p + 1) & t.mask
		}
		t.slots[p] = h&^0xffffffff | uint64(i+1)
	}
	return t
}

// find returns the node number of id.
func (t *idTable) find(id string) (int, bool) {
	h := maphash.String(t.seed, id)
	return t.probe(id, h, h&t.mask)
}

// probe looks for id, of hash h, from slot p on.
func (t *idTable) probe(id string, h, p uint64) (int, bool) {
	for {
		s := t.slots[p]
		if s == 0 {
			return -1, false
		}
		if (s^h)>>32 == 0 {
			if i := int(s&0xffffffff) - 1; t.ids[i] == id {
				return i, true
			}
		}
		p = (p + 1) & t.mask
	}
}

// batch is how many ids findBatch resolves together.
const batch = 8

// findBatch sets out[k] to the node number of ids[k], or -1, for up to
// batch ids: the hashes first, then the first slot of each, then the
// comparisons, so that the loads of one stage do not wait on each other.
func (t *idTable) findBatch(ids []string, out []int32) {
	var h, s [batch]uint64
	n := min(len(ids), batch)
	for k := range n {
		h[k] = maphash.String(t.seed, ids[k])
	}
	for k := range n {
		s[k] = t.slots[h[k]&t.mask]
	}
	for k := range n {
		out[k] = -1
		if s[k] == 0 {
			continue
		}
		if (s[k]^h[k])>>32 == 0 {
			if i := int(s[k]&0xffffffff) - 1; t.ids[i] == ids[k] {
				out[k] = int32(i)
				continue
			}
		}
		if i, ok := t.probe(ids[k], h[k], (h[k]+1)&t.mask); ok {
			out[k] = int32(i)
		}
	}
}
