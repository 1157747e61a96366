package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/benchstores"
	"github.com/skein-project/skein/graph/synth"
)

// askedStore remembers the last neighbourhood query a schema asked.
type askedStore struct {
	graph.Store
	mu   sync.Mutex
	last graph.NeighborhoodQuery
}

func (a *askedStore) Neighborhood(ctx context.Context, q graph.NeighborhoodQuery) (graph.Subgraph, error) {
	a.mu.Lock()
	a.last = q
	a.mu.Unlock()
	return a.Store.Neighborhood(ctx, q)
}

// BenchmarkHubAnswerNeo4j serves the hub answer on Neo4j (the hub fixture's
// network, loaded unless the test database holds it already:
// benchstores.Neo4jSynth) through the handler (graphql: the fast executor),
// beside the store call it makes with the selection it passes (store), for
// the bench harness's neighbourhood query (ids: `nodes { id } links { id }
// truncated`) and hubQuery (bench). graphql minus store is the schema's
// part; the store's own split is graph/neo4j's BenchmarkHubNeighborhood.
func BenchmarkHubAnswerNeo4j(b *testing.B) {
	ctx := context.Background()
	s, hub := benchstores.Neo4jSynth(b, synth.Config{Entities: 30_000, Seed: 1})
	asked := &askedStore{Store: s}
	sch, err := New(asked, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, query string }{
		{"ids", `query($id: ID!) { neighborhood(id: $id, depth: 1, limit: 500) { nodes { id } links { id } truncated } }`},
		{"bench", hubQuery},
	} {
		body, err := json.Marshal(map[string]any{"query": c.query, "variables": map[string]any{"id": hub}})
		if err != nil {
			b.Fatal(err)
		}
		var out bytes.Buffer
		serve := func() *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			out.Reset()
			rec := httptest.NewRecorder()
			rec.Body = &out
			sch.ServeHTTP(rec, req)
			return rec
		}
		before := sch.fastRuns.Load()
		if rec := serve(); rec.Code != http.StatusOK || sch.fastRuns.Load() == before || strings.Contains(out.String(), `"errors"`) {
			b.Fatalf("%s: HTTP %d, not fast or failed: %.300s", c.name, rec.Code, out.String())
		}
		b.Logf("%s: %d bytes, selection %+v", c.name, out.Len(), asked.last.Select)
		q := asked.last
		b.Run(c.name+"/graphql", func(b *testing.B) {
			loopCPU(b, func() {
				if rec := serve(); rec.Code != http.StatusOK {
					b.Fatal(out.String())
				}
			})
		})
		b.Run(c.name+"/store", func(b *testing.B) {
			loopCPU(b, func() {
				if _, err := s.Neighborhood(ctx, q); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
