package embedded

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// BenchmarkCutLevel cuts a level shaped like the first level of a
// million-entity graph's busiest hub (20,568 slots of the ordered run, in
// nearly ascending order as its adjacency follows link ids, in four
// ascending runs, or shuffled) to
// its 499 least: a whole sort against the bounded selection, and the cut
// nodes taken out of the walk's set one by one against the set cleared.
func BenchmarkCutLevel(b *testing.B) {
	const n, slots, k = 20_568, 1_000_000, 499
	g := &memGraph{ordered: slots}
	rng := rand.New(rand.NewPCG(1, 2))
	perm := rng.Perm(slots)[:n]
	runs := make([]int32, n)
	for i, p := range perm {
		runs[i] = int32(p)
	}
	for i := 0; i < n; i += n / 4 {
		slices.Sort(runs[i:min(i+n/4, n)])
	}
	// Nearly sorted: as the busiest hub's level, whose old sort was
	// mostly pdqsort's partial insertion sort.
	nearly := slices.Sorted(slices.Values(runs))
	for range n / 100 {
		i, j := rng.IntN(n), rng.IntN(n)
		nearly[i], nearly[j] = nearly[j], nearly[i]
	}
	shuffled := slices.Clone(runs)
	rng.Shuffle(n, func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	level := make([]int32, n)
	for _, c := range []struct {
		name string
		in   []int32
	}{{"nearly", nearly}, {"runs", runs}, {"shuffled", shuffled}} {
		b.Run(c.name+"/sort", func(b *testing.B) {
			for b.Loop() {
				copy(level, c.in)
				g.sortByID(level)
			}
		})
		b.Run(c.name+"/select", func(b *testing.B) {
			for b.Loop() {
				copy(level, c.in)
				g.leastByID(level, k)
			}
		})
	}
	seen := make(bitset, (slots+63)/64)
	b.Run("remove", func(b *testing.B) {
		for b.Loop() {
			for _, v := range runs {
				seen.add(v)
			}
			for _, v := range runs[k:] {
				seen.remove(v)
			}
		}
	})
	b.Run("clear", func(b *testing.B) {
		for b.Loop() {
			for _, v := range runs {
				seen.add(v)
			}
			clear(seen)
			for _, v := range runs[:k] {
				seen.add(v)
			}
		}
	})
}
