package embedded

import (
	"math/rand/v2"
	"testing"
)

// slotSet against a map, through growth from the smallest table.
func TestSlotSetIsASet(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, span := range []int32{10, 1000, 1 << 30} {
		s, ref := newSlotSet(0), map[int32]bool{}
		for range 5000 {
			v := rng.Int32N(span)
			if got, want := s.add(v), !ref[v]; got != want {
				t.Fatalf("add(%d) = %v, want %v", v, got, want)
			}
			ref[v] = true
			if w := rng.Int32N(span); s.has(w) != ref[w] {
				t.Fatalf("has(%d) = %v, want %v", w, s.has(w), ref[w])
			}
		}
		if s.len() != len(ref) {
			t.Fatalf("len %d, want %d", s.len(), len(ref))
		}
		for v := range ref {
			if !s.has(v) {
				t.Fatalf("%d added but not held", v)
			}
		}
	}
}
