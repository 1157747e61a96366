package neo4j_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestNeighborhoodCutInsideTies checks the cut of a neighbourhood against
// a breadth-first search in Go, at every limit from 1 to past the whole
// ball: the start, then the nearest entities, the smallest ids first
// among those at the same distance, the truncation flag when anything was
// left out, and the links among the kept nodes. The rings are built so
// that the cut falls inside a distance's ties: the ids of the entities two
// hops out sort before those one hop out, several paths reach most of
// them (distance ties between paths), the start and one neighbour are
// joined twice (distinct neighbours, not links, count), and a kind filter
// and a link type filter each change which entities are reached. The
// store asks Neo4j for each stage's first entities only (ORDER BY ...
// LIMIT): this is the test that the bounded order keeps the same ones.
func TestNeighborhoodCutInsideTies(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	const hub = "organization:tie-hub"
	b := graph.Batch{Entities: []graph.Entity{{ID: hub, Kind: graph.KindOrganization, Name: "Tie Hub"}}}
	entity := func(id string, k graph.Kind) {
		b.Entities = append(b.Entities, graph.Entity{ID: id, Kind: k, Name: id})
	}
	link := func(t graph.LinkType, src, tgt string) {
		b.Links = append(b.Links, graph.Link{ID: fmt.Sprintf("link:tie-%03d", len(b.Links)), Type: t, Source: src, Target: tgt})
	}
	z := func(i int) string { return fmt.Sprintf("person:tie-z%02d", i) }       // one hop out
	a := func(i int) string { return fmt.Sprintf("company:tie-a%02d", i) }      // two hops, through z
	p := func(i int) string { return fmt.Sprintf("person:tie-b%02d", i) }       // two hops, through z
	c := func(i int) string { return fmt.Sprintf("organization:tie-c%02d", i) } // three hops, through a
	for i := range 12 {
		entity(z(i), graph.KindPerson)
		link(graph.LinkMemberOf, z(i), hub)
	}
	link(graph.LinkAssociateOf, hub, z(0)) // a second link to the same neighbour
	for i := range 20 {
		entity(a(i), graph.KindCompany)
		link(graph.LinkOwns, a(i), c(i%5))
	}
	for i := range 7 {
		entity(p(i), graph.KindPerson)
	}
	for i := range 5 {
		entity(c(i), graph.KindOrganization)
	}
	for i := range 12 {
		for j := range 3 {
			link(graph.LinkAssociateOf, z(i), a((2*i+j)%20))
		}
		link(graph.LinkFamilyOf, p(i%7), z(i))
		link(graph.LinkAssociateOf, z(i), z((i+1)%12))
	}
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	byID := map[string]graph.Link{}
	for _, l := range b.Links {
		byID[l.ID] = l
	}
	kind := map[string]graph.Kind{}
	for _, e := range b.Entities {
		kind[e.ID] = e.Kind
	}
	// want is the neighbourhood by brute force.
	want := func(q graph.NeighborhoodQuery) (nodes, links []string, truncated bool) {
		dist := map[string]int{q.ID: 0}
		frontier := []string{q.ID}
		for d := 1; d <= q.Depth; d++ {
			var next []string
			for _, u := range frontier {
				for _, l := range b.Links {
					if len(q.LinkTypes) > 0 && !slices.Contains(q.LinkTypes, l.Type) {
						continue
					}
					v := ""
					switch u {
					case l.Source:
						v = l.Target
					case l.Target:
						v = l.Source
					}
					if _, seen := dist[v]; v == "" || seen || len(q.Kinds) > 0 && !slices.Contains(q.Kinds, kind[v]) {
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
		slices.SortFunc(nodes, func(x, y string) int { return cmp.Or(cmp.Compare(dist[x], dist[y]), strings.Compare(x, y)) })
		if len(nodes) > q.Limit {
			nodes, truncated = nodes[:q.Limit], true
		}
		for _, l := range b.Links {
			if slices.Contains(nodes, l.Source) && slices.Contains(nodes, l.Target) &&
				(len(q.LinkTypes) == 0 || slices.Contains(q.LinkTypes, l.Type)) {
				links = append(links, l.ID)
			}
		}
		slices.Sort(links)
		return nodes, links, truncated
	}
	ids := func(sg graph.Subgraph) (nodes, links []string) {
		for _, n := range sg.Nodes {
			nodes = append(nodes, n.ID)
		}
		for _, l := range sg.Links {
			links = append(links, l.ID)
		}
		for i := range sg.LinkColumns.Len() {
			links = append(links, sg.LinkColumns.IDs[i])
		}
		return nodes, links
	}
	cut := 0
	// Both ways of finding the first level: one expansion, and (as at a
	// start denser than the limit by far) the index seeks on the links'
	// copies of their ends' ids.
	for _, margin := range []int{0, -1 << 30} {
		neo4j.SetDenseMargin(s, margin)
		for depth := 1; depth <= 3; depth++ {
			for _, kinds := range [][]graph.Kind{nil, {graph.KindPerson, graph.KindOrganization}} {
				for _, types := range [][]graph.LinkType{nil, {graph.LinkMemberOf, graph.LinkFamilyOf, graph.LinkOwns}} {
					ball, _, _ := want(graph.NeighborhoodQuery{ID: hub, Depth: depth, Kinds: kinds, LinkTypes: types, Limit: 1 << 20})
					for limit := 1; limit <= len(ball)+1; limit++ {
						// Whole records, and ids alone as columns (the fast
						// executor's hub answer), in turn.
						q := graph.NeighborhoodQuery{ID: hub, Depth: depth, Kinds: kinds, LinkTypes: types, Limit: limit}
						if limit%2 == 0 {
							q.Select = graph.Selection{Partial: true, LinkIDsOnly: true, NoKinds: true, LinkColumns: true}
						}
						wn, wl, wt := want(q)
						if wt && limit > 1 {
							cut++
						}
						sg, err := s.Neighborhood(ctx, q)
						if err != nil {
							t.Fatalf("margin %d, %+v: %v", margin, q, err)
						}
						if gn, gl := ids(sg); !slices.Equal(gn, wn) || !slices.Equal(gl, wl) || sg.Truncated != wt {
							t.Fatalf("margin %d, %+v:\n nodes %v\n want  %v\n links %v\n want  %v\n truncated %v, want %v",
								margin, q, gn, wn, gl, wl, sg.Truncated, wt)
						}
						// Each link's ends as written (the store matches a
						// target by the node's internal id, nodeKeys).
						for _, l := range sg.Links {
							if w := byID[l.ID]; l.Type != w.Type || l.Source != w.Source || l.Target != w.Target {
								t.Fatalf("%+v: link %s is %s %s -> %s, want %s %s -> %s", q, l.ID, l.Type, l.Source, l.Target, w.Type, w.Source, w.Target)
							}
						}
					}
				}
			}
		}
	}
	if cut < 200 {
		t.Errorf("only %d truncated answers past the start alone: the test cuts too little", cut)
	}
}
