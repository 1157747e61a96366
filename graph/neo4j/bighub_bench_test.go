package neo4j_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/graph/synth"
	"github.com/skein-project/skein/graph/testenv/cputime"
)

// bigHubID and bigHubDegree are the hub of bigHubStore: as many members as
// the busiest hub of the full-mode benchmark graph (1,000,000 entities,
// degree 20,568), on a graph that loads in a few minutes. The 30,000-entity
// fixture's own hub (degree 859) is below the size at which reading and
// sorting a hub's whole neighbourhood shows.
const (
	bigHubID       = "organization:bighub"
	bigHubDegree   = 20_000
	bigHubMember   = "syn:company:0"    // the first of its members
	bigHubOutsider = "syn:person:18000" // past the members (companies, then persons 0-13,999)
)

// bigHubStore opens the test Neo4j holding the 30,000-entity synthetic
// network plus bigHubID, an organisation of which the first bigHubDegree
// entities other than organisations are members (each by one link, so its distinct neighbours are
// its degree). As benchstores.Neo4jSynth, the data is loaded into the
// emptied database unless it already holds exactly these counts.
func bigHubStore(b *testing.B) *neo4j.Store {
	b.Helper()
	ctx := context.Background()
	s, err := neo4j.Open(ctx, teststores.Neo4jConfig(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	cfg := synth.Config{Entities: 30_000, Seed: 1}
	var members []string
	entities, links := 0, 0
	if err := synth.Generate(ctx, cfg, func(bt graph.Batch) error {
		entities, links = entities+len(bt.Entities), links+len(bt.Links)
		for _, e := range bt.Entities {
			if e.Kind != graph.KindOrganization && len(members) < bigHubDegree {
				members = append(members, e.ID)
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	if len(members) < bigHubDegree {
		b.Fatalf("%d members, want %d", len(members), bigHubDegree)
	}
	if st, err := s.Stats(ctx); err == nil && st.Entities == entities+1 && st.Links == links+bigHubDegree {
		return s
	}
	if err := s.DeleteAll(ctx); err != nil {
		b.Fatal(err)
	}
	if err := synth.Generate(ctx, cfg, func(bt graph.Batch) error { return s.Upsert(ctx, bt) }); err != nil {
		b.Fatal(err)
	}
	hub := graph.Batch{Entities: []graph.Entity{{ID: bigHubID, Kind: graph.KindOrganization, Name: "Big Hub"}}}
	for i, p := range members {
		hub.Links = append(hub.Links, graph.Link{ID: fmt.Sprintf("link:bighub:%05d", i), Type: graph.LinkMemberOf, Source: p, Target: bigHubID, Role: "member"})
	}
	if err := s.Upsert(ctx, hub); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkBigHubNeighborhood is the store's neighbourhood (limit 500,
// ids only as the bench harness asks, links as columns) of bigHubStore's
// hub at depth 1-3, and of one of its members at depth 2 (an ordinary
// entity whose ball two hops out is the hub's 20,000 members), and the hub
// at depth 1 with the bench selection (d1-bench), and an ordinary entity
// at depth 1 and 2 (ordinary-d1, ordinary-d2), with this
// process's CPU and the server's per call (hubLoop).
func BenchmarkBigHubNeighborhood(b *testing.B) {
	ctx := context.Background()
	s := bigHubStore(b)
	for _, c := range []struct {
		name  string
		id    string
		depth int
		sel   graph.Selection
	}{
		{"d1", bigHubID, 1, hubSelections[2].sel},
		{"d2", bigHubID, 2, hubSelections[2].sel},
		{"d3", bigHubID, 3, hubSelections[2].sel},
		{"member-d2", bigHubMember, 2, hubSelections[2].sel},
		// The fast executor's hub answer: names, kinds, link types and ends.
		{"d1-bench", bigHubID, 1, hubSelections[3].sel},
		// An ordinary entity, not a member of the hub.
		{"ordinary-d1", bigHubOutsider, 1, hubSelections[3].sel},
		{"ordinary-d2", bigHubOutsider, 2, hubSelections[3].sel},
	} {
		q := graph.NeighborhoodQuery{ID: c.id, Depth: c.depth, Limit: 500, Select: c.sel}
		sg, err := s.Neighborhood(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: %d nodes, %d links, truncated %v", c.name, len(sg.Nodes), len(sg.Links)+sg.LinkColumns.Len(), sg.Truncated)
		b.Run(c.name, func(b *testing.B) {
			hubLoop(b, func() {
				if _, err := s.Neighborhood(ctx, q); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// rawNbrCypher is scripts/bench's raw Cypher neighbourhood (cypherNbr) at
// depth 1: what a developer would hand-write, cut after limit+1 unordered
// rows.
const rawNbrCypher = "MATCH (s:Entity {id: $id}) " +
	"CALL { WITH s MATCH (s)-[*0..1]-(n:Entity) RETURN DISTINCT n LIMIT $limit1 } " +
	"WITH collect(n) AS ns WITH ns[..$limit] AS nodes, size(ns) > $limit AS truncated " +
	"CALL { WITH nodes UNWIND nodes AS a MATCH (a)-[r]->(b) WHERE b IN nodes RETURN collect(r.id) AS links } " +
	"RETURN [n IN nodes | n.id] AS nodes, links, truncated"

// BenchmarkBigHubProfile logs the profiled plan (rows and database hits
// per operator) of the store's depth-1 hub query and of the raw one on
// bigHubStore's hub: run with -benchtime 1x.
func BenchmarkBigHubProfile(b *testing.B) {
	ctx := context.Background()
	bigHubStore(b)
	cfg := teststores.Neo4jConfig(b)
	drv, err := neo4jdrv.NewDriverWithContext(cfg.URI, neo4jdrv.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = drv.Close(context.Background()) })
	params := map[string]any{"id": bigHubID, "kinds": nil, "limit": 500, "cut": 499, "dense": 1500, "limit1": 501}
	for _, q := range []struct{ name, text string }{
		{"store d1", neo4j.NeighborhoodCypher(1, hubSelections[2].sel)},
		{"store d2", neo4j.NeighborhoodCypher(2, hubSelections[2].sel)},
		{"store d1 bench", neo4j.NeighborhoodCypher(1, hubSelections[3].sel)},
		{"raw d1", rawNbrCypher},
		{"store member d2", neo4j.NeighborhoodCypher(2, hubSelections[2].sel)},
	} {
		if strings.Contains(q.name, "member") {
			params["id"] = bigHubMember
		}
		for range 3 { // warm the plan cache and the page cache
			if _, err := neo4jdrv.ExecuteQuery(ctx, drv, q.text, params, neo4jdrv.EagerResultTransformer); err != nil {
				b.Fatal(err)
			}
		}
		r, err := neo4jdrv.ExecuteQuery(ctx, drv, "PROFILE "+q.text, params, neo4jdrv.EagerResultTransformer)
		if err != nil {
			b.Fatal(err)
		}
		var sb strings.Builder
		ops := map[string]int{}
		total := planStats(r.Summary.Profile(), ops)
		printPlan(&sb, r.Summary.Profile(), 0)
		// Printed, not logged: a benchmark's log is cut short.
		fmt.Printf("%s: %d db hits\n%s\n%s\n", q.name, total, q.text, sb.String())
	}
}

// printPlan writes a profiled plan as an indented tree: operator, rows,
// database hits, details.
func printPlan(w *strings.Builder, p neo4jdrv.ProfiledPlan, depth int) {
	details, _ := p.Arguments()["Details"].(string)
	details = strings.Join(strings.Fields(details), " ")
	fmt.Fprintf(w, "%s%s rows=%d hits=%d  %s\n", strings.Repeat("  ", depth), p.Operator(), p.Records(), p.DbHits(), details)
	for _, c := range p.Children() {
		printPlan(w, c, depth+1)
	}
}

// BenchmarkBigHubVariants runs query texts of the depth-1 hub
// neighbourhood side by side through the bare driver (run with -count for
// alternated rounds): wall time, this process's CPU and the server's CPU
// per query (server-cpu-ns/op, from /proc, in 10 ms ticks: use enough
// iterations).
func BenchmarkBigHubVariants(b *testing.B) {
	ctx := context.Background()
	bigHubStore(b)
	cfg := teststores.Neo4jConfig(b)
	drv, err := neo4jdrv.NewDriverWithContext(cfg.URI, neo4jdrv.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = drv.Close(context.Background()) })
	params := map[string]any{"id": bigHubID, "kinds": nil, "limit": 500, "cut": 499, "dense": 1500, "limit1": 501}
	m := newCPUMeter()
	for _, v := range bigHubVariants {
		b.Run(v.name, func(b *testing.B) {
			var server time.Duration
			b.ReportAllocs()
			c0 := cputime.Process()
			for b.Loop() {
				s0 := processCPU(m.pid)
				if _, err := neo4jdrv.ExecuteQuery(ctx, drv, v.text, params, neo4jdrv.EagerResultTransformer); err != nil {
					b.Fatal(err)
				}
				server += processCPU(m.pid) - s0
			}
			b.ReportMetric(float64(cputime.Process()-c0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(server)/float64(b.N), "server-cpu-ns/op")
		})
	}
}
