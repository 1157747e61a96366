package schema

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestAnalysis serves the analysis fields over each store and checks them
// against facts of the seed and against graph/analysis run on the store's
// own snapshot.
func TestAnalysis(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
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
			type community struct {
				ID      int
				Members []struct{ ID string }
			}
			type res struct {
				Communities        []community
				CommunityStructure struct {
					Communities []community
					Modularity  float64
				}
			}
			got := decode[res](t, srv.post(`{
				communities(ids: ["person:vahid-derakhshan"], depth: 2) { id members { id } }
				communityStructure(ids: ["person:vahid-derakhshan"], depth: 2) { communities { id members { id } } modularity }
			}`, nil))
			var members []string
			for _, c := range got.Communities {
				for _, m := range c.Members {
					members = append(members, m.ID)
				}
			}
			slices.Sort(members)
			want := []string{"company:alpa-trading-fzco", "organization:alpa-network", "person:ali-derakhshan", "person:vahid-derakhshan"}
			if !slices.Equal(members, want) {
				t.Errorf("community members %v, want the ALPA network %v", members, want)
			}
			if !slices.EqualFunc(got.Communities, got.CommunityStructure.Communities, func(a, b community) bool {
				return a.ID == b.ID && slices.Equal(a.Members, b.Members)
			}) {
				t.Errorf("communityStructure %+v differs from communities %+v", got.CommunityStructure.Communities, got.Communities)
			}

			// Over the whole graph, the modularity returned is that of the
			// partition returned (networkx's formula on the simple graph).
			type whole struct {
				CommunityStructure struct {
					Communities []community
					Modularity  float64
				}
			}
			cs := decode[whole](t, srv.post(`{ communityStructure(seed: 3) { communities { id members { id } } modularity } }`, nil)).CommunityStructure
			sg, err := srv.store.Snapshot(ctx, graph.SnapshotQuery{})
			if err != nil {
				t.Fatal(err)
			}
			of := map[string]int{}
			for _, c := range cs.Communities {
				for _, m := range c.Members {
					of[m.ID] = c.ID
				}
			}
			if len(of) != len(sg.Nodes) {
				t.Fatalf("communities cover %d entities, the graph has %d", len(of), len(sg.Nodes))
			}
			edges := map[[2]string]bool{}
			for _, l := range sg.Links {
				a, b := min(l.Source, l.Target), max(l.Source, l.Target)
				if a != b {
					edges[[2]string{a, b}] = true
				}
			}
			m := float64(len(edges))
			inside := map[int]float64{}
			degree := map[int]float64{}
			for e := range edges {
				degree[of[e[0]]]++
				degree[of[e[1]]]++
				if of[e[0]] == of[e[1]] {
					inside[of[e[0]]]++
				}
			}
			var q float64
			for c, d := range degree {
				q += inside[c]/m - (d/(2*m))*(d/(2*m))
			}
			if math.Abs(q-cs.Modularity) > 1e-9 || q <= 0 {
				t.Errorf("modularity %v, the partition's is %v", cs.Modularity, q)
			}
		})
		t.Run("brokers", func(t *testing.T) {
			type res struct {
				Brokers struct {
					ArticulationPoints []struct{ ID string }
					Bridges            []struct {
						Type   string
						Source struct{ ID string }
						Target struct{ ID string }
					}
				}
			}
			got := decode[res](t, srv.post(`{ brokers(ids: ["person:vahid-derakhshan"], depth: 2) {
				articulationPoints { id } bridges { type source { id } target { id } } } }`, nil)).Brokers
			// A star: the hub holds it together and every spoke is a bridge.
			if len(got.ArticulationPoints) != 1 || got.ArticulationPoints[0].ID != "organization:alpa-network" {
				t.Errorf("articulation points %+v, want the ALPA network alone", got.ArticulationPoints)
			}
			if len(got.Bridges) != 3 {
				t.Errorf("%d bridges, want the 3 spokes of the ALPA network: %+v", len(got.Bridges), got.Bridges)
			}
			for _, b := range got.Bridges {
				if b.Source.ID != "organization:alpa-network" && b.Target.ID != "organization:alpa-network" {
					t.Errorf("bridge %+v does not touch the hub", b)
				}
			}
		})
		t.Run("sanctions exposure", func(t *testing.T) {
			// One store call, and on Neo4j one Cypher query (the store's
			// own paths, cut to the names selected).
			c0, r0 := srv.store.calls.Load(), srv.store.roundTrips()
			res := srv.post(`{ sanctionsExposure(id: "person:vahid-derakhshan", maxHops: 2) {
				entity { id name } designation { authority } path { length nodes { id } links { source { id } target { id } } } } }`, nil)
			if calls := srv.store.calls.Load() - c0; calls != 1 {
				t.Errorf("sanctionsExposure: %d store calls, want 1", calls)
			}
			if trips := srv.store.roundTrips() - r0; r0 >= 0 && trips != 1 {
				t.Errorf("sanctionsExposure: %d Cypher queries, want 1", trips)
			}
			type res0 struct {
				SanctionsExposure []struct {
					Entity struct{ ID, Name string }
					Path   struct {
						Length int
						Nodes  []struct{ ID string }
						Links  []struct {
							Source struct{ ID string }
							Target struct{ ID string }
						}
					}
				}
			}
			got := decode[res0](t, res).SanctionsExposure
			var names []string
			for _, x := range got {
				names = append(names, x.Entity.Name)
				p := x.Path
				if p.Length != len(p.Links) || len(p.Nodes) != p.Length+1 || p.Nodes[0].ID != "person:vahid-derakhshan" || p.Nodes[p.Length].ID != x.Entity.ID {
					t.Errorf("exposure to %s: path %+v does not lead from Vahid Derakhshan to it", x.Entity.ID, p)
				}
				for i, l := range p.Links {
					a, b := p.Nodes[i].ID, p.Nodes[i+1].ID
					if !(l.Source.ID == a && l.Target.ID == b) && !(l.Source.ID == b && l.Target.ID == a) {
						t.Errorf("exposure to %s: link %d joins %s and %s, not %s and %s", x.Entity.ID, i, l.Source.ID, l.Target.ID, a, b)
					}
				}
			}
			for _, want := range []string{"ALPA Trading FZCO", "Ali Derakhshan"} {
				if !slices.Contains(names, want) {
					t.Errorf("exposure lists %v, want %s among them", names, want)
				}
			}
			checkResponse(t, res, gqlTest{ExpectedResult: `{"sanctionsExposure": [
				{"entity": {"id": "company:alpa-trading-fzco", "name": "ALPA Trading FZCO"}, "designation": {"authority": "UK"},
				 "path": {"length": 2, "nodes": [{"id": "person:vahid-derakhshan"}, {"id": "organization:alpa-network"}, {"id": "company:alpa-trading-fzco"}],
				          "links": [{"source": {"id": "person:vahid-derakhshan"}, "target": {"id": "organization:alpa-network"}},
				                    {"source": {"id": "company:alpa-trading-fzco"}, "target": {"id": "organization:alpa-network"}}]}},
				{"entity": {"id": "person:ali-derakhshan", "name": "Ali Derakhshan"}, "designation": {"authority": "UK"},
				 "path": {"length": 2, "nodes": [{"id": "person:vahid-derakhshan"}, {"id": "organization:alpa-network"}, {"id": "person:ali-derakhshan"}],
				          "links": [{"source": {"id": "person:vahid-derakhshan"}, "target": {"id": "organization:alpa-network"}},
				                    {"source": {"id": "person:ali-derakhshan"}, "target": {"id": "organization:alpa-network"}}]}}
			]}`})
			// Over FAMILY_OF links only, nobody designated is in reach.
			checkResponse(t, srv.post(`{ sanctionsExposure(id: "person:vahid-derakhshan", maxHops: 6, linkTypes: [FAMILY_OF]) { entity { id } } }`, nil),
				gqlTest{ExpectedResult: `{"sanctionsExposure": []}`})
			checkResponse(t, srv.post(`{ sanctionsExposure(id: "person:nobody") { entity { id } } }`, nil),
				gqlTest{ExpectedResult: `null`, ExpectedErrors: []wantError{{Path: "sanctionsExposure", Code: CodeNotFound}}})
		})
		t.Run("bad arguments", func(t *testing.T) {
			runTests(t, srv, []gqlTest{{
				Name:           "brokers of an unknown entity",
				Query:          `{ brokers(ids: ["person:nobody"]) { bridges { id } } }`,
				ExpectedResult: `null`,
				ExpectedErrors: []wantError{{Path: "brokers", Code: CodeNotFound}},
			}, {
				Name:           "communities deeper than 6",
				Query:          `{ communityStructure(depth: 7) { modularity } }`,
				ExpectedResult: `null`,
				ExpectedErrors: []wantError{{Path: "communityStructure", Code: CodeTooComplex}},
			}})
		})
	})
}

// TestAnalysisSameOnBothStores asks the analysis questions of both stores
// loaded with the seed and requires byte-identical answers.
func TestAnalysisSameOnBothStores(t *testing.T) {
	emb := newServer(t, teststores.Embedded(t), Options{})
	neo := newServer(t, teststores.Neo4j(t), Options{})
	for _, q := range []string{
		`{ centrality(metric: DEGREE, top: 1000) { entity { id } score } }`,
		`{ centrality(metric: BETWEENNESS, top: 1000) { entity { id } score } }`,
		`{ centrality(metric: CLOSENESS, top: 1000) { entity { id } score } }`,
		`{ centrality(metric: PAGERANK, ids: ["person:burim-krasniqi"], depth: 3) { entity { id name } score } }`,
		`{ communities { id members { id } } }`,
		`{ communityStructure(ids: ["person:vahid-derakhshan", "person:burim-krasniqi"], seed: 7) { communities { id members { id degree } } modularity } }`,
		`{ brokers { articulationPoints { id degree } bridges { id type source { id } target { id } } } }`,
		`{ sanctionsExposure(id: "person:vahid-derakhshan", maxHops: 6) { entity { id } designation { regime listedOn } path { nodes { id } links { id } } } }`,
		`{ centrality(metric: CORE_NUMBER, top: 1000) { entity { id } score } }`,
		`{ centrality(metric: CONSTRAINT, top: 1000) { entity { id } score } }`,
		`{ centrality(metric: EFFECTIVE_SIZE, top: 1000) { entity { id } score } }`,
		`{ centrality(metric: HARMONIC, top: 1000) { entity { id } score } }`,
		`{ centrality(metric: EIGENVECTOR, ids: ["person:burim-krasniqi"], depth: 3) { entity { id } score } }`,
		`{ disruption(remove: ["organization:alpa-network", "person:burim-krasniqi"]) { before { entities links components largestComponent fragmentation globalEfficiency } after { entities links components largestComponent fragmentation globalEfficiency } severed { id source { id } } isolated { id degree } designatedReach { entity { id } before after } } }`,
		`{ keyPlayers(k: 3) { entities { id name } fragmentation steps exact } }`,
		`{ brokerage(groupBy: KIND) { entity { id } coordinator itinerant gatekeeper representative liaison } }`,
		`{ brokerage { entity { id } coordinator itinerant gatekeeper representative liaison } }`,
	} {
		a, b := emb.post(q, nil), neo.post(q, nil)
		if len(a.Errors)+len(b.Errors) > 0 {
			t.Errorf("%s: errors %+v / %+v", q, a.Errors, b.Errors)
			continue
		}
		if string(a.Data) != string(b.Data) {
			t.Errorf("%s:\nembedded %s\nneo4j    %s", q, a.Data, b.Data)
		}
		var v map[string]json.RawMessage
		if err := json.Unmarshal(a.Data, &v); err != nil || len(v) != 1 {
			t.Fatalf("%s: data %s", q, a.Data)
		}
		for _, answer := range v {
			if len(answer) < 10 {
				t.Errorf("%s: answer %s is too small to compare", q, answer)
			}
		}
	}
}

// TestWeightedPaths builds a small graph where the cheapest route is the
// longest: A-B-D costs 5+5 over 2 hops, A-C-E-D costs 1+1+1 over 3, and
// A-F-D costs 4 plus 1 for a link without weight.
func TestWeightedPaths(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		var people []any
		for _, p := range []string{"a", "b", "c", "d", "e", "f"} {
			people = append(people, personInput("person:w-"+p, "Weighted "+p))
		}
		link := func(id, s, d string, w float64) map[string]any {
			m := map[string]any{"id": id, "type": "ASSOCIATE_OF", "source": "person:w-" + s, "target": "person:w-" + d}
			if w > 0 {
				m["weight"] = w
			}
			return m
		}
		links := []any{
			link("w:ab", "a", "b", 5), link("w:bd", "b", "d", 5),
			link("w:ac", "a", "c", 1), link("w:ce", "c", "e", 1), link("w:ed", "d", "e", 1),
			link("w:af", "a", "f", 4), link("w:fd", "f", "d", 0),
		}
		checkResponse(t, srv.post(upsertEntities, map[string]any{"input": people}), gqlTest{})
		checkResponse(t, srv.post(upsertLinks, map[string]any{"input": links}), gqlTest{})

		const q = `query($w: Boolean, $h: Int) { paths(from: "person:w-a", to: "person:w-d", maxHops: $h, weighted: $w) { length links { id } } }`
		ids := func(res *response) [][]string {
			type res0 struct {
				Paths []struct {
					Length int
					Links  []struct{ ID string }
				}
			}
			var out [][]string
			for _, p := range decode[res0](t, res).Paths {
				var ls []string
				for _, l := range p.Links {
					ls = append(ls, l.ID)
				}
				out = append(out, ls)
			}
			return out
		}
		hop := ids(srv.post(q, map[string]any{"w": false}))
		want := [][]string{{"w:ab", "w:bd"}, {"w:af", "w:fd"}, {"w:ac", "w:ce", "w:ed"}}
		if !slices.EqualFunc(hop, want, slices.Equal) {
			t.Errorf("hop-count paths %v, want %v", hop, want)
		}
		if def := ids(srv.post(q, nil)); !slices.EqualFunc(def, hop, slices.Equal) {
			t.Errorf("paths without weighted %v, want the hop-count order %v", def, hop)
		}
		weighted := ids(srv.post(q, map[string]any{"w": true}))
		want = [][]string{{"w:ac", "w:ce", "w:ed"}, {"w:af", "w:fd"}, {"w:ab", "w:bd"}}
		if !slices.EqualFunc(weighted, want, slices.Equal) {
			t.Errorf("weighted paths %v, want cheapest first %v", weighted, want)
		}
		// Within 2 hops the 3-hop route is out of reach.
		weighted = ids(srv.post(q, map[string]any{"w": true, "h": 2}))
		want = [][]string{{"w:af", "w:fd"}, {"w:ab", "w:bd"}}
		if !slices.EqualFunc(weighted, want, slices.Equal) {
			t.Errorf("weighted paths within 2 hops %v, want %v", weighted, want)
		}
		runTests(t, srv, []gqlTest{{
			Name:           "weighted to an unknown entity",
			Query:          `{ paths(from: "person:w-a", to: "person:nobody", weighted: true) { length } }`,
			ExpectedResult: `null`,
			ExpectedErrors: []wantError{{Path: "paths", Code: CodeNotFound}},
		}, {
			Name:           "weighted between unconnected entities",
			Query:          `{ paths(from: "person:w-a", to: "person:burim-krasniqi", weighted: true) { length } }`,
			ExpectedResult: `{"paths": []}`,
		}})
	})
}

// TestAnalysisNeedsPermission refuses every analysis field, weighted paths
// included, to a caller without the analyze permission, before any store
// work; hop-count paths stay readable.
func TestAnalysisNeedsPermission(t *testing.T) {
	authorize := func(ctx context.Context, a Action) error {
		if a != ActionRead {
			return ErrForbidden
		}
		return nil
	}
	eachServer(t, Options{Authorize: authorize}, func(t *testing.T, srv *server) {
		before := srv.store.calls.Load()
		for _, field := range []string{
			`centrality(metric: DEGREE) { score }`,
			`communities { id }`,
			`communityStructure { modularity }`,
			`brokers { bridges { id } }`,
			`sanctionsExposure(id: "person:ali-derakhshan") { entity { id } }`,
			`paths(from: "person:ali-derakhshan", to: "person:vahid-derakhshan", weighted: true) { length }`,
			`disruption(remove: ["organization:alpa-network"]) { after { components } }`,
			`keyPlayers(k: 1) { exact }`,
			`brokerage { liaison }`,
			`holdings(id: "person:ali-derakhshan") { share }`,
			`owners(id: "company:alpa-trading-fzco") { share }`,
			`sanctionsOwnership { totalCount }`,
		} {
			res := srv.post("{ "+field+" }", nil)
			if got := res.codes(); !slices.Equal(got, []string{CodeForbidden}) {
				t.Errorf("%s: codes %v, want FORBIDDEN", field, got)
			}
		}
		if n := srv.store.calls.Load() - before; n != 0 {
			t.Errorf("%d store calls for refused requests", n)
		}
		checkResponse(t, srv.post(`{ paths(from: "person:ali-derakhshan", to: "person:vahid-derakhshan", maxHops: 2) { length } }`, nil),
			gqlTest{ExpectedResult: `{"paths": [{"length": 2}]}`})
	})
}

// TestAnalysisRoundTripsBounded checks that the entities the analysis
// fields return load their nested fields in one store call per field,
// however many there are.
func TestAnalysisRoundTripsBounded(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		const q = `query($n: Int) {
			centrality(metric: PAGERANK, top: $n) { entity { degree links { target { degree } } } }
			communities { members { degree } }
			brokers { articulationPoints { degree } bridges { source { degree } target { links { id } } } }
			sanctionsExposure(id: "person:vahid-derakhshan") { entity { degree } path { nodes { degree } links { source { name } } } }
		}`
		measure := func(n int) int64 {
			before := srv.store.calls.Load()
			type res struct{ Centrality []any }
			if got := decode[res](t, srv.post(q, map[string]any{"n": n})); len(got.Centrality) != n {
				t.Fatalf("%d scores, want %d", len(got.Centrality), n)
			}
			return srv.store.calls.Load() - before
		}
		small, large := measure(2), measure(15)
		if small != large {
			t.Errorf("store calls grow with the result: %d for 2 scores, %d for 15", small, large)
		}
		t.Logf("%d store calls", large)
	})
}
