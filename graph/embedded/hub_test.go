package embedded_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/embedded"
)

// hubGraph is a graph around a hub of many neighbours, in the shapes the
// neighbourhood's cut and its links among the kept nodes take apart: the
// hub's neighbours listed in no id order and in nearly ascending order,
// parallel links and self-links on the hub and beside it, a second hub
// among its neighbours, dated links and a second level.
func hubGraph(rng *rand.Rand) ([]graph.Entity, []graph.Link) {
	const n = 1500
	ent := func(i int) graph.Entity {
		k := []graph.Kind{graph.KindPerson, graph.KindCompany}[i%2]
		return graph.Entity{ID: fmt.Sprintf("%s:n%05d", strings.ToLower(string(k)), i), Kind: k, Name: fmt.Sprintf("N %d", i)}
	}
	es := []graph.Entity{{ID: "person:hub", Kind: graph.KindPerson, Name: "Hub"}, {ID: "company:hub2", Kind: graph.KindCompany, Name: "Hub 2"}}
	for _, i := range rng.Perm(n + 400) {
		es = append(es, ent(i))
	}
	var ls []graph.Link
	link := func(id, a, b string) *graph.Link {
		ls = append(ls, graph.Link{ID: id, Type: graph.LinkAssociateOf, Source: a, Target: b})
		return &ls[len(ls)-1]
	}
	date := func(l *graph.Link) {
		if rng.IntN(3) == 0 {
			l.StartDate = fmt.Sprintf("%d", 2010+rng.IntN(15))
		}
		if rng.IntN(4) == 0 {
			l.EndDate = fmt.Sprintf("%d", 2016+rng.IntN(6))
			if l.StartDate > l.EndDate {
				l.StartDate = ""
			}
		}
	}
	for i := range n {
		id := ent(i).ID
		// Half the hub's links have ids in its neighbours' order, half
		// not: its level is then nearly sorted in parts.
		lid := fmt.Sprintf("link:h%05d", i)
		if i%2 == 1 {
			lid = fmt.Sprintf("link:r%05d", rng.IntN(1_000_000))
		}
		a, b := "person:hub", id
		if rng.IntN(2) == 0 {
			a, b = b, a
		}
		date(link(lid, a, b))
		if rng.IntN(10) == 0 {
			date(link(fmt.Sprintf("link:p%05d", i), b, a)) // parallel
		}
		if rng.IntN(3) == 0 {
			date(link(fmt.Sprintf("link:q%05d", i), id, "company:hub2"))
		}
	}
	for i := range 3 {
		date(link(fmt.Sprintf("link:self%d", i), "person:hub", "person:hub"))
		date(link(fmt.Sprintf("link:selg%d", i), "company:hub2", "company:hub2"))
	}
	date(link("link:hubs", "company:hub2", "person:hub"))
	for i := range 1200 {
		a, b := ent(rng.IntN(n)).ID, ent(rng.IntN(n+400)).ID
		if i%40 == 0 {
			b = a // a neighbour's self-link
		}
		date(link(fmt.Sprintf("link:x%05d", i), a, b))
	}
	// Link ids must be unique; a random one may repeat.
	slices.SortStableFunc(ls, func(a, b graph.Link) int { return strings.Compare(a.ID, b.ID) })
	ls = slices.CompactFunc(ls, func(a, b graph.Link) bool { return a.ID == b.ID })
	rng.Shuffle(len(ls), func(i, j int) { ls[i], ls[j] = ls[j], ls[i] })
	return es, ls
}

// refNeighborhood is the neighbourhood by its definition: the nodes
// within Depth hops over the links When admits (entering only Kinds),
// ordered by distance then id and cut at Limit, and every admitted link
// between two kept nodes, ordered by id.
func refNeighborhood(es []graph.Entity, ls []graph.Link, q graph.NeighborhoodQuery) (nodes, links []string, truncated bool) {
	kind := map[string]graph.Kind{}
	for _, e := range es {
		kind[e.ID] = e.Kind
	}
	var in []graph.Link
	adj := map[string][]int{}
	for _, l := range ls {
		if q.When.Admits(l.Span()) {
			in = append(in, l)
			adj[l.Source] = append(adj[l.Source], len(in)-1)
			if l.Target != l.Source {
				adj[l.Target] = append(adj[l.Target], len(in)-1)
			}
		}
	}
	kinds := graph.KindSet(q.Kinds)
	dist := map[string]int{q.ID: 0}
	frontier := []string{q.ID}
	for d := 1; d <= q.Depth; d++ {
		var next []string
		for _, u := range frontier {
			for _, i := range adj[u] {
				v := in[i].Source
				if v == u {
					v = in[i].Target
				}
				if _, seen := dist[v]; seen || len(kinds) > 0 && !kinds.Has(kind[v]) {
					continue
				}
				dist[v] = d
				next = append(next, v)
			}
		}
		frontier = next
	}
	for id := range dist {
		nodes = append(nodes, id)
	}
	slices.SortFunc(nodes, func(a, b string) int { return cmp.Or(cmp.Compare(dist[a], dist[b]), strings.Compare(a, b)) })
	if len(nodes) > q.Limit {
		nodes, truncated = nodes[:q.Limit], true
	}
	kept := map[string]bool{}
	for _, n := range nodes {
		kept[n] = true
	}
	for _, l := range in {
		if kept[l.Source] && kept[l.Target] {
			links = append(links, l.ID)
		}
	}
	slices.Sort(links)
	return nodes, links, truncated
}

// TestHubNeighborhoods compares hub neighbourhoods with their definition on
// a store just written and on the same store reopened, whose entities then
// fill slots in id order (the cut by a bounded selection) and whose links
// are the loaded run: limits of one, at and about a level's size and past
// the whole ball, depths 0 to 3 (the cut at each), as of a date and by
// kind, as records and as columns; then with entities written since.
func TestHubNeighborhoods(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(17, 3))
	es, ls := hubGraph(rng)
	dir := t.TempDir()
	s := open(t, dir)
	if err := s.Upsert(ctx, graph.Batch{Entities: es, Links: ls}); err != nil {
		t.Fatal(err)
	}
	check := func(what string, s *embedded.Store) {
		t.Helper()
		starts := []string{"person:hub", "company:hub2", es[5].ID, es[len(es)-1].ID}
		for _, start := range starts {
			ball, _, _ := refNeighborhood(es, ls, graph.NeighborhoodQuery{ID: start, Depth: 3, Limit: len(es)})
			first, _, _ := refNeighborhood(es, ls, graph.NeighborhoodQuery{ID: start, Depth: 1, Limit: len(es)})
			limits := []int{1, 2, 3, 40, len(first) - 1, len(first), len(first) + 1, len(ball) - 1, len(ball), len(ball) + 1, graph.MaxLimit}
			for depth := range 4 {
				for _, limit := range limits {
					if limit < 1 || limit > graph.MaxLimit {
						continue
					}
					for _, w := range []graph.When{{}, {AsOf: "2018-06-30"}} {
						for _, kinds := range [][]graph.Kind{nil, {graph.KindCompany}} {
							q := graph.NeighborhoodQuery{ID: start, Depth: depth, Limit: limit, When: w, Kinds: kinds}
							nodes, links, truncated := refNeighborhood(es, ls, q)
							for _, cols := range []bool{false, true} {
								q := q
								if cols {
									q.Select = graph.Selection{Partial: true, LinkColumns: true, NodeColumns: true}
								}
								sg, err := s.Neighborhood(ctx, q)
								if err != nil {
									t.Fatalf("%s %+v: %v", what, q, err)
								}
								gotNodes, gotLinks := sg.Nodes, sg.Links
								if sg.NodeColumns != nil {
									gotNodes = sg.NodeColumns.Records()
								}
								if sg.LinkColumns != nil {
									gotLinks = sg.LinkColumns.Records()
								}
								var gn, gl []string
								for _, e := range gotNodes {
									gn = append(gn, e.ID)
								}
								for _, l := range gotLinks {
									gl = append(gl, l.ID)
								}
								if !slices.Equal(gn, nodes) || !slices.Equal(gl, links) || sg.Truncated != truncated {
									t.Fatalf("%s: neighbourhood %+v (columns %v): %d nodes, %d links, truncated %v; want %d, %d, %v\nnodes %.200v\nwant  %.200v",
										what, q, cols, len(gn), len(gl), sg.Truncated, len(nodes), len(links), truncated, gn, nodes)
								}
							}
						}
					}
				}
			}
		}
	}
	check("written", s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	defer s.Close()
	check("reopened", s)
	// Entities written since, whose slots follow the ordered run: the
	// hub's level is then partly comparable as numbers only.
	var b graph.Batch
	for i := range 30 {
		// Ids before every other neighbour's, at the end of the hub's
		// adjacency: in the cut level's tail, among the least kept.
		id := fmt.Sprintf("company:a%02d", i)
		b.Entities = append(b.Entities, graph.Entity{ID: id, Kind: graph.KindCompany, Name: "New"})
		b.Links = append(b.Links, graph.Link{ID: fmt.Sprintf("link:new%02d", i), Type: graph.LinkAssociateOf, Source: id, Target: "person:hub"})
	}
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	es, ls = append(es, b.Entities...), append(ls, b.Links...)
	check("reopened and written", s)
}
