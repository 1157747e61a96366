package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// BenchmarkFastRoots serves search and sharedAssociates requests (the
// bench harness's, scripts/bench/graphql.go, and the UI's search, with
// its connection fields) on the hub fixture's graph, side by side on the
// fast executor (fast) and on graphql-go alone (graphql-go), on the
// embedded store and, when NEO4J_URI is set, on Neo4j (whose test
// database it empties).
func BenchmarkFastRoots(b *testing.B) {
	b.Run("embedded", func(b *testing.B) {
		f := newHubFixture(b)
		fastRoots(b, f.store, f.hub)
	})
	if os.Getenv("NEO4J_URI") != "" {
		b.Run("neo4j", func(b *testing.B) {
			s := teststores.Neo4j(b)
			fastRoots(b, s, loadHubGraph(b, s))
		})
	}
}

// fastRoots is BenchmarkFastRoots on one store holding the hub fixture's
// graph, whose hub is hubID.
func fastRoots(b *testing.B, store graph.Store, hubID string) {
	ctx := context.Background()
	hub, err := store.Entity(ctx, hubID)
	if err != nil {
		b.Fatal(err)
	}
	// Two ids with associates in common: the hub and the first of its
	// neighbours that shares some with it.
	nq := graph.NeighborhoodQuery{ID: hubID, Depth: 1, Limit: 50}
	if err := nq.Normalize(); err != nil {
		b.Fatal(err)
	}
	sg, err := store.Neighborhood(ctx, nq)
	if err != nil {
		b.Fatal(err)
	}
	var pair []string
	for _, n := range sg.Nodes[1:] {
		q := graph.SharedQuery{IDs: []string{hubID, n.ID}, Depth: 1}
		if err := q.Normalize(); err != nil {
			b.Fatal(err)
		}
		if es, err := store.SharedAssociates(ctx, q); err == nil && len(es) > 0 {
			pair = q.IDs
			break
		}
	}
	if pair == nil {
		b.Fatal("no neighbour of the hub shares associates with it")
	}
	word, _, _ := strings.Cut(hub.Name, " ")
	cases := []struct {
		name, query string
		vars        map[string]any
	}{
		{"search", skeinSearchQuery, map[string]any{"q": word}},
		{"search-ui", uiSearchQuery, map[string]any{"q": word, "first": 20, "after": nil, "asOf": nil}},
		{"shared", skeinSharedQuery, map[string]any{"ids": pair}},
	}
	fast, err := New(store, Options{})
	if err != nil {
		b.Fatal(err)
	}
	slow, err := New(store, Options{})
	if err != nil {
		b.Fatal(err)
	}
	slow.noFast = true
	var out bytes.Buffer
	for _, c := range cases {
		body, err := json.Marshal(map[string]any{"query": c.query, "variables": c.vars})
		if err != nil {
			b.Fatal(err)
		}
		serve := func(sch *Schema) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			out.Reset()
			rec := httptest.NewRecorder()
			rec.Body = &out
			sch.ServeHTTP(rec, req)
			return rec
		}
		before := fast.fastRuns.Load()
		got := serve(fast).Body.String()
		if fast.fastRuns.Load() == before || !strings.Contains(got, `"id"`) || strings.Contains(got, `"errors"`) {
			b.Fatalf("%s: not answered fast, or empty: %.300s", c.name, got)
		}
		if want := serve(slow).Body.String(); want != got {
			b.Fatalf("%s: answers differ:\n%.300s\n%.300s", c.name, got, want)
		}
		b.Logf("%s: %d bytes", c.name, len(got))
		// Both warmed up first: Neo4j compiles each query text (the fast
		// executor's may differ, graph.Selection.NoKinds) on first use.
		for range 20 {
			serve(fast)
			serve(slow)
		}
		for _, sch := range []struct {
			name string
			s    *Schema
		}{{"fast", fast}, {"graphql-go", slow}} {
			b.Run(c.name+"/"+sch.name, func(b *testing.B) {
				loopCPU(b, func() {
					if rec := serve(sch.s); rec.Code != http.StatusOK {
						b.Fatal(rec.Body.String())
					}
				})
			})
		}
	}
}

// The bench harness's search and sharedAssociates (scripts/bench/graphql.go)
// and the UI's search (ui/src/api.ts).
const (
	skeinSearchQuery = `query($q: String!) { search(query: $q, first: 20) { nodes { id } } }`
	skeinSharedQuery = `query($ids: [ID!]!) { sharedAssociates(ids: $ids, depth: 1) { id } }`
	uiSearchQuery    = `query Search($q: String!, $first: Int, $after: String, $asOf: Date) {
      search(query: $q, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id kind name sanctioned(asOf: $asOf) countries aliases } }
    }`
)
