package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph/storetest/benchstores"
	"github.com/skein-project/skein/graph/synth"
)

// BenchmarkHubAnswerEmbedded serves the bench harness's hub neighbourhoods
// (scripts/bench: `nodes { id } links { id } truncated`, limit 500, depths
// 1-3, and as of a date) and hubQuery on an embedded store holding a
// graph/synth network of SKEIN_BENCH_ENTITIES entities (default 100,000;
// the full mode's 1,000,000 has a hub of degree 20,568), kept in
// SKEIN_BENCH_DIR from one run to the next when it is set, through the
// handler (graphql: the fast executor) beside the store call it makes
// (store).
func BenchmarkHubAnswerEmbedded(b *testing.B) {
	ctx := context.Background()
	n := 100_000
	if v := os.Getenv("SKEIN_BENCH_ENTITIES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("SKEIN_BENCH_ENTITIES: %v", err)
		}
	}
	s, hub := benchstores.EmbeddedSynth(b, synth.Config{Entities: n, Seed: 1}, os.Getenv("SKEIN_BENCH_DIR"))
	asked := &askedStore{Store: s}
	sch, err := New(asked, Options{})
	if err != nil {
		b.Fatal(err)
	}
	const ids = `query($id: ID!, $d: Int!, $l: Int!, $at: Date) { neighborhood(id: $id, depth: $d, limit: $l, asOf: $at) { nodes { id } links { id } truncated } }`
	for _, c := range []struct {
		name, query string
		depth       int
		asOf        any
	}{
		{"ids/d1", ids, 1, nil}, {"ids/d2", ids, 2, nil}, {"ids/d3", ids, 3, nil},
		{"ids/d1-asof", ids, 1, "2018-06-30"}, {"ids/d2-asof", ids, 2, "2018-06-30"},
		{"bench/d1", hubQuery, 1, nil},
	} {
		body, err := json.Marshal(map[string]any{"query": c.query, "variables": map[string]any{"id": hub, "d": c.depth, "l": 500, "at": c.asOf}})
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
		b.Logf("%s: hub %s, %d bytes, %d links, selection %+v", c.name, hub, out.Len(),
			strings.Count(out.String(), `{"id"`)-500, asked.last.Select)
		q := asked.last
		b.Run(fmt.Sprintf("%s/graphql", c.name), func(b *testing.B) {
			loopCPU(b, func() {
				if rec := serve(); rec.Code != http.StatusOK {
					b.Fatal(out.String())
				}
			})
		})
		b.Run(fmt.Sprintf("%s/store", c.name), func(b *testing.B) {
			loopCPU(b, func() {
				if _, err := s.Neighborhood(ctx, q); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
