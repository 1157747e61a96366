package schema

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
)

// fullNeighborhood is a full-detail neighbourhood at a given depth and
// limit.
const fullNeighborhood = `query($id: ID!, $depth: Int, $limit: Int) { neighborhood(id: $id, depth: $depth, limit: $limit) {
	truncated
	nodes { id kind name aliases countries description degree sanctioned properties { key value }
		sources { quote document { id } }
		designations { regime authority listedOn measures reason sources { quote document { id } } } }
	links { id type role description startDate endDate weight properties { key value }
		source { id name } target { id name } sources { quote } } } }`

// TestAdmissionFromDegrees: on both stores, the cost check admits ordinary
// large answers (a 500-node hub neighbourhood, a 1000-row centrality page,
// a large limit on an entity whose degree bounds the answer) and refuses
// fan-out (links of links of links of a hub, a deep neighbourhood at a
// large limit) with TOO_COMPLEX, from the degrees the store reports.
func TestAdmissionFromDegrees(t *testing.T) {
	const hub, spokes = "organization:admission-hub", 600
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		src := []graph.SourceRef{{Document: "test", Quote: "a hub for the admission tests"}}
		b := graph.Batch{
			Documents: []graph.Document{{ID: "test", Title: "test fixture"}},
			Entities:  []graph.Entity{{ID: hub, Kind: graph.KindOrganization, Name: "Admission Hub", Sources: src}},
		}
		for i := range spokes {
			id := fmt.Sprintf("person:admission-%03d", i)
			b.Entities = append(b.Entities, graph.Entity{ID: id, Kind: graph.KindPerson, Name: fmt.Sprintf("Admission Spoke %d", i), Sources: src})
			b.Links = append(b.Links, graph.Link{Type: graph.LinkMemberOf, Source: id, Target: hub, Sources: src})
		}
		// And 250 pairs elsewhere, so that a centrality page can hold 1000.
		for i := range 250 {
			a, c := fmt.Sprintf("person:admission-pair-%03da", i), fmt.Sprintf("person:admission-pair-%03db", i)
			for _, id := range []string{a, c} {
				b.Entities = append(b.Entities, graph.Entity{ID: id, Kind: graph.KindPerson, Name: "Admission Pair " + id[len(id)-4:], Sources: src})
			}
			b.Links = append(b.Links, graph.Link{Type: graph.LinkAssociateOf, Source: a, Target: c, Sources: src})
		}
		if err := srv.store.Upsert(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		type nbr struct {
			Neighborhood struct {
				Truncated bool
				Nodes     []struct{ ID string }
				Links     []struct{ ID string }
			}
		}
		refused := func(t *testing.T, q string, vars map[string]any) {
			t.Helper()
			before := srv.store.calls.Load()
			res := srv.post(q, vars)
			if got := res.codes(); !slices.Equal(got, []string{CodeTooComplex}) {
				t.Fatalf("codes %v, want [%s] (%+v)", got, CodeTooComplex, res.Errors)
			}
			// At most the one call that asks for degrees: nothing ran.
			if n := srv.store.calls.Load() - before; n > 1 {
				t.Errorf("%d store calls for a refused query", n)
			}
		}

		t.Run("500-node hub neighbourhood, full detail", func(t *testing.T) {
			got := decode[nbr](t, srv.post(fullNeighborhood, map[string]any{"id": hub, "limit": 500})).Neighborhood
			if len(got.Nodes) != 500 || !got.Truncated || len(got.Links) < 499 {
				t.Errorf("%d nodes, %d links, truncated %v; want 500 nodes, at least 499 links, truncated", len(got.Nodes), len(got.Links), got.Truncated)
			}
		})
		t.Run("the whole hub at the largest limit: its degree bounds the answer", func(t *testing.T) {
			got := decode[nbr](t, srv.post(fullNeighborhood, map[string]any{"id": hub, "limit": graph.MaxLimit})).Neighborhood
			if len(got.Nodes) != spokes+1 || got.Truncated || len(got.Links) != spokes {
				t.Errorf("%d nodes, %d links, truncated %v; want %d nodes and %d links, whole", len(got.Nodes), len(got.Links), got.Truncated, spokes+1, spokes)
			}
			got = decode[nbr](t, srv.post(fullNeighborhood, map[string]any{"id": "person:admission-007", "limit": graph.MaxLimit})).Neighborhood
			if len(got.Nodes) != 2 || len(got.Links) != 1 {
				t.Errorf("a spoke's neighbourhood: %d nodes, %d links; want 2 and 1", len(got.Nodes), len(got.Links))
			}
		})
		t.Run("1000-row centrality page", func(t *testing.T) {
			type rows struct {
				Centrality []struct {
					Score  float64
					Entity struct {
						ID     string
						Degree int
					}
				}
			}
			q := `{ centrality(metric: DEGREE, top: 1000) { score entity { id name kind degree } } }`
			got := decode[rows](t, srv.post(q, nil)).Centrality
			if len(got) != 1000 {
				t.Fatalf("%d rows, want 1000", len(got))
			}
			if got[0].Entity.ID != hub || got[0].Entity.Degree != spokes {
				t.Errorf("first row %+v, want the hub with degree %d", got[0], spokes)
			}
		})
		t.Run("links of links of links of a hub", func(t *testing.T) {
			refused(t, `query($id: ID!) { entity(id: $id) { links { source { links { target { links { id } } } } } } }`, map[string]any{"id": hub})
		})
		t.Run("a deep neighbourhood at the largest limit", func(t *testing.T) {
			refused(t, fullNeighborhood, map[string]any{"id": hub, "depth": 2, "limit": graph.MaxLimit})
		})
	})
}
