package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skein-project/skein/cmd/skein/internal/audit"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/graph/testenv/cputime"
	"github.com/skein-project/skein/seed"
)

// BenchmarkRequestOverhead measures what the server adds to a small answer:
// the whole gin handler (audit, auth with a token, rate limit, admission,
// GraphQL parse and validation, execution, encoding) over the seeded
// embedded store, with the bench harness's queries (scripts/bench), so that
// the store's own work is a few microseconds and the rest is the fixed cost
// of a request. It reports the process CPU time per request beside the wall
// time, which other load on a shared machine inflates.
func BenchmarkRequestOverhead(b *testing.B) {
	s := teststores.Embedded(b)
	if err := seed.Load(context.Background(), s); err != nil {
		b.Fatal(err)
	}
	trail, err := audit.Open(filepath.Join(b.TempDir(), "audit.log"), audit.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { trail.Close() })
	const token = "bench-token-0123456789"
	toks, err := ParseTokens("analyst:" + token)
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(s, Options{Audit: trail, Tokens: toks, RatePerSec: 1e9, RateBurst: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name, query string
		vars        map[string]any
	}{
		{"neighborhood", `query($id: ID!, $d: Int!, $l: Int!) { neighborhood(id: $id, depth: $d, limit: $l) { nodes { id } links { id } truncated } }`,
			map[string]any{"id": "person:burim-krasniqi", "d": 1, "l": 500}},
		{"neighborhood-fields", `query($id: ID!) { neighborhood(id: $id) { nodes { id name kind } links { id type source { id } target { id } } } }`,
			map[string]any{"id": "person:burim-krasniqi"}},
		{"search", `query($q: String!) { search(query: $q, first: 20) { nodes { id } } }`,
			map[string]any{"q": "krasniqi"}},
		{"sharedAssociates", `query($ids: [ID!]!) { sharedAssociates(ids: $ids, depth: 1) { id } }`,
			map[string]any{"ids": []string{"person:burim-krasniqi", "person:arif-krasniqi"}}},
	}
	for _, c := range cases {
		body, err := json.Marshal(map[string]any{"query": c.query, "variables": c.vars})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cputime.Process()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/graphql", strings.NewReader(string(body)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
					b.Fatalf("%s: HTTP %d: %s", c.name, rec.Code, rec.Body)
				}
			}
			b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/1e3, "cpu-µs/op")
		})
	}
}

// BenchmarkRequestOverheadTCP is BenchmarkRequestOverhead's neighbourhood
// over a real loopback connection with net/http's client, as the bench
// harness sends it: what a client waits for at one request at a time.
func BenchmarkRequestOverheadTCP(b *testing.B) {
	s := teststores.Embedded(b)
	if err := seed.Load(context.Background(), s); err != nil {
		b.Fatal(err)
	}
	trail, err := audit.Open(filepath.Join(b.TempDir(), "audit.log"), audit.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { trail.Close() })
	h, err := New(s, Options{Audit: trail})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	body := `{"query":"query($id: ID!, $d: Int!, $l: Int!) { neighborhood(id: $id, depth: $d, limit: $l) { nodes { id } links { id } truncated } }","variables":{"id":"person:burim-krasniqi","d":1,"l":500}}`
	b.ReportAllocs()
	cpu0 := cputime.Process()
	for b.Loop() {
		resp, err := srv.Client().Post(srv.URL+"/graphql", "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || strings.Contains(string(out), `"errors"`) {
			b.Fatalf("HTTP %d: %s", resp.StatusCode, out)
		}
	}
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/1e3, "cpu-µs/op")
}
