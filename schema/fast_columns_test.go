package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/graph/synth"
	"github.com/skein-project/skein/seed"
)

// columnStore answers neighbourhoods asked with graph.Selection.LinkColumns
// with their links as columns (as graph/neo4j does) or as records, after
// shuffle has reordered them.
type columnStore struct {
	graph.Store
	columns bool
	shuffle func([]graph.Link) []graph.Link
}

func (c columnStore) Neighborhood(ctx context.Context, q graph.NeighborhoodQuery) (graph.Subgraph, error) {
	sg, err := c.Store.Neighborhood(ctx, q)
	if err != nil || !q.Select.LinkColumns {
		return sg, err
	}
	if sg.LinkColumns != nil { // the store's own columns (the embedded store's)
		sg.Links, sg.LinkColumns = sg.LinkColumns.Records(), nil
	}
	links := c.shuffle(sg.Links)
	if !c.columns {
		sg.Links = links
		return sg, nil
	}
	cols := &graph.LinkColumns{}
	for _, l := range links {
		cols.IDs = append(cols.IDs, l.ID)
		if !q.Select.LinkEnds() {
			continue
		}
		cols.Types, cols.Sources, cols.Targets = append(cols.Types, l.Type), append(cols.Sources, l.Source), append(cols.Targets, l.Target)
	}
	sg.Links, sg.LinkColumns = nil, cols
	return sg, nil
}

// TestFastExecutorLinkColumns: the fast executor writes links it got as
// columns as it writes the same links as records, in the stores' order
// and in any other, an id listed twice written as its first listing.
func TestFastExecutorLinkColumns(t *testing.T) {
	s := teststores.Embedded(t)
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	shuffles := map[string]func([]graph.Link) []graph.Link{
		"as is": func(ls []graph.Link) []graph.Link { return ls },
		"reversed, one twice": func(ls []graph.Link) []graph.Link {
			out := slices.Clone(ls)
			slices.Reverse(out)
			if len(out) > 2 {
				dup := out[2]
				dup.Target = out[0].Target // the later listing differs: the first is written
				out = append(out, dup)
			}
			return out
		},
	}
	queries := []string{
		`{ neighborhood(id: "organization:krasniqi-network", depth: 2) { nodes { id } links { id } truncated } }`,
		`{ neighborhood(id: "organization:krasniqi-network", depth: 2) { nodes { id name kind } links { id type source { id } target { id name } } } }`,
		`{ n: neighborhood(id: "organization:krasniqi-network") { links { __typename id type } nodes { id } l: links { source { id kind } } } }`,
	}
	for name, shuffle := range shuffles {
		cols, err := New(columnStore{Store: s, columns: true, shuffle: shuffle}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		recs, err := New(columnStore{Store: s, shuffle: shuffle}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range queries {
			body, _ := json.Marshal(map[string]any{"query": q})
			runs := cols.fastRuns.Load()
			got, want := serveBody(cols, body, false), serveBody(recs, body, false)
			if !bytes.Equal(got, want) || cols.fastRuns.Load() != runs+1 || !bytes.Contains(got, []byte(`"links":[{`)) {
				t.Errorf("%s, %s:\ncolumns: %s\nrecords: %s", name, q, got, want)
			}
		}
	}
}

// recordStore asks its store for every neighbourhood's links and nodes as
// records (graph.Selection.LinkColumns and NodeColumns off).
type recordStore struct{ graph.Store }

func (r recordStore) Neighborhood(ctx context.Context, q graph.NeighborhoodQuery) (graph.Subgraph, error) {
	q.Select.LinkColumns, q.Select.NodeColumns = false, false
	return r.Store.Neighborhood(ctx, q)
}

// TestFastExecutorStoreColumns: on each store, the handler's answer to a
// neighbourhood is the same bytes whether the store gives its links as
// columns or as records, across selections, depths, cuts and as-of dates,
// on a hub and on ordinary entities.
func TestFastExecutorStoreColumns(t *testing.T) {
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		ctx := context.Background()
		if err := seed.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		var ids []string
		if err := synth.Generate(ctx, synth.Config{Entities: 400, Seed: 5}, func(b graph.Batch) error {
			for _, e := range b.Entities {
				ids = append(ids, e.ID)
			}
			return s.Upsert(ctx, b)
		}); err != nil {
			t.Fatal(err)
		}
		cols, err := New(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		recs, err := New(recordStore{s}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		selections := []string{
			`nodes { id } links { id } truncated`,
			`nodes { id name kind } links { id type source { id } target { id } }`,
			`links { type target { id name } id } nodes { id __typename }`,
			`links { id role startDate } nodes { id }`,
			`truncated links { __typename source { kind } }`,
		}
		starts := append([]string{"organization:krasniqi-network", "person:burim-krasniqi"}, ids[:3]...)
		starts = append(starts, ids[200], ids[390])
		n := 0
		for _, id := range starts {
			for depth := range 4 {
				for _, limit := range []int{500, 7} {
					for _, at := range []any{nil, "2015-06-30"} {
						sel := selections[n%len(selections)]
						n++
						q := `query($id: ID!, $d: Int!, $l: Int!, $at: Date) { neighborhood(id: $id, depth: $d, limit: $l, asOf: $at) { ` + sel + ` } }`
						body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"id": id, "d": depth, "l": limit, "at": at}})
						runs := cols.fastRuns.Load()
						got, want := serveBody(cols, body, false), serveBody(recs, body, false)
						if !bytes.Equal(got, want) || cols.fastRuns.Load() != runs+1 {
							t.Fatalf("%s depth %d limit %d as of %v, %s:\ncolumns: %.400s\nrecords: %.400s", id, depth, limit, at, sel, got, want)
						}
					}
				}
			}
		}
	})
}
