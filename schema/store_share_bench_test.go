package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/seed"
)

// timedStore adds up the wall time spent in the store's calls that the
// bench harness's small requests make.
type timedStore struct {
	graph.Store
	spent atomic.Int64 // nanoseconds
}

func (t *timedStore) since(start time.Time) { t.spent.Add(int64(time.Since(start))) }

func (t *timedStore) Neighborhood(ctx context.Context, q graph.NeighborhoodQuery) (graph.Subgraph, error) {
	defer t.since(time.Now())
	return t.Store.Neighborhood(ctx, q)
}

func (t *timedStore) Search(ctx context.Context, q graph.SearchQuery) (graph.SearchResult, error) {
	defer t.since(time.Now())
	return t.Store.Search(ctx, q)
}

func (t *timedStore) SharedAssociates(ctx context.Context, q graph.SharedQuery) ([]graph.Entity, error) {
	defer t.since(time.Now())
	return t.Store.SharedAssociates(ctx, q)
}

// BenchmarkStoreShare serves the bench harness's small requests through the
// schema's handler (no TCP) on each store, and reports how much of each
// request's wall time is the store's call (store-µs/op) and how much is
// the schema's own (schema-µs/op: decoding, admission, validation,
// execution, encoding). On Neo4j the store's part includes the driver and
// the round trip.
func BenchmarkStoreShare(b *testing.B) {
	stores := map[string]func(testing.TB) graph.Store{
		"embedded": func(t testing.TB) graph.Store { return teststores.Embedded(t) },
		"neo4j":    func(t testing.TB) graph.Store { return teststores.Neo4j(t) },
	}
	cases := []struct {
		name, query string
		vars        map[string]any
	}{
		{"neighborhood", `query($id: ID!, $d: Int!, $l: Int!) { neighborhood(id: $id, depth: $d, limit: $l) { nodes { id } links { id } truncated } }`,
			map[string]any{"id": "person:burim-krasniqi", "d": 1, "l": 500}},
		{"search", `query($q: String!) { search(query: $q, first: 20) { nodes { id } } }`, map[string]any{"q": "krasniqi"}},
		{"sharedAssociates", `query($ids: [ID!]!) { sharedAssociates(ids: $ids, depth: 1) { id } }`,
			map[string]any{"ids": []string{"person:burim-krasniqi", "person:arif-krasniqi"}}},
	}
	for _, name := range []string{"embedded", "neo4j"} {
		b.Run(name, func(b *testing.B) {
			s := stores[name](b)
			if err := seed.Load(context.Background(), s); err != nil {
				b.Fatal(err)
			}
			ts := &timedStore{Store: s}
			sch, err := New(ts, Options{MaxExecuting: -1})
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range cases {
				body, _ := json.Marshal(map[string]any{"query": c.query, "variables": c.vars})
				b.Run(c.name, func(b *testing.B) {
					ts.spent.Store(0)
					start := time.Now()
					for b.Loop() {
						req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
						req.Header.Set("Content-Type", "application/json")
						rec := httptest.NewRecorder()
						sch.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
							b.Fatalf("HTTP %d: %s", rec.Code, rec.Body)
						}
					}
					total, store := float64(time.Since(start)), float64(ts.spent.Load())
					b.ReportMetric(store/float64(b.N)/1e3, "store-µs/op")
					b.ReportMetric((total-store)/float64(b.N)/1e3, "schema-µs/op")
				})
			}
		})
	}
}
