package analysis_test

import (
	"context"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
	"github.com/skein-project/skein/seed"
)

// An external test package, so that seed may one day import analysis
// without an import cycle.

// On the seed data set, Vahid Derakhshan and the other two designated
// parties of the ALPA network are members of, or part of, that network, so
// both are two hops from him through it.
func TestSanctionsExposureSeed(t *testing.T) {
	b, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	g := graph.Subgraph{Nodes: b.Entities, Links: b.Links}
	const vahid = "person:vahid-derakhshan"
	got, err := analysis.SanctionsExposure(context.Background(), g, vahid, 3, nil, graph.When{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]analysis.Exposure{}
	for _, e := range got {
		if e.Entity.ID == vahid {
			t.Errorf("Vahid Derakhshan lists himself")
		}
		byName[e.Entity.Name] = e
	}
	for _, name := range []string{"ALPA Trading FZCO", "Ali Derakhshan"} {
		e, ok := byName[name]
		if !ok {
			t.Errorf("%s missing from exposure; got %d exposures", name, len(got))
			continue
		}
		p := e.Path
		if p.Length() != 2 || p.Nodes[0].ID != vahid || p.Nodes[1].Name != "ALPA network" || p.Nodes[2].Name != name {
			var names []string
			for _, n := range p.Nodes {
				names = append(names, n.Name)
			}
			t.Errorf("%s: path %v, want Vahid Derakhshan, ALPA network, %s", name, names, name)
		}
		if e.Designation.Authority == "" || e.Designation.Regime == "" {
			t.Errorf("%s: designation %+v lacks regime or authority", name, e.Designation)
		}
	}
}
