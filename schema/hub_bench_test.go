package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/embedded"
	"github.com/skein-project/skein/graph/synth"
	"github.com/skein-project/skein/graph/testenv/cputime"
)

// hubQuery is the hub answer of issue 17: a depth-1 neighbourhood at limit
// 500 selecting ids, names, kinds and link endpoints.
const hubQuery = `query($id: ID!) { neighborhood(id: $id, depth: 1, limit: 500) { nodes { id name kind } links { id type source { id } target { id } } } }`

// hubFixture is a synthetic graph in an embedded store and its
// highest-degree entity.
type hubFixture struct {
	store *embedded.Store
	hub   string
}

func newHubFixture(b *testing.B) hubFixture {
	b.Helper()
	s, err := embedded.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return hubFixture{store: s, hub: loadHubGraph(b, s)}
}

// loadHubGraph writes the fixture's synthetic graph into s and returns its
// highest-degree entity.
func loadHubGraph(b *testing.B, s graph.Store) string {
	b.Helper()
	ctx := context.Background()
	deg := map[string]int{}
	err := synth.Generate(ctx, synth.Config{Entities: 30_000, Seed: 1}, func(bt graph.Batch) error {
		for _, l := range bt.Links {
			deg[l.Source]++
			deg[l.Target]++
		}
		return s.Upsert(ctx, bt)
	})
	if err != nil {
		b.Fatal(err)
	}
	var hub string
	for id, d := range deg {
		if d > deg[hub] || d == deg[hub] && id < hub {
			hub = id
		}
	}
	return hub
}

// Plain structs of the hub answer, for the encoding/json floor.
type (
	plainRef struct {
		ID string `json:"id"`
	}
	plainEntity struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Kind string `json:"kind"`
	}
	plainLink struct {
		ID     string   `json:"id"`
		Type   string   `json:"type"`
		Source plainRef `json:"source"`
		Target plainRef `json:"target"`
	}
	plainAnswer struct {
		Data struct {
			Neighborhood struct {
				Nodes []plainEntity `json:"nodes"`
				Links []plainLink   `json:"links"`
			} `json:"neighborhood"`
		} `json:"data"`
	}
)

// BenchmarkHubAnswer compares the GraphQL answer of hubQuery, served by
// ServeHTTP end to end (parse, cost, store, execution, encoding), with its
// parts: the store's Neighborhood call alone and encoding/json of the same
// answer as plain structs, the floor execution is measured against
// (scripts/bench reports (graphql - store) / json). graphql is the
// answer as served (the fast executor, fast_exec.go); graphql-go the same
// request executed by graphql-go.
func BenchmarkHubAnswer(b *testing.B) {
	f := newHubFixture(b)
	ctx := context.Background()
	nq := graph.NeighborhoodQuery{ID: f.hub, Depth: 1, Limit: 500}
	if err := nq.Normalize(); err != nil {
		b.Fatal(err)
	}
	sg, err := f.store.Neighborhood(ctx, nq)
	if err != nil {
		b.Fatal(err)
	}
	var plain plainAnswer
	nb := &plain.Data.Neighborhood
	for _, n := range sg.Nodes {
		nb.Nodes = append(nb.Nodes, plainEntity{ID: n.ID, Name: n.Name, Kind: string(n.Kind)})
	}
	for _, l := range sg.Links {
		nb.Links = append(nb.Links, plainLink{ID: l.ID, Type: string(l.Type), Source: plainRef{l.Source}, Target: plainRef{l.Target}})
	}
	floor, err := json.Marshal(plain)
	if err != nil {
		b.Fatal(err)
	}

	sch, err := New(f.store, Options{})
	if err != nil {
		b.Fatal(err)
	}
	body, err := json.Marshal(map[string]any{"query": hubQuery, "variables": map[string]any{"id": f.hub}})
	if err != nil {
		b.Fatal(err)
	}
	// The answer is written into one reused buffer, as the floor's is: a
	// server writes it to its connection, not into a growing buffer.
	var out bytes.Buffer
	serveOn := func(sch *Schema) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		out.Reset()
		rec := httptest.NewRecorder()
		rec.Body = &out
		sch.ServeHTTP(rec, req)
		return rec
	}
	serve := func() *httptest.ResponseRecorder { return serveOn(sch) }
	// The GraphQL answer must be the floor's data, field for field.
	rec := serve()
	var got plainAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
		b.Fatalf("status %d, %v: %.300s", rec.Code, err, rec.Body.String())
	}
	if g, w := len(got.Data.Neighborhood.Nodes), len(nb.Nodes); g != w || w < 400 {
		b.Fatalf("graphql answer has %d nodes, store %d (want a hub of at least 400)", g, w)
	}
	if g, w := len(got.Data.Neighborhood.Links), len(nb.Links); g != w {
		b.Fatalf("graphql answer has %d links, store %d", g, w)
	}
	b.Logf("hub %s: %d nodes, %d links; graphql answer %d bytes, plain %d bytes",
		f.hub, len(nb.Nodes), len(nb.Links), rec.Body.Len(), len(floor))

	b.Run("graphql", func(b *testing.B) {
		loopCPU(b, func() {
			if rec := serve(); rec.Code != http.StatusOK {
				b.Fatal(rec.Body.String())
			}
		})
	})
	// The same request executed by graphql-go alone (the fast executor
	// off, fast_exec.go): the executor the answer had before, side by side.
	slow, err := New(f.store, Options{})
	if err != nil {
		b.Fatal(err)
	}
	slow.noFast = true
	b.Run("graphql-go", func(b *testing.B) {
		loopCPU(b, func() {
			if rec := serveOn(slow); rec.Code != http.StatusOK {
				b.Fatal(rec.Body.String())
			}
		})
	})
	b.Run("store", func(b *testing.B) {
		loopCPU(b, func() {
			if _, err := f.store.Neighborhood(ctx, nq); err != nil {
				b.Fatal(err)
			}
		})
	})
	// graphql-go alone: the same answer from plain structs already in
	// memory, through a minimal schema of the same shape (same enums, no
	// tracer, no Skein resolver, no store, no HTTP): the executor's own
	// cost, which (graphql - store) is compared with.
	bare := bareHubSchema(b, sg)
	if r := bare.Exec(ctx, hubQuery, "", map[string]any{"id": f.hub}); len(r.Errors) > 0 {
		b.Fatal(r.Errors)
	} else if d, _ := json.Marshal(plain.Data); !bytes.Equal(r.Data, d) {
		b.Fatalf("bare answer differs from the plain one: %.200s", r.Data)
	}
	b.Run("bare", func(b *testing.B) {
		loopCPU(b, func() {
			if r := bare.Exec(ctx, hubQuery, "", map[string]any{"id": f.hub}); len(r.Errors) > 0 {
				b.Fatal(r.Errors)
			}
		})
	})
	b.Run("json", func(b *testing.B) {
		var buf bytes.Buffer
		loopCPU(b, func() {
			buf.Reset()
			if err := json.NewEncoder(&buf).Encode(plain); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// loopCPU runs fn b.N times, reporting allocations and the process's CPU
// time per run (cpu-ns/op, garbage collection included), which other work
// on a shared machine inflates less than wall time.
func loopCPU(b *testing.B, fn func()) {
	b.ReportAllocs()
	start := cputime.Process()
	for b.Loop() {
		fn()
	}
	b.ReportMetric(float64(cputime.Process()-start)/float64(b.N), "cpu-ns/op")
}

// bareHubSchema is graphql-go over plain structs holding sg: the hub
// answer's shape with Skein's enums and nothing else of Skein's.
func bareHubSchema(b *testing.B, sg graph.Subgraph) *graphql.Schema {
	b.Helper()
	var sdl strings.Builder
	sdl.WriteString("schema { query: Query }\n")
	sdl.WriteString("type Query { neighborhood(id: ID!, depth: Int, limit: Int): Subgraph! }\n")
	sdl.WriteString("type Subgraph { nodes: [Node!]! links: [Edge!]! }\n")
	sdl.WriteString("type Node { id: ID! name: String! kind: EntityKind! }\n")
	sdl.WriteString("type Edge { id: ID! type: LinkType! source: Ref! target: Ref! }\n")
	sdl.WriteString("type Ref { id: ID! }\nenum EntityKind {")
	for _, k := range graph.KindSpecs() {
		sdl.WriteString(" " + string(k.Kind))
	}
	sdl.WriteString(" }\nenum LinkType {")
	for _, t := range graph.LinkSpecs() {
		sdl.WriteString(" " + string(t.Type))
	}
	sdl.WriteString(" }\n")
	data := &bareSubgraph{}
	for _, n := range sg.Nodes {
		data.Nodes = append(data.Nodes, &bareNode{ID: graphql.ID(n.ID), Name: n.Name, Kind: string(n.Kind)})
	}
	for _, l := range sg.Links {
		data.Links = append(data.Links, &bareEdge{ID: graphql.ID(l.ID), Type: string(l.Type),
			Source: &bareRef{ID: graphql.ID(l.Source)}, Target: &bareRef{ID: graphql.ID(l.Target)}})
	}
	s, err := graphql.ParseSchema(sdl.String(), &bareQuery{data: data}, graphql.UseFieldResolvers())
	if err != nil {
		b.Fatal(err)
	}
	return s
}

type (
	bareQuery    struct{ data *bareSubgraph }
	bareSubgraph struct {
		Nodes []*bareNode
		Links []*bareEdge
	}
	bareNode struct {
		ID         graphql.ID
		Name, Kind string
	}
	bareEdge struct {
		ID             graphql.ID
		Type           string
		Source, Target *bareRef
	}
	bareRef struct{ ID graphql.ID }
)

func (q *bareQuery) Neighborhood(struct {
	ID           graphql.ID
	Depth, Limit *int32
}) *bareSubgraph {
	return q.data
}
