package neo4j_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestNeighborhoodRows checks the neighbourhood's row projections: with
// every single part selected, each selected field comes back as the whole
// record has it (a row read in another order than it was written would
// put one field's value in another), the nodes, links and their order do
// not change, and the answer is one query. A hub with more neighbours than
// the limit keeps the smallest ids, at depth 1 and deeper.
func TestNeighborhoodRows(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	src := []graph.SourceRef{{Document: "doc:rows", Quote: "as filed"}}
	b := graph.Batch{Documents: []graph.Document{{ID: "doc:rows", Title: "Rows"}}}
	b.Entities = append(b.Entities, graph.Entity{ID: "organization:rows-hub", Kind: graph.KindOrganization, Name: "Rows Hub",
		Aliases: []string{"The Hub"}, Countries: []string{"al"}, Description: "a hub", Properties: map[string]string{"k": "v"},
		Sources: src, Designations: []graph.Designation{{Regime: "R", Authority: "A", Sources: src}}})
	for i := range 30 {
		id := fmt.Sprintf("person:rows-%02d", i)
		b.Entities = append(b.Entities, graph.Entity{ID: id, Kind: graph.KindPerson, Name: fmt.Sprintf("Rows Person %02d", i),
			Aliases: []string{fmt.Sprintf("RP%02d", i)}, Countries: []string{"xk"}, Description: "member " + id,
			Properties: map[string]string{"n": id}, Sources: src})
		b.Links = append(b.Links, graph.Link{ID: fmt.Sprintf("link:rows-m%02d", i), Type: graph.LinkMemberOf, Source: id,
			Target: "organization:rows-hub", Role: "member", Description: "joined", StartDate: "2001-02", EndDate: "2010",
			Weight: float64(i) + 0.5, Properties: map[string]string{"p": id}, Sources: src})
		if i > 0 {
			b.Links = append(b.Links, graph.Link{ID: fmt.Sprintf("link:rows-a%02d", i), Type: graph.LinkAssociateOf,
				Source: fmt.Sprintf("person:rows-%02d", i-1), Target: id, Weight: 2})
		}
	}
	// One person further out, past the members.
	b.Entities = append(b.Entities, graph.Entity{ID: "person:rows-far", Kind: graph.KindPerson, Name: "Rows Far"})
	b.Links = append(b.Links, graph.Link{ID: "link:rows-far", Type: graph.LinkFamilyOf, Source: "person:rows-far", Target: "person:rows-00"})
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	nbr := func(q graph.NeighborhoodQuery) graph.Subgraph {
		t.Helper()
		before := s.RoundTrips()
		sg, err := s.Neighborhood(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		if n := s.RoundTrips() - before; n != 1 {
			t.Errorf("%+v: %d queries, want 1", q, n)
		}
		return sg
	}
	entityParts := map[graph.EntityParts]func(e graph.Entity) any{
		graph.EntityName:         func(e graph.Entity) any { return e.Name },
		graph.EntityAliases:      func(e graph.Entity) any { return e.Aliases },
		graph.EntityCountries:    func(e graph.Entity) any { return e.Countries },
		graph.EntityDescription:  func(e graph.Entity) any { return e.Description },
		graph.EntityProperties:   func(e graph.Entity) any { return e.Properties },
		graph.EntitySources:      func(e graph.Entity) any { return e.Sources },
		graph.EntityDesignations: func(e graph.Entity) any { return e.Designations },
	}
	linkParts := map[graph.LinkParts]func(l graph.Link) any{
		graph.LinkRole:        func(l graph.Link) any { return l.Role },
		graph.LinkDescription: func(l graph.Link) any { return l.Description },
		graph.LinkDates:       func(l graph.Link) any { return [2]string{l.StartDate, l.EndDate} },
		graph.LinkWeight:      func(l graph.Link) any { return l.Weight },
		graph.LinkProperties:  func(l graph.Link) any { return l.Properties },
		graph.LinkSources:     func(l graph.Link) any { return l.Sources },
	}
	for _, depth := range []int{1, 2} {
		full := nbr(graph.NeighborhoodQuery{ID: "organization:rows-hub", Depth: depth})
		if want := 31 + depth - 1; len(full.Nodes) != want || full.Truncated {
			t.Fatalf("depth %d: %d nodes (truncated %v), want %d", depth, len(full.Nodes), full.Truncated, want)
		}
		if hub := full.Nodes[0]; hub.ID != "organization:rows-hub" || hub.Designations == nil || hub.Properties["k"] != "v" {
			t.Errorf("depth %d: the start is %+v", depth, hub)
		}
		if m := full.Links[len(full.Links)-1]; m.ID != "link:rows-m29" || m.Weight != 29.5 || m.StartDate != "2001-02" {
			t.Errorf("depth %d: the last link is %+v", depth, m)
		}
		same := func(what string, sg graph.Subgraph) {
			t.Helper()
			if len(sg.Nodes) != len(full.Nodes) || len(sg.Links) != len(full.Links) {
				t.Fatalf("depth %d, %s: %d nodes, %d links; want %d, %d", depth, what, len(sg.Nodes), len(sg.Links), len(full.Nodes), len(full.Links))
			}
			for i, n := range sg.Nodes {
				if n.ID != full.Nodes[i].ID || n.Kind != full.Nodes[i].Kind {
					t.Fatalf("depth %d, %s: node %d is %s %s, want %s %s", depth, what, i, n.ID, n.Kind, full.Nodes[i].ID, full.Nodes[i].Kind)
				}
			}
			for i, l := range sg.Links {
				if f := full.Links[i]; l.ID != f.ID || l.Type != f.Type || l.Source != f.Source || l.Target != f.Target {
					t.Fatalf("depth %d, %s: link %d is %+v, want %+v", depth, what, i, l, f)
				}
			}
		}
		for part, field := range entityParts {
			sg := nbr(graph.NeighborhoodQuery{ID: "organization:rows-hub", Depth: depth, Select: graph.Selection{Partial: true, Entity: part}})
			same(fmt.Sprintf("entity part %d", part), sg)
			for i, n := range sg.Nodes {
				if got, want := field(n), field(full.Nodes[i]); !reflect.DeepEqual(got, want) {
					t.Errorf("depth %d, entity part %d: %s has %v, want %v", depth, part, n.ID, got, want)
				}
			}
		}
		for part, field := range linkParts {
			sg := nbr(graph.NeighborhoodQuery{ID: "organization:rows-hub", Depth: depth, Select: graph.Selection{Partial: true, Link: part}})
			same(fmt.Sprintf("link part %d", part), sg)
			for i, l := range sg.Links {
				if got, want := field(l), field(full.Links[i]); !reflect.DeepEqual(got, want) {
					t.Errorf("depth %d, link part %d: %s has %v, want %v", depth, part, l.ID, got, want)
				}
			}
		}
	}
	// Reading only the links' ids, the links are the same and come
	// without type or ends, which cost the server a read each.
	for _, depth := range []int{1, 2} {
		full := nbr(graph.NeighborhoodQuery{ID: "organization:rows-hub", Depth: depth})
		bare := nbr(graph.NeighborhoodQuery{ID: "organization:rows-hub", Depth: depth, Select: graph.Selection{Partial: true, LinkIDsOnly: true}})
		if len(bare.Nodes) != len(full.Nodes) || len(bare.Links) != len(full.Links) {
			t.Fatalf("depth %d, link ids only: %d nodes, %d links; want %d, %d", depth, len(bare.Nodes), len(bare.Links), len(full.Nodes), len(full.Links))
		}
		for i, l := range bare.Links {
			if !reflect.DeepEqual(l, graph.Link{ID: full.Links[i].ID}) {
				t.Errorf("depth %d, link ids only: link %d is %+v, want id %q alone", depth, i, l, full.Links[i].ID)
			}
		}
	}
	// Asked for columns, the links come as columns when nothing but ids,
	// types and ends is selected (with or without the ends), the same
	// links in the same order, and as records otherwise.
	for _, depth := range []int{1, 2} {
		full := nbr(graph.NeighborhoodQuery{ID: "organization:rows-hub", Depth: depth})
		for _, sel := range []graph.Selection{
			{Partial: true, LinkColumns: true},
			{Partial: true, LinkColumns: true, LinkIDsOnly: true, NoKinds: true},
			{Partial: true, LinkColumns: true, Entity: graph.EntityName},
		} {
			sg := nbr(graph.NeighborhoodQuery{ID: "organization:rows-hub", Depth: depth, Select: sel})
			if sg.LinkColumns == nil || sg.Links != nil || sg.LinkColumns.Len() != len(full.Links) || len(sg.Nodes) != len(full.Nodes) {
				t.Fatalf("depth %d, %+v: links %d, columns %+v; want %d in columns", depth, sel, len(sg.Links), sg.LinkColumns, len(full.Links))
			}
			for i, f := range full.Links {
				want := graph.Link{ID: f.ID, Type: f.Type, Source: f.Source, Target: f.Target}
				if sel.LinkIDsOnly {
					want = graph.Link{ID: f.ID}
				}
				if got := sg.LinkColumns.Link(i); !reflect.DeepEqual(got, want) {
					t.Errorf("depth %d, %+v: link %d is %+v, want %+v", depth, sel, i, got, want)
				}
			}
		}
		sg := nbr(graph.NeighborhoodQuery{ID: "organization:rows-hub", Depth: depth,
			Select: graph.Selection{Partial: true, LinkColumns: true, Link: graph.LinkRole}})
		if sg.LinkColumns != nil || len(sg.Links) != len(full.Links) || sg.Links[0].Role != full.Links[0].Role {
			t.Errorf("depth %d, columns with a role: %d links, columns %v", depth, len(sg.Links), sg.LinkColumns != nil)
		}
	}
	// Past the limit the cut keeps the start and the smallest ids at the
	// nearest distance, and says so.
	for _, depth := range []int{1, 3} {
		sg := nbr(graph.NeighborhoodQuery{ID: "organization:rows-hub", Depth: depth, Limit: 11, Select: graph.Selection{Partial: true}})
		if len(sg.Nodes) != 11 || !sg.Truncated {
			t.Fatalf("depth %d, limit 11: %d nodes, truncated %v", depth, len(sg.Nodes), sg.Truncated)
		}
		for i, n := range sg.Nodes[1:] {
			if want := fmt.Sprintf("person:rows-%02d", i); n.ID != want {
				t.Errorf("depth %d, limit 11: node %d is %s, want %s", depth, i+1, n.ID, want)
			}
		}
		// The 10 members, the links among them and to the hub.
		if len(sg.Links) != 10+9 {
			t.Errorf("depth %d, limit 11: %d links, want 19", depth, len(sg.Links))
		}
	}
}
