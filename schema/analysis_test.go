package schema

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
)

// linkAnalysis adapts graph/analysis to Analysis, as cmd/skein wires it.
type linkAnalysis struct{}

func (linkAnalysis) Centrality(ctx context.Context, g graph.Subgraph, metric string) ([]Score, error) {
	m, err := analysis.ParseMetric(metric)
	if err != nil {
		return nil, err
	}
	scores, err := analysis.Centrality(ctx, g, m)
	if err != nil {
		return nil, err
	}
	out := make([]Score, len(scores))
	for i, s := range scores {
		out[i] = Score{ID: s.ID, Score: s.Score}
	}
	return out, nil
}

func (linkAnalysis) Communities(ctx context.Context, g graph.Subgraph) ([]Community, error) {
	cs, _, err := analysis.Communities(ctx, g, 1)
	if err != nil {
		return nil, err
	}
	out := make([]Community, len(cs))
	for i, c := range cs {
		out[i] = Community{ID: c.ID, Members: c.Members}
	}
	return out, nil
}

func (linkAnalysis) SanctionsExposure(ctx context.Context, g graph.Subgraph, from string, maxHops int) ([]Exposure, error) {
	xs, err := analysis.SanctionsExposure(ctx, g, from, maxHops, nil)
	if err != nil {
		return nil, err
	}
	out := make([]Exposure, len(xs))
	for i, x := range xs {
		out[i] = Exposure{ID: x.Entity.ID, Designation: x.Designation, Path: x.Path}
	}
	return out, nil
}

// TestAnalysisWired serves the analysis fields with graph/analysis plugged
// in, and checks them against the analysis package run on the store's own
// snapshot.
func TestAnalysisWired(t *testing.T) {
	eachServer(t, Options{Analysis: linkAnalysis{}}, func(t *testing.T, srv *server) {
		ctx := context.Background()
		t.Run("centrality", func(t *testing.T) {
			sg, err := srv.store.Snapshot(ctx, graph.SnapshotQuery{})
			if err != nil {
				t.Fatal(err)
			}
			want, err := analysis.Centrality(ctx, sg, analysis.DEGREE)
			if err != nil {
				t.Fatal(err)
			}
			type res struct {
				Centrality []struct {
					Entity struct {
						ID     string
						Degree int
					}
					Score float64
				}
			}
			got := decode[res](t, srv.post(`{ centrality(metric: DEGREE, top: 5) { entity { id degree } score } }`, nil)).Centrality
			if len(got) != 5 {
				t.Fatalf("%d scores, want top 5", len(got))
			}
			for i, g := range got {
				if g.Entity.ID != want[i].ID || g.Score != want[i].Score {
					t.Errorf("rank %d: %s %v, want %+v", i, g.Entity.ID, g.Score, want[i])
				}
				// Degree centrality is degree/(n-1) on the seed's simple graph.
				if wantScore := float64(g.Entity.Degree) / float64(len(sg.Nodes)-1); math.Abs(g.Score-wantScore) > 1e-9 {
					t.Errorf("%s: score %v, degree %d gives %v", g.Entity.ID, g.Score, g.Entity.Degree, wantScore)
				}
			}
		})
		t.Run("communities", func(t *testing.T) {
			type res struct {
				Communities []struct {
					ID      int
					Members []struct{ ID string }
				}
			}
			got := decode[res](t, srv.post(`{ communities(ids: ["person:vahid-derakhshan"], depth: 2) { id members { id } } }`, nil)).Communities
			var members []string
			for _, c := range got {
				for _, m := range c.Members {
					members = append(members, m.ID)
				}
			}
			slices.Sort(members)
			want := []string{"company:alpa-trading-fzco", "organization:alpa-network", "person:ali-derakhshan", "person:vahid-derakhshan"}
			if !slices.Equal(members, want) {
				t.Errorf("community members %v, want the ALPA network %v", members, want)
			}
		})
		t.Run("sanctions exposure", func(t *testing.T) {
			res := srv.post(`{ sanctionsExposure(id: "person:vahid-derakhshan", maxHops: 2) {
				entity { id } designation { authority } path { length nodes { id } } } }`, nil)
			checkResponse(t, res, gqlTest{ExpectedResult: `{"sanctionsExposure": [
				{"entity": {"id": "company:alpa-trading-fzco"}, "designation": {"authority": "UK"},
				 "path": {"length": 2, "nodes": [{"id": "person:vahid-derakhshan"}, {"id": "organization:alpa-network"}, {"id": "company:alpa-trading-fzco"}]}},
				{"entity": {"id": "person:ali-derakhshan"}, "designation": {"authority": "UK"},
				 "path": {"length": 2, "nodes": [{"id": "person:vahid-derakhshan"}, {"id": "organization:alpa-network"}, {"id": "person:ali-derakhshan"}]}}
			]}`})
			res = srv.post(`{ sanctionsExposure(id: "person:nobody") { entity { id } } }`, nil)
			checkResponse(t, res, gqlTest{ExpectedResult: `null`, ExpectedErrors: []wantError{{Path: "sanctionsExposure", Code: CodeNotFound}}})
		})
	})
}
