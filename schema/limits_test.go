package schema

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLimits(t *testing.T) {
	eachServer(t, Options{MaxDepth: 6, MaxQueryBytes: 1000}, func(t *testing.T, srv *server) {
		runTests(t, srv, []gqlTest{
			{
				Name:           "query deeper than MaxDepth",
				Query:          `{ entity(id: "person:burim-krasniqi") { links { source { links { target { links { id } } } } } } }`,
				ExpectedErrors: []wantError{{Code: CodeTooComplex}},
			},
			{
				Name:           "paths over 6 hops",
				Query:          `{ paths(from: "person:vahid-derakhshan", to: "person:ali-derakhshan", maxHops: 7) { length } }`,
				ExpectedErrors: []wantError{{Path: "paths", Code: CodeTooComplex}},
			},
			{
				Name:           "neighborhood deeper than 6",
				Query:          `{ neighborhood(id: "person:burim-krasniqi", depth: 7) { truncated } }`,
				ExpectedErrors: []wantError{{Path: "neighborhood", Code: CodeTooComplex}},
			},
			{
				Name:           "first above the maximum page",
				Query:          `{ search(query: "krasniqi", first: 101) { totalCount } }`,
				ExpectedErrors: []wantError{{Path: "search", Code: CodeTooComplex}},
			},
			{
				Name:           "first of zero",
				Query:          `{ search(query: "krasniqi", first: 0) { totalCount } }`,
				ExpectedErrors: []wantError{{Path: "search", Code: CodeBadUserInput}},
			},
			{
				Name:           "empty search",
				Query:          `{ search(query: "  ") { totalCount } }`,
				ExpectedErrors: []wantError{{Path: "search", Code: CodeBadUserInput}},
			},
			{
				Name:           "neighborhood limit above the maximum",
				Query:          `{ neighborhood(id: "person:burim-krasniqi", limit: 5001) { truncated } }`,
				ExpectedErrors: []wantError{{Path: "neighborhood", Code: CodeTooComplex}},
			},
			{
				Name:           "paths limit above the maximum",
				Query:          `{ paths(from: "person:vahid-derakhshan", to: "person:ali-derakhshan", limit: 101) { length } }`,
				ExpectedErrors: []wantError{{Path: "paths", Code: CodeTooComplex}},
			},
			{
				Name:           "paths from an entity to itself",
				Query:          `{ paths(from: "person:ali-derakhshan", to: "person:ali-derakhshan") { length } }`,
				ExpectedErrors: []wantError{{Path: "paths", Code: CodeBadUserInput}},
			},
			{
				Name:           "paths to an unknown entity",
				Query:          `{ paths(from: "person:ali-derakhshan", to: "person:nobody") { length } }`,
				ExpectedErrors: []wantError{{Path: "paths", Code: CodeNotFound}},
			},
			{
				Name:           "shared associates deeper than 3",
				Query:          `{ sharedAssociates(ids: ["person:ali-derakhshan", "person:vahid-derakhshan"], depth: 4) { id } }`,
				ExpectedErrors: []wantError{{Path: "sharedAssociates", Code: CodeTooComplex}},
			},
			{
				Name:           "centrality top above the maximum",
				Query:          `{ centrality(metric: PAGERANK, top: 1001) { score } }`,
				ExpectedErrors: []wantError{{Path: "centrality", Code: CodeTooComplex}},
			},
			{
				Name:           "centrality deeper than 6",
				Query:          `{ centrality(metric: DEGREE, ids: ["person:ali-derakhshan"], depth: 7) { score } }`,
				ExpectedErrors: []wantError{{Path: "centrality", Code: CodeTooComplex}},
			},
			{
				Name:           "sanctions exposure over 6 hops",
				Query:          `{ sanctionsExposure(id: "person:ali-derakhshan", maxHops: 7) { path { length } } }`,
				ExpectedErrors: []wantError{{Path: "sanctionsExposure", Code: CodeTooComplex}},
			},
			{
				Name:           "syntax error",
				Query:          `{ entity(id: "x") { id }`,
				ExpectedErrors: []wantError{{Code: "GRAPHQL_PARSE_FAILED"}},
			},
			{
				Name:           "unknown field",
				Query:          `{ entity(id: "x") { shoeSize } }`,
				ExpectedErrors: []wantError{{Code: "GRAPHQL_VALIDATION_FAILED"}},
			},
			{
				Name:           "unknown enum value",
				Query:          `query($k: [EntityKind!]) { search(query: "krasniqi", kinds: $k) { totalCount } }`,
				Variables:      map[string]any{"k": []any{"ALIEN"}},
				ExpectedErrors: []wantError{{Code: CodeBadUserInput}},
			},
		})

		t.Run("query text too long", func(t *testing.T) {
			q := `{ stats { entities } }` + strings.Repeat(" ", 1000)
			res := srv.post(q, nil)
			checkResponse(t, res, gqlTest{ExpectedErrors: []wantError{{Code: CodeTooComplex}}})
		})
	})
}

// TestTimeout runs requests whose time limit has passed before they start:
// they fail with TIMEOUT, and no store work is done under them.
func TestTimeout(t *testing.T) {
	eachServer(t, Options{Timeout: time.Nanosecond}, func(t *testing.T, srv *server) {
		before := srv.store.calls.Load()
		for _, q := range []string{
			`{ search(query: "seferovic") { totalCount } }`,
			`{ neighborhood(id: "person:burim-krasniqi", depth: 6) { truncated } }`,
		} {
			res := srv.post(q, nil)
			if got := res.codes(); len(got) == 0 || slices.ContainsFunc(got, func(c string) bool { return c != CodeTimeout }) {
				t.Errorf("%s: codes %v, want TIMEOUT", q, got)
			}
			if res.Status != http.StatusOK || string(res.Data) != "null" {
				t.Errorf("%s: status %d data %s, want 200 and null data", q, res.Status, res.Data)
			}
		}
		if n := srv.store.calls.Load() - before; n != 0 {
			t.Errorf("%d store calls made after the deadline", n)
		}
	})
}

// TestDeadlineReachesStore checks that every store call of a request runs
// under the request's time limit, so the timeout cancels database work.
func TestDeadlineReachesStore(t *testing.T) {
	eachServer(t, Options{Timeout: time.Minute}, func(t *testing.T, srv *server) {
		srv.store.noDeadline.Store(0)
		before := srv.store.calls.Load()
		res := srv.post(`{ search(query: "krasniqi") { nodes { degree links { source { name } } sources { document { title } } } } }`, nil)
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		if srv.store.calls.Load() == before {
			t.Fatal("no store calls counted")
		}
		if n := srv.store.noDeadline.Load(); n != 0 {
			t.Errorf("%d store calls without a deadline", n)
		}
	})
}

func TestHTTP(t *testing.T) {
	eachServer(t, Options{MaxBodyBytes: 4096}, func(t *testing.T, srv *server) {
		t.Run("GET query", func(t *testing.T) {
			res := srv.get(`query($id: ID!) { entity(id: $id) { name } }`, map[string]any{"id": "person:ali-derakhshan"})
			checkResponse(t, res, gqlTest{ExpectedResult: `{"entity": {"name": "Ali Derakhshan"}}`})
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content type %q", ct)
			}
		})
		t.Run("GET mutation refused", func(t *testing.T) {
			res := srv.get(`mutation { deleteEntity(id: "person:ali-derakhshan") }`, nil)
			if res.Status != http.StatusMethodNotAllowed || res.Header.Get("Allow") != http.MethodPost {
				t.Errorf("status %d Allow %q, want 405 and POST", res.Status, res.Header.Get("Allow"))
			}
			if got := res.codes(); !slices.Equal(got, []string{CodeMethodNotAllowed}) {
				t.Errorf("codes %v", got)
			}
			checkResponse(t, srv.post(`{ entity(id: "person:ali-derakhshan") { id } }`, nil),
				gqlTest{ExpectedResult: `{"entity": {"id": "person:ali-derakhshan"}}`})
		})
		t.Run("graphql-response media type", func(t *testing.T) {
			for q, want := range map[string]int{
				`{ entity(id: "person:nobody") { id } }`: http.StatusOK,
				`{ entity(id: "x") { shoeSize } }`:       http.StatusBadRequest,
			} {
				req, _ := http.NewRequest(http.MethodPost, srv.url, strings.NewReader(fmt.Sprintf(`{"query": %q}`, q)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/graphql-response+json, application/json;q=0.9")
				res := srv.do(req)
				if res.Status != want || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/graphql-response+json") {
					t.Errorf("%s: status %d type %q, want %d", q, res.Status, res.Header.Get("Content-Type"), want)
				}
			}
		})
		for name, tc := range map[string]struct {
			method, ctype, body string
			status              int
		}{
			"PUT":            {http.MethodPut, "application/json", `{"query": "{ stats { links } }"}`, http.StatusMethodNotAllowed},
			"text/plain":     {http.MethodPost, "text/plain", `{"query": "{ stats { links } }"}`, http.StatusUnsupportedMediaType},
			"not JSON":       {http.MethodPost, "application/json", `{"query": `, http.StatusBadRequest},
			"no query":       {http.MethodPost, "application/json", `{"variables": {}}`, http.StatusBadRequest},
			"body too large": {http.MethodPost, "application/json", `{"query": "{ stats { links } }", "variables": {"x": "` + strings.Repeat("x", 5000) + `"}}`, http.StatusRequestEntityTooLarge},
		} {
			t.Run(name, func(t *testing.T) {
				req, _ := http.NewRequest(tc.method, srv.url, strings.NewReader(tc.body))
				req.Header.Set("Content-Type", tc.ctype)
				res := srv.do(req)
				if res.Status != tc.status || len(res.codes()) != 1 || res.codes()[0] == "" {
					t.Errorf("status %d codes %v, want %d and one coded error", res.Status, res.codes(), tc.status)
				}
			})
		}
	})
}

func TestAuthorize(t *testing.T) {
	authorize := func(ctx context.Context, a Action) error {
		if a == ActionWrite {
			return fmt.Errorf("viewers cannot write: %w", ErrForbidden)
		}
		return nil
	}
	eachServer(t, Options{Authorize: authorize}, func(t *testing.T, srv *server) {
		runTests(t, srv, []gqlTest{{
			Name:           "read allowed",
			Query:          `{ entity(id: "person:ali-derakhshan") { id } }`,
			ExpectedResult: `{"entity": {"id": "person:ali-derakhshan"}}`,
		}, {
			Name:           "write forbidden",
			Query:          `mutation { deleteEntity(id: "person:ali-derakhshan") }`,
			ExpectedResult: `null`,
			ExpectedErrors: []wantError{{Path: "deleteEntity", Code: CodeForbidden}},
		}})
		assertPresent := srv.post(`{ entity(id: "person:ali-derakhshan") { id } }`, nil)
		checkResponse(t, assertPresent, gqlTest{ExpectedResult: `{"entity": {"id": "person:ali-derakhshan"}}`})
	})
}
