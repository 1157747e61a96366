package analysis

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

func designation(regime string) graph.Designation {
	return graph.Designation{Regime: regime, Authority: "United Kingdom"}
}

// exposureGraph is a small hand-made network around "me" (designated
// entities marked *):
//
//	l1 me* -MEMBER_OF-> org        l5 y* -FAMILY_OF-> me*
//	l2 co* -PART_OF-> org          l6 co* -OWNS-> far*
//	l3 me* -ASSOCIATE_OF-> x       l7 far* -LINKED_TO-> z*
//	l4 x -DIRECTOR_OF-> co*        l8 alpha* -ASSOCIATE_OF-> org
//
// co has two designations.
func exposureGraph() graph.Subgraph {
	ent := func(id string, ds ...graph.Designation) graph.Entity {
		return graph.Entity{ID: id, Kind: graph.KindPerson, Name: strings.ToUpper(id), Designations: ds}
	}
	link := func(id string, t graph.LinkType, s, d string) graph.Link {
		return graph.Link{ID: id, Type: t, Source: s, Target: d}
	}
	return graph.Subgraph{
		Nodes: []graph.Entity{
			ent("z", designation("z")), ent("y", designation("y")), ent("x"),
			ent("org"), ent("me", designation("me")), ent("far", designation("far")),
			ent("co", designation("co-1"), designation("co-2")), ent("alpha", designation("alpha")),
		},
		Links: []graph.Link{
			link("l1", graph.LinkMemberOf, "me", "org"),
			link("l2", graph.LinkPartOf, "co", "org"),
			link("l3", graph.LinkAssociateOf, "me", "x"),
			link("l4", graph.LinkDirectorOf, "x", "co"),
			link("l5", graph.LinkFamilyOf, "y", "me"),
			link("l6", graph.LinkOwns, "co", "far"),
			link("l7", graph.LinkLinkedTo, "far", "z"),
			link("l8", graph.LinkAssociateOf, "alpha", "org"),
		},
	}
}

// summary renders an exposure as "entity regime: link,link".
func summary(es []Exposure) []string {
	var out []string
	for _, e := range es {
		var ids []string
		for _, l := range e.Path.Links {
			ids = append(ids, l.ID)
		}
		out = append(out, fmt.Sprintf("%s %s: %s", e.Entity.ID, e.Designation.Regime, strings.Join(ids, ",")))
	}
	return out
}

func TestSanctionsExposure(t *testing.T) {
	ctx := context.Background()
	g := exposureGraph()
	for _, tc := range []struct {
		name    string
		maxHops int
		types   []graph.LinkType
		want    []string
	}{
		// y is one hop away against the link direction; co is two hops away
		// both via org (l1,l2) and via x (l3,l4): me's links are taken in id
		// order, so org is reached first and the path is l1,l2. alpha sorts
		// before co at the same distance; me itself is not listed.
		{"three hops", 3, nil, []string{
			"y y: l5",
			"alpha alpha: l1,l8", "co co-1: l1,l2", "co co-2: l1,l2",
			"far far: l1,l2,l6",
		}},
		{"four hops", 4, nil, []string{
			"y y: l5",
			"alpha alpha: l1,l8", "co co-1: l1,l2", "co co-2: l1,l2",
			"far far: l1,l2,l6",
			"z z: l1,l2,l6,l7",
		}},
		{"one hop", 1, nil, []string{"y y: l5"}},
		{"ownership chain only", 6, []graph.LinkType{graph.LinkMemberOf, graph.LinkPartOf, graph.LinkOwns}, []string{
			"co co-1: l1,l2", "co co-2: l1,l2", "far far: l1,l2,l6",
		}},
		{"through the associate", 6, []graph.LinkType{graph.LinkAssociateOf, graph.LinkDirectorOf}, []string{
			"co co-1: l3,l4", "co co-2: l3,l4",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SanctionsExposure(ctx, g, "me", tc.maxHops, tc.types, graph.When{})
			if err != nil {
				t.Fatal(err)
			}
			if s := summary(got); !slices.Equal(s, tc.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(s, "\n  "), strings.Join(tc.want, "\n  "))
			}
			for _, e := range got {
				p := e.Path
				if len(p.Nodes) != len(p.Links)+1 || p.Nodes[0].ID != "me" || p.Nodes[len(p.Nodes)-1].ID != e.Entity.ID {
					t.Errorf("%s: path nodes %v do not run from me to it", e.Entity.ID, p.Nodes)
				}
				for i, l := range p.Links {
					a, b := p.Nodes[i].ID, p.Nodes[i+1].ID
					if !(l.Source == a && l.Target == b) && !(l.Source == b && l.Target == a) {
						t.Errorf("%s: link %s does not join %s and %s", e.Entity.ID, l.ID, a, b)
					}
				}
			}
		})
	}
}

func TestSanctionsExposureErrors(t *testing.T) {
	ctx := context.Background()
	g := exposureGraph()
	if _, err := SanctionsExposure(ctx, g, "nobody", 3, nil, graph.When{}); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("unknown from: %v, want ErrNotFound", err)
	}
	if _, err := SanctionsExposure(ctx, g, "me", 0, nil, graph.When{}); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("maxHops 0: %v, want ErrInvalid", err)
	}
	if _, err := SanctionsExposure(ctx, g, "me", graph.MaxHops+1, nil, graph.When{}); !errors.Is(err, graph.ErrTooComplex) {
		t.Errorf("maxHops too large: %v, want ErrTooComplex", err)
	}
	if _, err := SanctionsExposure(ctx, g, "me", 3, []graph.LinkType{"KNOWS"}, graph.When{}); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("unknown link type: %v, want ErrInvalid", err)
	}
	got, err := SanctionsExposure(ctx, g, "x", 1, []graph.LinkType{graph.LinkFamilyOf}, graph.When{})
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("nothing in reach: %v, %v; want an empty list", got, err)
	}
}
