package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// smallRandom is a random graph of n entities (ids e00, e01, ...), each
// pair linked with probability p, with a few parallel, reversed and self
// links that an undirected simple reading ignores; every fifth entity is
// designated, and kinds cycle through three.
func smallRandom(rng *rand.Rand, n int, p float64) graph.Subgraph {
	kinds := []graph.Kind{graph.KindPerson, graph.KindCompany, graph.KindOrganization}
	var g graph.Subgraph
	for i := range n {
		e := graph.Entity{ID: fmt.Sprintf("e%02d", i), Kind: kinds[rng.IntN(len(kinds))], Name: "x"}
		if i%5 == 0 {
			e.Designations = []graph.Designation{{Regime: "r", Authority: "a"}}
		}
		g.Nodes = append(g.Nodes, e)
	}
	link := func(u, v int) {
		g.Links = append(g.Links, graph.Link{
			ID: fmt.Sprintf("l%04d", len(g.Links)), Type: graph.LinkLinkedTo,
			Source: g.Nodes[u].ID, Target: g.Nodes[v].ID,
		})
	}
	for u := range n {
		for v := range n {
			if u < v && rng.Float64() < p {
				if rng.IntN(2) == 0 {
					link(u, v)
				} else {
					link(v, u)
				}
				if rng.IntN(10) == 0 {
					link(u, v) // parallel, maybe reversed
				}
			}
		}
		if rng.IntN(15) == 0 {
			link(u, u)
		}
	}
	rng.Shuffle(len(g.Nodes), func(i, j int) { g.Nodes[i], g.Nodes[j] = g.Nodes[j], g.Nodes[i] })
	return g
}

// naiveAdjacency is the undirected simple graph of g as sets.
func naiveAdjacency(g graph.Subgraph) map[string]map[string]bool {
	adj := map[string]map[string]bool{}
	for _, e := range g.Nodes {
		adj[e.ID] = map[string]bool{}
	}
	for _, l := range g.Links {
		if l.Source != l.Target {
			adj[l.Source][l.Target] = true
			adj[l.Target][l.Source] = true
		}
	}
	return adj
}

// reachable is the set of entities reachable from s avoiding removed (s
// itself included).
func reachable(adj map[string]map[string]bool, s string, removed map[string]bool) map[string]bool {
	seen := map[string]bool{s: true}
	queue := []string{s}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for w := range adj[v] {
			if !seen[w] && !removed[w] {
				seen[w] = true
				queue = append(queue, w)
			}
		}
	}
	return seen
}

// naiveFragmentation is Borgatti's definition read literally: the share of
// ordered pairs of distinct original entities that cannot reach each other
// once removed are gone (a removed entity reaches nobody).
func naiveFragmentation(adj map[string]map[string]bool, removed map[string]bool) float64 {
	n := len(adj)
	if n < 2 {
		return 0
	}
	cut := 0
	for s := range adj {
		var r map[string]bool
		if !removed[s] {
			r = reachable(adj, s, removed)
		}
		for t := range adj {
			if t != s && !r[t] {
				cut++
			}
		}
	}
	return float64(cut) / float64(n*(n-1))
}

// dense is the undirected simple graph of g with nodes numbered by id
// order, for brute-force searches that evaluate many sets.
type dense struct {
	ids []string
	pos map[string]int
	adj [][]int
}

func newDense(adj map[string]map[string]bool) *dense {
	d := &dense{pos: map[string]int{}}
	for id := range adj {
		d.ids = append(d.ids, id)
	}
	slices.Sort(d.ids)
	for i, id := range d.ids {
		d.pos[id] = i
	}
	d.adj = make([][]int, len(d.ids))
	for i, id := range d.ids {
		for w := range adj[id] {
			d.adj[i] = append(d.adj[i], d.pos[w])
		}
	}
	return d
}

// fragmentation labels the components left by a breadth-first search from
// every unlabelled node and applies Borgatti's formula to their sizes,
// the removed nodes counting as isolates.
func (d *dense) fragmentation(removed []string) float64 {
	n := len(d.ids)
	if n < 2 {
		return 0
	}
	gone := make([]bool, n)
	for _, id := range removed {
		gone[d.pos[id]] = true
	}
	seen := make([]bool, n)
	var pairs int
	for s := range n {
		if seen[s] || gone[s] {
			continue
		}
		seen[s] = true
		queue := []int{s}
		for h := 0; h < len(queue); h++ {
			for _, w := range d.adj[queue[h]] {
				if !seen[w] && !gone[w] {
					seen[w] = true
					queue = append(queue, w)
				}
			}
		}
		pairs += len(queue) * (len(queue) - 1)
	}
	return 1 - float64(pairs)/float64(n*(n-1))
}

func set(ids ...string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func TestDisruptBruteForce(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 16))
	for trial := range 60 {
		n := 1 + rng.IntN(30)
		g := smallRandom(rng, n, rng.Float64()*0.25)
		adj := naiveAdjacency(g)
		var remove []string
		for _, e := range g.Nodes {
			if rng.IntN(4) == 0 {
				remove = append(remove, e.ID)
			}
		}
		removed := set(remove...)
		t.Run(fmt.Sprintf("trial%d", trial), func(t *testing.T) {
			d, err := Disrupt(ctx, g, remove, graph.When{})
			if err != nil {
				t.Fatal(err)
			}
			if want := naiveFragmentation(adj, nil); math.Abs(d.Before.Fragmentation-want) > 1e-12 {
				t.Errorf("before: fragmentation %v, brute force %v", d.Before.Fragmentation, want)
			}
			if want := naiveFragmentation(adj, removed); math.Abs(d.After.Fragmentation-want) > 1e-12 {
				t.Errorf("after: fragmentation %v, brute force %v", d.After.Fragmentation, want)
			}
			if d.Before.Entities != n || d.After.Entities != n-len(removed) {
				t.Errorf("entities %d -> %d, want %d -> %d", d.Before.Entities, d.After.Entities, n, n-len(removed))
			}
			// Components and their largest, by brute force.
			for _, c := range []struct {
				what    string
				got     NetworkSummary
				removed map[string]bool
			}{{"before", d.Before, nil}, {"after", d.After, removed}} {
				seen := map[string]bool{}
				comps, largest := 0, 0
				for _, e := range g.Nodes {
					if seen[e.ID] || c.removed[e.ID] {
						continue
					}
					r := reachable(adj, e.ID, c.removed)
					for id := range r {
						seen[id] = true
					}
					comps++
					largest = max(largest, len(r))
				}
				if c.got.Components != comps || c.got.LargestComponent != largest {
					t.Errorf("%s: %d components (largest %d), brute force %d (%d)", c.what, c.got.Components, c.got.LargestComponent, comps, largest)
				}
			}
			var severed []string
			for _, l := range g.Links {
				if removed[l.Source] || removed[l.Target] {
					severed = append(severed, l.ID)
				}
			}
			slices.Sort(severed)
			var gotSevered []string
			for _, l := range d.Severed {
				gotSevered = append(gotSevered, l.ID)
			}
			if !slices.Equal(gotSevered, severed) {
				t.Errorf("severed %v, want %v", gotSevered, severed)
			}
			if d.Before.Links != len(g.Links) || d.After.Links != len(g.Links)-len(severed) {
				t.Errorf("links %d -> %d, want %d -> %d", d.Before.Links, d.After.Links, len(g.Links), len(g.Links)-len(severed))
			}
			var isolated []string
			var reach []Reach
			for _, e := range g.Nodes {
				if !removed[e.ID] && len(adj[e.ID]) > 0 && len(reachable(adj, e.ID, removed)) == 1 {
					isolated = append(isolated, e.ID)
				}
				if e.Sanctioned() {
					r := Reach{ID: e.ID, Before: len(reachable(adj, e.ID, nil)) - 1}
					if !removed[e.ID] {
						r.After = len(reachable(adj, e.ID, removed)) - 1
					}
					reach = append(reach, r)
				}
			}
			slices.Sort(isolated)
			slices.SortFunc(reach, func(a, b Reach) int { return strings.Compare(a.ID, b.ID) })
			if !slices.Equal(d.Isolated, isolated) && len(isolated)+len(d.Isolated) > 0 {
				t.Errorf("isolated %v, want %v", d.Isolated, isolated)
			}
			if !slices.Equal(d.DesignatedReach, reach) && len(reach)+len(d.DesignatedReach) > 0 {
				t.Errorf("designated reach %v, want %v", d.DesignatedReach, reach)
			}
		})
	}
}

func TestDisruptErrors(t *testing.T) {
	ctx := context.Background()
	g := loadEdges(t, "florentine")
	if _, err := Disrupt(ctx, g, []string{"Medici", "Nobody"}, graph.When{}); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("unknown entity: %v, want ErrInvalid", err)
	}
	d, err := Disrupt(ctx, g, nil, graph.When{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Before != d.After || len(d.Severed) != 0 || len(d.Isolated) != 0 {
		t.Errorf("removing nobody changed the network: %+v", d)
	}
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Disrupt(ctx, g, []string{"Medici"}, graph.When{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// naiveBestSet enumerates every k-subset of the candidates (sorted ids) in
// lexicographic order and returns the first of greatest fragmentation.
func naiveBestSet(d *dense, cand []string, k int) ([]string, float64) {
	var best []string
	bestF := -1.0
	pick := make([]string, 0, k)
	var rec func(from int)
	rec = func(from int) {
		if len(pick) == k {
			if f := d.fragmentation(pick); f > bestF+1e-12 {
				best, bestF = slices.Clone(pick), f
			}
			return
		}
		for i := from; i < len(cand); i++ {
			pick = append(pick, cand[i])
			rec(i + 1)
			pick = pick[:len(pick)-1]
		}
	}
	rec(0)
	return best, bestF
}

// checkSteps verifies that steps are the fragmentation of each prefix and
// that each entity is the best next removal among those left (ties by id).
func checkSteps(t *testing.T, d *dense, kp KeyPlayerSet) {
	t.Helper()
	if len(kp.Steps) != len(kp.IDs) || kp.Fragmentation != kp.Steps[len(kp.Steps)-1] {
		t.Fatalf("steps %v for %v, fragmentation %v", kp.Steps, kp.IDs, kp.Fragmentation)
	}
	for i := range kp.IDs {
		if want := d.fragmentation(kp.IDs[:i+1]); math.Abs(kp.Steps[i]-want) > 1e-12 {
			t.Errorf("step %d: %v, brute force %v", i, kp.Steps[i], want)
		}
		for _, other := range kp.IDs[i+1:] {
			f := d.fragmentation(append(slices.Clone(kp.IDs[:i]), other))
			if f > kp.Steps[i]+1e-12 || (math.Abs(f-kp.Steps[i]) <= 1e-12 && other < kp.IDs[i]) {
				t.Errorf("step %d: removing %s (%v) beats %s (%v)", i, other, f, kp.IDs[i], kp.Steps[i])
			}
		}
	}
}

func TestKeyPlayersExactBruteForce(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(16, 40))
	for trial := range 24 {
		n := 3 + rng.IntN(38) // up to 40 entities
		k := 1 + trial%3
		g := smallRandom(rng, n, 1.5/float64(n)+rng.Float64()*0.1)
		d := newDense(naiveAdjacency(g))
		ids := d.ids
		t.Run(fmt.Sprintf("n%d/k%d", n, k), func(t *testing.T) {
			kp, err := KeyPlayers(ctx, g, k, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !kp.Exact {
				t.Fatalf("C(%d,%d) sets but not exact", n, k)
			}
			want, wantF := naiveBestSet(d, ids, k)
			got := slices.Sorted(slices.Values(kp.IDs))
			if !slices.Equal(got, want) || math.Abs(kp.Fragmentation-wantF) > 1e-12 {
				t.Errorf("key players %v (%v), brute force %v (%v)", got, kp.Fragmentation, want, wantF)
			}
			checkSteps(t, d, kp)
			again, err := KeyPlayers(ctx, messy(g), k, nil)
			if err != nil || !slices.Equal(again.IDs, kp.IDs) {
				t.Errorf("not deterministic: %v vs %v (%v)", again.IDs, kp.IDs, err)
			}
			// Restricted to candidates.
			cand := ids[:max(k, len(ids)/2)]
			kc, err := KeyPlayers(ctx, g, k, append(slices.Clone(cand), cand[0]))
			if err != nil {
				t.Fatal(err)
			}
			want, wantF = naiveBestSet(d, cand, k)
			if got := slices.Sorted(slices.Values(kc.IDs)); !slices.Equal(got, want) || math.Abs(kc.Fragmentation-wantF) > 1e-12 {
				t.Errorf("among %v: %v (%v), brute force %v (%v)", cand, got, kc.Fragmentation, want, wantF)
			}
		})
	}
}

// TestKeyPlayersHeuristic runs the greedy-and-swap search where the sets
// are too many to try: the answer must not be exact, must be a local
// optimum (no single swap fragments more, checked by brute force) and
// deterministic.
func TestKeyPlayersHeuristic(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 200))
	for range 3 {
		n := 185 + rng.IntN(20) // C(185,3) > 10^6
		g := smallRandom(rng, n, 1.6/float64(n))
		d := newDense(naiveAdjacency(g))
		t.Run(fmt.Sprintf("n%d", n), func(t *testing.T) {
			kp, err := KeyPlayers(ctx, g, 3, nil)
			if err != nil {
				t.Fatal(err)
			}
			if kp.Exact {
				t.Fatalf("C(%d,3) > 10^6 sets, yet exact", n)
			}
			checkSteps(t, d, kp)
			in := set(kp.IDs...)
			for i := range kp.IDs {
				for _, v := range d.ids {
					if in[v] {
						continue
					}
					alt := slices.Clone(kp.IDs)
					alt[i] = v
					if f := d.fragmentation(alt); f > kp.Fragmentation+1e-12 {
						t.Fatalf("swapping %s for %s gives %v > %v", kp.IDs[i], v, f, kp.Fragmentation)
					}
				}
			}
			again, err := KeyPlayers(ctx, messy(g), 3, nil)
			if err != nil || !slices.Equal(again.IDs, kp.IDs) {
				t.Errorf("not deterministic: %v vs %v (%v)", again.IDs, kp.IDs, err)
			}
		})
	}
}

func TestKeyPlayersErrors(t *testing.T) {
	ctx := context.Background()
	g := loadEdges(t, "florentine")
	for _, tc := range []struct {
		k    int
		cand []string
	}{{0, nil}, {MaxKeyPlayers + 1, nil}, {16, nil}, {2, []string{"Medici"}}, {1, []string{"Nobody"}}, {1, []string{}}} {
		if _, err := KeyPlayers(ctx, g, tc.k, tc.cand); !errors.Is(err, graph.ErrInvalid) {
			t.Errorf("k=%d candidates %v: %v, want ErrInvalid", tc.k, tc.cand, err)
		}
	}
	// On the Florentine families the Medici are the key player.
	kp, err := KeyPlayers(ctx, g, 1, nil)
	if err != nil || !slices.Equal(kp.IDs, []string{"Medici"}) || !kp.Exact {
		t.Errorf("k=1: %+v %v, want the Medici", kp, err)
	}
}

// naiveBrokerage counts roles over every path a -> b -> c of distinct
// directed simple links, a != c.
func naiveBrokerage(g graph.Subgraph, group map[string]int) map[string]BrokerageScore {
	out := map[string]map[string]bool{}
	for _, l := range g.Links {
		if l.Source == l.Target {
			continue
		}
		if out[l.Source] == nil {
			out[l.Source] = map[string]bool{}
		}
		out[l.Source][l.Target] = true
	}
	scores := map[string]BrokerageScore{}
	for a, bs := range out {
		for b := range bs {
			for c := range out[b] {
				if c == a {
					continue
				}
				s := scores[b]
				s.ID = b
				ga, gb, gc := group[a], group[b], group[c]
				switch {
				case ga == gb && gb == gc:
					s.Coordinator++
				case ga == gc:
					s.Itinerant++
				case gb == gc:
					s.Gatekeeper++
				case ga == gb:
					s.Representative++
				default:
					s.Liaison++
				}
				scores[b] = s
			}
		}
	}
	return scores
}

func TestBrokerageBruteForce(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 8))
	for trial := range 30 {
		n := 2 + rng.IntN(40)
		g := smallRandom(rng, n, rng.Float64()*0.3)
		for _, by := range []GroupBy{ByKind, ByCommunity} {
			t.Run(fmt.Sprintf("trial%d/%s", trial, by), func(t *testing.T) {
				group := map[string]int{}
				switch by {
				case ByKind:
					for _, e := range g.Nodes {
						group[e.ID] = int(e.Kind[0]) // kinds differ in their first letter
					}
				case ByCommunity:
					cs, _, err := Communities(ctx, g, 3)
					if err != nil {
						t.Fatal(err)
					}
					for _, c := range cs {
						for _, m := range c.Members {
							group[m] = c.ID
						}
					}
				}
				want := naiveBrokerage(g, group)
				got, err := Brokerage(ctx, g, by, 3)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Errorf("%d brokers, brute force %d", len(got), len(want))
				}
				for i, s := range got {
					if want[s.ID] != s {
						t.Errorf("%s: %+v, brute force %+v", s.ID, s, want[s.ID])
					}
					if i > 0 && (got[i-1].Total() < s.Total() || (got[i-1].Total() == s.Total() && got[i-1].ID >= s.ID)) {
						t.Errorf("not ordered: %v before %v", got[i-1], s)
					}
				}
			})
		}
	}
	if _, err := Brokerage(ctx, graph.Subgraph{}, "COLOUR", 1); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("unknown grouping: %v", err)
	}
}
