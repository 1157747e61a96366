package storetest

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// refGraph is a deliberately naive model of a graph, used as the reference
// the stores' traversals are compared with: plain maps, full BFS, and
// exhaustive enumeration of simple paths.
type refGraph struct {
	kind  map[string]graph.Kind
	links []graph.Link // ordered by id
	adj   map[string][]graph.Link
	// pathOK, when set, keeps only the paths (as link ids) it accepts,
	// before the cut.
	pathOK func(links []string) bool
}

func newRefGraph(es []graph.Entity, ls []graph.Link) *refGraph {
	r := &refGraph{kind: map[string]graph.Kind{}, adj: map[string][]graph.Link{}}
	for _, e := range es {
		r.kind[e.ID] = e.Kind
	}
	r.links = slices.Clone(ls)
	slices.SortFunc(r.links, func(a, b graph.Link) int { return strings.Compare(a.ID, b.ID) })
	for _, l := range r.links {
		r.adj[l.Source] = append(r.adj[l.Source], l)
		if l.Target != l.Source {
			r.adj[l.Target] = append(r.adj[l.Target], l)
		}
	}
	return r
}

// distances runs a full BFS from starts over links of types, entering only
// nodes that enter allows.
func (r *refGraph) distances(starts []string, depth int, types []graph.LinkType, enter func(string) bool) map[string]int {
	dist := map[string]int{}
	var frontier []string
	for _, s := range starts {
		dist[s] = 0
		frontier = append(frontier, s)
	}
	for d := 1; d <= depth; d++ {
		var next []string
		for _, u := range frontier {
			for _, l := range r.adj[u] {
				v := l.Other(u)
				if _, seen := dist[v]; seen || !graph.LinkTypeSet(types).Has(l.Type) || (enter != nil && !enter(v)) {
					continue
				}
				dist[v] = d
				next = append(next, v)
			}
		}
		frontier = next
	}
	return dist
}

func (r *refGraph) linksAmong(set map[string]int, types []graph.LinkType) []string {
	out := []string{}
	for _, l := range r.links {
		_, a := set[l.Source]
		_, b := set[l.Target]
		if a && b && graph.LinkTypeSet(types).Has(l.Type) {
			out = append(out, l.ID)
		}
	}
	return out
}

func (r *refGraph) neighborhood(q graph.NeighborhoodQuery) (nodes, links []string, truncated bool) {
	dist := r.distances([]string{q.ID}, q.Depth, q.LinkTypes, func(id string) bool { return graph.KindSet(q.Kinds).Has(r.kind[id]) })
	for id := range dist {
		nodes = append(nodes, id)
	}
	slices.SortFunc(nodes, func(a, b string) int {
		return cmp.Or(cmp.Compare(dist[a], dist[b]), strings.Compare(a, b))
	})
	limit := cmp.Or(q.Limit, graph.DefaultLimit)
	if len(nodes) > limit {
		nodes, truncated = nodes[:limit], true
	}
	kept := map[string]int{}
	for _, n := range nodes {
		kept[n] = 0
	}
	return nodes, r.linksAmong(kept, q.LinkTypes), truncated
}

// paths enumerates every simple path, sorts them all and cuts.
func (r *refGraph) paths(q graph.PathQuery) [][]string {
	var all [][]string
	onPath := map[string]bool{q.From: true}
	var walk func(u string, links []string)
	walk = func(u string, links []string) {
		if u == q.To {
			if r.pathOK == nil || r.pathOK(links) {
				all = append(all, slices.Clone(links))
			}
			return
		}
		if len(links) == q.MaxHops {
			return
		}
		for _, l := range r.adj[u] {
			v := l.Other(u)
			if onPath[v] || v == u || !graph.LinkTypeSet(q.LinkTypes).Has(l.Type) {
				continue
			}
			onPath[v] = true
			walk(v, append(links, l.ID))
			onPath[v] = false
		}
	}
	walk(q.From, nil)
	slices.SortFunc(all, func(a, b []string) int {
		return cmp.Or(cmp.Compare(len(a), len(b)), slices.Compare(a, b))
	})
	return all[:min(len(all), q.Limit)]
}

func (r *refGraph) shared(q graph.SharedQuery) []string {
	count := map[string]int{}
	for _, id := range q.IDs {
		for n := range r.distances([]string{id}, q.Depth, nil, nil) {
			count[n]++
		}
	}
	out := []string{}
	for n, c := range count {
		if c == len(q.IDs) && !slices.Contains(q.IDs, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func (r *refGraph) snapshot(q graph.SnapshotQuery) (nodes, links []string) {
	dist := r.distances(q.IDs, q.Depth, q.LinkTypes, nil)
	for id := range dist {
		nodes = append(nodes, id)
	}
	slices.Sort(nodes)
	return nodes, r.linksAmong(dist, q.LinkTypes)
}

// randomGraph builds a seeded random graph: sparse enough for exhaustive
// path enumeration, with a few hubs, self-links and parallel links, and
// link ids whose order differs from creation order.
func randomGraph(rng *rand.Rand, n, m int) ([]graph.Entity, []graph.Link) {
	var es []graph.Entity
	for i := range n {
		k := graph.Kinds[rng.IntN(len(graph.Kinds))]
		es = append(es, graph.Entity{ID: fmt.Sprintf("%s:r%03d", strings.ToLower(string(k)), i), Kind: k, Name: fmt.Sprintf("Random %d", i)})
	}
	types := []graph.LinkType{graph.LinkMemberOf, graph.LinkAssociateOf, graph.LinkOwns, graph.LinkFamilyOf}
	pick := func() string {
		if rng.IntN(5) == 0 {
			return es[rng.IntN(8)].ID // hubs
		}
		return es[rng.IntN(n)].ID
	}
	used := map[string]bool{}
	var ls []graph.Link
	for len(ls) < m {
		id := fmt.Sprintf("link:%05d", rng.IntN(100_000))
		if used[id] {
			continue
		}
		used[id] = true
		a := pick()
		b := a
		switch {
		case rng.IntN(50) == 0: // self-link
		case rng.IntN(20) == 0 && len(ls) > 0: // parallel link
			prev := ls[rng.IntN(len(ls))]
			a, b = prev.Target, prev.Source
		default:
			for b == a {
				b = pick()
			}
		}
		ls = append(ls, graph.Link{ID: id, Type: types[rng.IntN(len(types))], Source: a, Target: b})
	}
	return es, ls
}

// randomSubset picks 1..max values (possibly repeated); none half the time.
func randomSubset[T any](rng *rand.Rand, from []T, max int) []T {
	var out []T
	if rng.IntN(2) == 0 {
		return nil
	}
	for range 1 + rng.IntN(max) {
		v := from[rng.IntN(len(from))]
		out = append(out, v)
	}
	return out
}

func testReference(t *testing.T, open Opener) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(20251023, 1))
	es, ls := randomGraph(rng, 300, 750)
	s := open(t)
	upsert(t, s, graph.Batch{Entities: es, Links: ls})
	ref := newRefGraph(es, ls)
	types := []graph.LinkType{graph.LinkMemberOf, graph.LinkAssociateOf, graph.LinkOwns, graph.LinkFamilyOf}
	anyID := func() string { return es[rng.IntN(len(es))].ID }

	t.Run("Neighborhood", func(t *testing.T) {
		sizable := 0
		for i := range 40 {
			q := graph.NeighborhoodQuery{
				ID:        anyID(),
				Depth:     []int{0, 1, 1, 2, 2, 3, 4}[rng.IntN(7)],
				LinkTypes: randomSubset(rng, types, 3),
				Kinds:     randomSubset(rng, graph.Kinds, 2),
				Limit:     []int{0, 0, 4, 12, 40}[rng.IntN(5)],
			}
			if i%3 == 0 {
				q.ID = es[rng.IntN(8)].ID // a hub
			}
			nodes, links, truncated := ref.neighborhood(q)
			if len(nodes) >= 5 {
				sizable++
			}
			checkNeighborhood(t, s, fmt.Sprintf("query %d", i), q, nodes, links, truncated)
		}
		if sizable < 15 {
			t.Errorf("only %d of 40 neighbourhoods had 5 nodes or more; the test exercises too little", sizable)
		}
	})

	t.Run("Paths", func(t *testing.T) {
		nonEmpty := 0
		for i := range 30 {
			q := graph.PathQuery{From: anyID(), MaxHops: 1 + rng.IntN(5), Limit: 1 + rng.IntN(12)}
			if rng.IntN(3) == 0 {
				q.LinkTypes = randomSubset(rng, types, 3)
			}
			if rng.IntN(4) == 0 {
				q.From = es[rng.IntN(8)].ID // a hub
			}
			// Mostly pick a target that is reachable, so the paths are real.
			reach := ref.distances([]string{q.From}, q.MaxHops, q.LinkTypes, nil)
			near := reachedFrom(reach, q.From)
			if len(near) > 0 && rng.IntN(4) > 0 {
				q.To = near[rng.IntN(len(near))]
			} else {
				for q.To = anyID(); q.To == q.From; q.To = anyID() {
				}
			}
			want := ref.paths(q)
			if len(want) > 0 {
				nonEmpty++
			}
			got, err := s.Paths(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			eqPaths(t, fmt.Sprintf("query %d %+v", i, q), got, want)
			for _, p := range got {
				if len(p.Nodes) != len(p.Links)+1 || p.Nodes[0].ID != q.From || p.Nodes[len(p.Nodes)-1].ID != q.To {
					t.Errorf("query %d: malformed path %v", i, entityIDs(p.Nodes))
					continue
				}
				for j, l := range p.Links {
					a, b := p.Nodes[j].ID, p.Nodes[j+1].ID
					if !(l.Source == a && l.Target == b) && !(l.Source == b && l.Target == a) {
						t.Errorf("query %d: link %s does not join %s and %s", i, l.ID, a, b)
					}
				}
			}
		}
		if nonEmpty < 10 {
			t.Errorf("only %d of 30 path queries had answers; the random graph is too sparse to test much", nonEmpty)
		}
	})

	t.Run("SharedAssociates", func(t *testing.T) {
		for i := range 20 {
			q := graph.SharedQuery{IDs: []string{anyID(), anyID()}, Depth: 1 + rng.IntN(3)}
			if i%4 == 0 {
				q.IDs = append(q.IDs, es[rng.IntN(8)].ID)
			}
			if q.IDs[0] == q.IDs[1] {
				continue
			}
			q.IDs = slices.Compact(q.IDs)
			want := ref.shared(q)
			got, err := s.SharedAssociates(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			eqStrings(t, fmt.Sprintf("query %d %+v", i, q), entityIDs(got), want)
		}
	})

	t.Run("Snapshot", func(t *testing.T) {
		for i := range 10 {
			q := graph.SnapshotQuery{IDs: []string{anyID(), anyID()}, Depth: rng.IntN(3), LinkTypes: randomSubset(rng, types, 2)}
			q.IDs = slices.Compact(q.IDs)
			nodes, links := ref.snapshot(q)
			got, err := s.Snapshot(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			what := fmt.Sprintf("query %d %+v", i, q)
			eqSubgraph(t, what, got, nodes, links)
		}
		whole, err := s.Snapshot(ctx, graph.SnapshotQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(whole.Nodes) != len(es) || len(whole.Links) != len(ls) {
			t.Errorf("whole snapshot: %d nodes, %d links; want %d, %d", len(whole.Nodes), len(whole.Links), len(es), len(ls))
		}
	})

	t.Run("Degrees", func(t *testing.T) {
		var ids []string
		for _, e := range es {
			ids = append(ids, e.ID)
		}
		got, err := s.Degrees(ctx, ids, graph.When{})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if got[id] != len(ref.adj[id]) {
				t.Errorf("degree of %s = %d, want %d", id, got[id], len(ref.adj[id]))
			}
		}
	})
}
