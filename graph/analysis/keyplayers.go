package analysis

import (
	"context"
	"fmt"
	"math"

	"github.com/skein-project/skein/graph"
)

// KeyPlayerSet is the answer of KeyPlayers.
type KeyPlayerSet struct {
	// IDs are the chosen entities, in the order in which removing them
	// fragments the network fastest: each is the one whose removal, after
	// those before it, fragments most (ties by id).
	IDs []string `json:"ids"`
	// Fragmentation is that of the network without all of IDs.
	Fragmentation float64 `json:"fragmentation"`
	// Steps[i] is the fragmentation after removing IDs[0..i].
	Steps []float64 `json:"steps"`
	// Exact is true when every candidate set was tried, so that no set of k
	// fragments more (and of the sets that fragment as much, IDs is the
	// first by sorted ids); false when found by the greedy-and-swap
	// heuristic.
	Exact bool `json:"exact"`
}

// KeyPlayers chooses k entities of g whose removal maximises fragmentation
// (Borgatti's KPP-Neg; see NetworkSummary.Fragmentation), among
// candidates (every entity when candidates is nil). g is read as an
// undirected simple graph. When the candidate sets number at most
// MaxExhaustiveSets it tries them all (Exact); otherwise it selects
// greedily and then swaps a member for a non-member while that raises
// fragmentation (Borgatti's heuristic). Both are deterministic. k outside
// 1..MaxKeyPlayers or above the number of candidates, and candidates not in
// g, are errors wrapping graph.ErrInvalid; a search beyond MaxKeyPlayerWork
// is refused with graph.ErrTooComplex.
//
// Every evaluation computes, in one depth-first search, the fragmentation
// after removing each single further entity (from the sizes of the subtrees
// that an articulation point cuts off), so a greedy step, a swap round and
// each (k−1)-subset of the exhaustive search cost O(n+m).
func KeyPlayers(ctx context.Context, g graph.Subgraph, k int, candidates []string) (KeyPlayerSet, error) {
	x, err := newIndex(ctx, g)
	if err != nil {
		return KeyPlayerSet{}, fmt.Errorf("keyPlayers: %w", err)
	}
	cand, err := x.candidates(candidates)
	if err != nil {
		return KeyPlayerSet{}, err
	}
	if k < 1 || k > MaxKeyPlayers {
		return KeyPlayerSet{}, fmt.Errorf("keyPlayers: k must be between 1 and %d: %w", MaxKeyPlayers, graph.ErrInvalid)
	}
	if k > len(cand) {
		return KeyPlayerSet{}, fmt.Errorf("keyPlayers: k=%d exceeds the %d candidates: %w", k, len(cand), graph.ErrInvalid)
	}
	s := newRemoval(x, newMeter(ctx))
	var set []int32
	exact := binomial(len(cand), k) <= MaxExhaustiveSets
	if exact {
		if work := binomial(len(cand), k-1) * float64(x.len()+x.edges); work > MaxKeyPlayerWork {
			return KeyPlayerSet{}, fmt.Errorf("keyPlayers: exhaustive search over %d candidates would visit %.3g entities and links (limit %g): %w", len(cand), work, float64(MaxKeyPlayerWork), graph.ErrTooComplex)
		}
		set, err = s.exhaustive(cand, k)
	} else {
		set, err = s.heuristic(cand, k)
	}
	if err != nil {
		return KeyPlayerSet{}, err
	}
	return s.ordered(set, exact)
}

// candidates returns the nodes named by ids (every node when ids is nil),
// in node order, once each.
func (x *index) candidates(ids []string) ([]int32, error) {
	if ids == nil {
		out := make([]int32, x.len())
		for i := range out {
			out[i] = int32(i)
		}
		return out, nil
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("keyPlayers: no candidates: %w", graph.ErrInvalid)
	}
	m, err := x.marks("keyPlayers: candidates", ids)
	if err != nil {
		return nil, err
	}
	var out []int32
	for i, c := range m {
		if c {
			out = append(out, int32(i))
		}
	}
	return out, nil
}

// binomial is C(n, k) as a float (exact below 2^53, which is all the limits
// compare against).
func binomial(n, k int) float64 {
	if k < 0 || k > n {
		return 0
	}
	r := 1.0
	for i := range k {
		r = r * float64(n-i) / float64(i+1)
		if r > math.MaxFloat64/float64(n+1) {
			return math.Inf(1)
		}
	}
	return math.Round(r)
}

// removal evaluates removals from one graph. cost[v] is Σ s(s−1) over the
// component sizes once v is removed too (smaller fragments more).
type removal struct {
	x       *index
	m       *meter // checks the context during each evaluation
	removed []bool
	cost    []int64
	// scratch of the depth-first search
	disc, low, parent, size []int32
	comp                    []int32
	sepPairs                []int64 // Σ s(s−1) over the subtrees v cuts off
	sepSize                 []int32 // Σ s over the subtrees v cuts off
	stack                   []dfsFrame
	compSize                []int64
}

type dfsFrame struct {
	v    int32
	next int32
}

func newRemoval(x *index, m *meter) *removal {
	n := x.len()
	return &removal{
		x: x, m: m, removed: make([]bool, n), cost: make([]int64, n),
		disc: make([]int32, n), low: make([]int32, n), parent: make([]int32, n), size: make([]int32, n),
		comp: make([]int32, n), sepPairs: make([]int64, n), sepSize: make([]int32, n),
	}
}

// evaluate fills cost for every node not removed and returns Σ s(s−1) of
// the graph without the removed nodes. Removing v splits its component C
// into the subtrees of its depth-first children c with low(c) >= disc(v),
// and the rest of C. It returns the context's error if the meter reports
// one, the costs then being incomplete.
func (r *removal) evaluate() (int64, error) {
	x := r.x
	n := x.len()
	for i := range n {
		r.disc[i], r.sepPairs[i], r.sepSize[i] = -1, 0, 0
	}
	r.compSize = r.compSize[:0]
	var clock int32
	for root := range n {
		if r.disc[root] >= 0 || r.removed[root] {
			continue
		}
		c := int32(len(r.compSize))
		r.disc[root], r.low[root], r.parent[root], r.size[root], r.comp[root] = clock, clock, -1, 1, c
		clock++
		if err := r.m.add(x.degree(root) + 1); err != nil {
			return 0, err
		}
		r.stack = append(r.stack[:0], dfsFrame{v: int32(root)})
		for len(r.stack) > 0 {
			top := &r.stack[len(r.stack)-1]
			v := top.v
			if nb := x.neighbours(int(v)); int(top.next) < len(nb) {
				w := nb[top.next]
				top.next++
				switch {
				case r.removed[w]:
				case r.disc[w] < 0:
					r.disc[w], r.low[w], r.parent[w], r.size[w], r.comp[w] = clock, clock, v, 1, c
					clock++
					r.stack = append(r.stack, dfsFrame{v: w})
					if err := r.m.add(x.degree(int(w)) + 1); err != nil {
						return 0, err
					}
				case w != r.parent[v]:
					r.low[v] = min(r.low[v], r.disc[w])
				}
				continue
			}
			r.stack = r.stack[:len(r.stack)-1]
			p := r.parent[v]
			if p < 0 {
				continue
			}
			r.low[p] = min(r.low[p], r.low[v])
			r.size[p] += r.size[v]
			if r.low[v] >= r.disc[p] {
				s := int64(r.size[v])
				r.sepPairs[p] += s * (s - 1)
				r.sepSize[p] += r.size[v]
			}
		}
		r.compSize = append(r.compSize, int64(r.size[root]))
	}
	var total int64
	for _, s := range r.compSize {
		total += s * (s - 1)
	}
	for v := range n {
		if r.removed[v] {
			continue
		}
		s := r.compSize[r.comp[v]]
		rest := s - 1 - int64(r.sepSize[v])
		r.cost[v] = total - s*(s-1) + r.sepPairs[v] + rest*(rest-1)
	}
	return total, nil
}

// exhaustive tries every k-subset of cand: for each (k−1)-subset T, in
// lexicographic order, one evaluation gives every T ∪ {v} with v after T's
// last member, so sets are met in lexicographic order and the first best
// one is kept.
func (r *removal) exhaustive(cand []int32, k int) ([]int32, error) {
	pick := make([]int, k-1) // positions in cand of T's members
	for i := range pick {
		pick[i] = i
	}
	var (
		best     []int32
		bestCost int64 = math.MaxInt64
	)
	for {
		for _, p := range pick {
			r.removed[cand[p]] = true
		}
		if _, err := r.evaluate(); err != nil {
			return nil, err
		}
		from := 0
		if k > 1 {
			from = pick[k-2] + 1
		}
		for _, v := range cand[from:] {
			if c := r.cost[v]; c < bestCost {
				bestCost = c
				best = best[:0]
				for _, p := range pick {
					best = append(best, cand[p])
				}
				best = append(best, v)
			}
		}
		for _, p := range pick {
			r.removed[cand[p]] = false
		}
		// Next (k−1)-subset in lexicographic order, leaving room for v.
		i := k - 2
		for i >= 0 && pick[i] == len(cand)-1-(k-1-i) {
			i--
		}
		if i < 0 {
			return best, nil
		}
		pick[i]++
		for j := i + 1; j < k-1; j++ {
			pick[j] = pick[j-1] + 1
		}
	}
}

// maxSwapRounds bounds the swap improvement of the heuristic (each round
// strictly lowers the cost, so it also ends without the bound).
const maxSwapRounds = 1000

// heuristic is Borgatti's: greedy selection of k, then, while some swap of
// a member for a candidate outside the set fragments more, the best such
// swap (ties: earliest member, then smallest candidate).
func (r *removal) heuristic(cand []int32, k int) ([]int32, error) {
	isCand := make([]bool, r.x.len())
	for _, c := range cand {
		isCand[c] = true
	}
	set := make([]int32, 0, k)
	var cur int64
	for range k {
		if _, err := r.evaluate(); err != nil {
			return nil, err
		}
		v, c := r.bestCandidate(cand)
		set = append(set, v)
		r.removed[v] = true
		cur = c
	}
	for range maxSwapRounds {
		bestCost, bestAt, bestV := cur, -1, int32(-1)
		for i, u := range set {
			r.removed[u] = false
			if _, err := r.evaluate(); err != nil {
				return nil, err
			}
			for _, v := range cand {
				if !r.removed[v] && v != u && r.cost[v] < bestCost {
					bestCost, bestAt, bestV = r.cost[v], i, v
				}
			}
			r.removed[u] = true
		}
		if bestAt < 0 {
			break
		}
		r.removed[set[bestAt]] = false
		r.removed[bestV] = true
		set[bestAt] = bestV
		cur = bestCost
	}
	for _, v := range set {
		r.removed[v] = false
	}
	return set, nil
}

// bestCandidate returns the candidate, not removed, of least cost (the
// first in node order on ties) after an evaluate.
func (r *removal) bestCandidate(cand []int32) (int32, int64) {
	best, bestCost := int32(-1), int64(math.MaxInt64)
	for _, v := range cand {
		if !r.removed[v] && r.cost[v] < bestCost {
			best, bestCost = v, r.cost[v]
		}
	}
	return best, bestCost
}

// ordered puts set in the order in which removing it fragments fastest and
// reports the fragmentation after each step.
func (r *removal) ordered(set []int32, exact bool) (KeyPlayerSet, error) {
	out := KeyPlayerSet{IDs: make([]string, 0, len(set)), Steps: make([]float64, 0, len(set)), Exact: exact}
	left := append([]int32(nil), set...)
	for len(left) > 0 {
		if _, err := r.evaluate(); err != nil {
			return KeyPlayerSet{}, err
		}
		at := 0
		for i, v := range left {
			if c, b := r.cost[v], r.cost[left[at]]; c < b || (c == b && v < left[at]) {
				at = i
			}
		}
		v := left[at]
		left = append(left[:at], left[at+1:]...)
		out.IDs = append(out.IDs, r.x.ids[v])
		out.Steps = append(out.Steps, fragmentation(r.x.len(), r.cost[v]))
		r.removed[v] = true
	}
	out.Fragmentation = out.Steps[len(out.Steps)-1]
	for _, v := range set {
		r.removed[v] = false
	}
	return out, nil
}
