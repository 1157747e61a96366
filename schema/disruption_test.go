package schema

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
)

// TestDisruption serves disruption, keyPlayers and brokerage over each
// store and checks them against facts of the seed (the ALPA network is a
// star around its organisation) and against graph/analysis run on the
// store's own snapshot.
func TestDisruption(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		ctx := context.Background()
		star := []string{"person:vahid-derakhshan"}
		t.Run("disruption", func(t *testing.T) {
			type summary struct {
				Entities, Links, Components, LargestComponent int
				Fragmentation, GlobalEfficiency               float64
			}
			type res struct {
				Disruption struct {
					Before, After summary
					Severed       []struct {
						ID     string
						Source struct{ ID string }
						Target struct{ ID string }
					}
					Isolated        []struct{ ID string }
					DesignatedReach []struct {
						Entity        struct{ ID string }
						Before, After int
					}
				}
			}
			got := decode[res](t, srv.post(`{ disruption(remove: ["organization:alpa-network"], ids: ["person:vahid-derakhshan"]) {
				before { entities links components largestComponent fragmentation globalEfficiency }
				after { entities links components largestComponent fragmentation globalEfficiency }
				severed { id source { id } target { id } } isolated { id } designatedReach { entity { id } before after } } }`, nil)).Disruption
			// Without its hub the star falls apart: three isolates, every
			// pair cut, every link severed.
			if got.Before.Entities != 4 || got.Before.Components != 1 || got.Before.Fragmentation != 0 {
				t.Errorf("before: %+v, want the 4-entity ALPA star", got.Before)
			}
			if got.After.Entities != 3 || got.After.Links != 0 || got.After.Components != 3 || got.After.LargestComponent != 1 ||
				got.After.Fragmentation != 1 || got.After.GlobalEfficiency != 0 {
				t.Errorf("after: %+v, want three isolates", got.After)
			}
			if len(got.Severed) != got.Before.Links || len(got.Isolated) != 3 {
				t.Errorf("severed %+v, isolated %+v", got.Severed, got.Isolated)
			}
			for _, l := range got.Severed {
				if l.Source.ID != "organization:alpa-network" && l.Target.ID != "organization:alpa-network" {
					t.Errorf("severed link %s does not touch the hub", l.ID)
				}
			}
			sg, err := srv.store.Snapshot(ctx, graph.SnapshotQuery{IDs: star, Depth: 2})
			if err != nil {
				t.Fatal(err)
			}
			want, err := analysis.Disrupt(ctx, sg, []string{"organization:alpa-network"}, graph.When{})
			if err != nil {
				t.Fatal(err)
			}
			if len(want.DesignatedReach) == 0 || len(got.DesignatedReach) != len(want.DesignatedReach) {
				t.Fatalf("designated reach %+v, want %+v", got.DesignatedReach, want.DesignatedReach)
			}
			for i, r := range got.DesignatedReach {
				w := want.DesignatedReach[i]
				if r.Entity.ID != w.ID || r.Before != w.Before || r.After != w.After || (r.Entity.ID != "organization:alpa-network" && r.Before != 3) {
					t.Errorf("reach %+v, want %+v", r, w)
				}
			}
		})
		t.Run("key players", func(t *testing.T) {
			type res struct {
				KeyPlayers struct {
					Entities      []struct{ ID string }
					Fragmentation float64
					Steps         []float64
					Exact         bool
				}
			}
			got := decode[res](t, srv.post(`{ keyPlayers(k: 1, ids: ["person:vahid-derakhshan"]) { entities { id } fragmentation steps exact } }`, nil)).KeyPlayers
			if len(got.Entities) != 1 || got.Entities[0].ID != "organization:alpa-network" || got.Fragmentation != 1 || !got.Exact || len(got.Steps) != 1 {
				t.Errorf("key player of the ALPA star: %+v, want its hub", got)
			}
			sg, err := srv.store.Snapshot(ctx, graph.SnapshotQuery{})
			if err != nil {
				t.Fatal(err)
			}
			want, err := analysis.KeyPlayers(ctx, sg, 3, nil)
			if err != nil {
				t.Fatal(err)
			}
			whole := decode[res](t, srv.post(`{ keyPlayers(k: 3) { entities { id } fragmentation steps exact } }`, nil)).KeyPlayers
			if len(whole.Entities) != 3 || whole.Fragmentation != want.Fragmentation || whole.Exact != want.Exact {
				t.Errorf("key players %+v, analysis %+v", whole, want)
			}
			for i, e := range whole.Entities {
				if e.ID != want.IDs[i] || whole.Steps[i] != want.Steps[i] {
					t.Errorf("key player %d: %s (%v), analysis %s (%v)", i, e.ID, whole.Steps[i], want.IDs[i], want.Steps[i])
				}
			}
		})
		t.Run("brokerage", func(t *testing.T) {
			sg, err := srv.store.Snapshot(ctx, graph.SnapshotQuery{})
			if err != nil {
				t.Fatal(err)
			}
			for by, q := range map[analysis.GroupBy]string{
				analysis.ByKind:      `{ brokerage(groupBy: KIND) { entity { id } coordinator itinerant gatekeeper representative liaison } }`,
				analysis.ByCommunity: `{ brokerage { entity { id } coordinator itinerant gatekeeper representative liaison } }`,
			} {
				want, err := analysis.Brokerage(ctx, sg, by, 1)
				if err != nil {
					t.Fatal(err)
				}
				if len(want) == 0 {
					t.Fatalf("%s: the seed has no brokers to compare", by)
				}
				type row struct {
					Entity struct {
						ID string `json:"id"`
					} `json:"entity"`
					Coordinator    int64 `json:"coordinator"`
					Itinerant      int64 `json:"itinerant"`
					Gatekeeper     int64 `json:"gatekeeper"`
					Representative int64 `json:"representative"`
					Liaison        int64 `json:"liaison"`
				}
				rows := make([]row, len(want))
				for i, s := range want {
					rows[i].Entity.ID = s.ID
					rows[i].Coordinator, rows[i].Itinerant, rows[i].Gatekeeper = s.Coordinator, s.Itinerant, s.Gatekeeper
					rows[i].Representative, rows[i].Liaison = s.Representative, s.Liaison
				}
				exp, err := json.Marshal(map[string]any{"brokerage": rows})
				if err != nil {
					t.Fatal(err)
				}
				checkResponse(t, srv.post(q, nil), gqlTest{ExpectedResult: string(exp)})
			}
		})
		t.Run("bad arguments", func(t *testing.T) {
			runTests(t, srv, []gqlTest{{
				Name:           "remove an entity outside the network",
				Query:          `{ disruption(remove: ["person:burim-krasniqi"], ids: ["person:vahid-derakhshan"], depth: 1) { after { components } } }`,
				ExpectedResult: `null`,
				ExpectedErrors: []wantError{{Path: "disruption", Code: CodeBadUserInput}},
			}, {
				Name:           "k of 0",
				Query:          `{ keyPlayers(k: 0) { exact } }`,
				ExpectedResult: `null`,
				ExpectedErrors: []wantError{{Path: "keyPlayers", Code: CodeBadUserInput}},
			}, {
				Name:           "k above the limit",
				Query:          `{ keyPlayers(k: 21) { exact } }`,
				ExpectedResult: `null`,
				ExpectedErrors: []wantError{{Path: "keyPlayers", Code: CodeTooComplex}},
			}, {
				Name:           "more key players than candidates",
				Query:          `{ keyPlayers(k: 2, candidates: ["person:vahid-derakhshan"]) { exact } }`,
				ExpectedResult: `null`,
				ExpectedErrors: []wantError{{Path: "keyPlayers", Code: CodeBadUserInput}},
			}, {
				Name:           "brokerage around an unknown entity",
				Query:          `{ brokerage(ids: ["person:nobody"]) { liaison } }`,
				ExpectedResult: `null`,
				ExpectedErrors: []wantError{{Path: "brokerage", Code: CodeNotFound}},
			}})
		})
	})
}
