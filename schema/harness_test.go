package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/seed"
)

// server is the real HTTP handler over a real store with the seed loaded.
type server struct {
	t     testing.TB
	url   string
	store *countingStore
}

// eachServer runs fn on both stores, each seeded and served over HTTP.
func eachServer(t *testing.T, opts Options, fn func(t *testing.T, srv *server)) {
	t.Helper()
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		fn(t, newServer(t, s, opts))
	})
}

func newServer(t testing.TB, s graph.Store, opts Options) *server {
	t.Helper()
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatalf("load seed: %v", err)
	}
	cs := &countingStore{Store: s}
	sch, err := New(cs, opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(sch)
	t.Cleanup(hs.Close)
	return &server{t: t, url: hs.URL, store: cs}
}

// response is a decoded GraphQL response.
type response struct {
	Status int
	Header http.Header
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// codes lists the extensions.code of every error.
func (r *response) codes() []string {
	var out []string
	for _, e := range r.Errors {
		code, _ := e.Extensions["code"].(string)
		out = append(out, code)
	}
	return out
}

func (srv *server) do(req *http.Request) *response {
	srv.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		srv.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		srv.t.Fatal(err)
	}
	out := &response{Status: res.StatusCode, Header: res.Header}
	if err := json.Unmarshal(body, out); err != nil {
		srv.t.Fatalf("response is not JSON (%d): %v: %s", res.StatusCode, err, body)
	}
	return out
}

// post sends a GraphQL request as POST application/json.
func (srv *server) post(query string, vars map[string]any) *response {
	srv.t.Helper()
	return srv.postOp(query, "", vars)
}

// postOp sends a GraphQL request naming its operation.
func (srv *server) postOp(query, operation string, vars map[string]any) *response {
	srv.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "operationName": operation, "variables": vars})
	if err != nil {
		srv.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, srv.url, bytes.NewReader(body))
	if err != nil {
		srv.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return srv.do(req)
}

// get sends a GraphQL request as GET with URL parameters.
func (srv *server) get(query string, vars map[string]any) *response {
	srv.t.Helper()
	q := url.Values{"query": {query}}
	if vars != nil {
		v, err := json.Marshal(vars)
		if err != nil {
			srv.t.Fatal(err)
		}
		q.Set("variables", string(v))
	}
	req, err := http.NewRequest(http.MethodGet, srv.url+"?"+q.Encode(), nil)
	if err != nil {
		srv.t.Fatal(err)
	}
	return srv.do(req)
}

// gqlTest is one row of a resolver table, in the style of sourcegraph's
// graphqlbackend tests: the data is compared as JSON, the errors by path
// and code.
type gqlTest struct {
	Name           string
	Query          string
	Variables      map[string]any
	ExpectedResult string // JSON of data; "" skips the comparison
	ExpectedErrors []wantError
}

type wantError struct {
	Path string // dotted, e.g. "entity" or "search.nodes.0"; "" for request errors
	Code string
}

func runTests(t *testing.T, srv *server, tests []gqlTest) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.Name, func(t *testing.T) {
			res := srv.post(tc.Query, tc.Variables)
			checkResponse(t, res, tc)
		})
	}
}

func checkResponse(t *testing.T, res *response, tc gqlTest) {
	t.Helper()
	if res.Status != http.StatusOK {
		t.Errorf("HTTP status %d, want 200", res.Status)
	}
	var got []wantError
	for _, e := range res.Errors {
		var path []string
		for _, p := range e.Path {
			path = append(path, fmt.Sprint(p))
		}
		code, _ := e.Extensions["code"].(string)
		got = append(got, wantError{Path: strings.Join(path, "."), Code: code})
	}
	if !slices.Equal(got, tc.ExpectedErrors) {
		t.Errorf("errors = %+v, want %+v (%+v)", got, tc.ExpectedErrors, res.Errors)
	}
	if tc.ExpectedResult != "" {
		assertJSON(t, res.Data, tc.ExpectedResult)
	}
}

// assertJSON compares two JSON documents by value.
func assertJSON(t *testing.T, got json.RawMessage, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("data is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("expected result is not JSON: %v: %s", err, want)
	}
	if !reflect.DeepEqual(g, w) {
		gi, _ := json.MarshalIndent(g, "", "  ")
		wi, _ := json.MarshalIndent(w, "", "  ")
		t.Errorf("data:\n%s\nwant:\n%s", gi, wi)
	}
}

// decode unmarshals the data of a response that must have no errors.
func decode[T any](t *testing.T, res *response) T {
	t.Helper()
	var v T
	if len(res.Errors) > 0 {
		t.Fatalf("unexpected errors: %+v", res.Errors)
	}
	if err := json.Unmarshal(res.Data, &v); err != nil {
		t.Fatalf("decode data: %v: %s", err, res.Data)
	}
	return v
}

// countingStore counts the calls the resolvers make to the store (each one
// is one round trip on Neo4j) and records whether every call carried the
// request's deadline. It delegates everything to the real store.
type countingStore struct {
	graph.Store
	calls      atomic.Int64
	noDeadline atomic.Int64
	skipTotal  atomic.Bool // of the last search
}

func (c *countingStore) count(ctx context.Context) {
	c.calls.Add(1)
	if _, ok := ctx.Deadline(); !ok {
		c.noDeadline.Add(1)
	}
}

// roundTrips is the number of Cypher round trips of the underlying Neo4j
// store, or -1 on a store that does not count them.
func (c *countingStore) roundTrips() int64 {
	if rt, ok := c.Store.(interface{ RoundTrips() int64 }); ok {
		return rt.RoundTrips()
	}
	return -1
}

func (c *countingStore) Upsert(ctx context.Context, b graph.Batch) error {
	c.count(ctx)
	return c.Store.Upsert(ctx, b)
}
func (c *countingStore) Entity(ctx context.Context, id string) (graph.Entity, error) {
	c.count(ctx)
	return c.Store.Entity(ctx, id)
}
func (c *countingStore) Entities(ctx context.Context, ids []string) ([]graph.Entity, error) {
	c.count(ctx)
	return c.Store.Entities(ctx, ids)
}
func (c *countingStore) Link(ctx context.Context, id string) (graph.Link, error) {
	c.count(ctx)
	return c.Store.Link(ctx, id)
}
func (c *countingStore) Document(ctx context.Context, id string) (graph.Document, error) {
	c.count(ctx)
	return c.Store.Document(ctx, id)
}
func (c *countingStore) Documents(ctx context.Context) ([]graph.Document, error) {
	c.count(ctx)
	return c.Store.Documents(ctx)
}
func (c *countingStore) LinksOf(ctx context.Context, ids []string, types []graph.LinkType, dir graph.Direction, w graph.When) (map[string][]graph.Link, error) {
	c.count(ctx)
	return c.Store.LinksOf(ctx, ids, types, dir, w)
}
func (c *countingStore) Degrees(ctx context.Context, ids []string, w graph.When) (map[string]int, error) {
	c.count(ctx)
	return c.Store.Degrees(ctx, ids, w)
}
func (c *countingStore) DeleteEntity(ctx context.Context, id string) error {
	c.count(ctx)
	return c.Store.DeleteEntity(ctx, id)
}
func (c *countingStore) DeleteLink(ctx context.Context, id string) error {
	c.count(ctx)
	return c.Store.DeleteLink(ctx, id)
}
func (c *countingStore) MergeEntities(ctx context.Context, keep string, merge []string) (graph.Entity, error) {
	c.count(ctx)
	return c.Store.MergeEntities(ctx, keep, merge)
}
func (c *countingStore) Search(ctx context.Context, q graph.SearchQuery) (graph.SearchResult, error) {
	c.count(ctx)
	c.skipTotal.Store(q.SkipTotal)
	return c.Store.Search(ctx, q)
}
func (c *countingStore) Neighborhood(ctx context.Context, q graph.NeighborhoodQuery) (graph.Subgraph, error) {
	c.count(ctx)
	return c.Store.Neighborhood(ctx, q)
}
func (c *countingStore) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Path, error) {
	c.count(ctx)
	return c.Store.Paths(ctx, q)
}
func (c *countingStore) SharedAssociates(ctx context.Context, q graph.SharedQuery) ([]graph.Entity, error) {
	c.count(ctx)
	return c.Store.SharedAssociates(ctx, q)
}
func (c *countingStore) Stats(ctx context.Context) (graph.Stats, error) {
	c.count(ctx)
	return c.Store.Stats(ctx)
}
func (c *countingStore) Snapshot(ctx context.Context, q graph.SnapshotQuery) (graph.Subgraph, error) {
	c.count(ctx)
	return c.Store.Snapshot(ctx, q)
}

func (c *countingStore) Candidates(ctx context.Context, qs []graph.CandidateQuery) ([][]graph.Entity, error) {
	c.count(ctx)
	return c.Store.Candidates(ctx, qs)
}

// OwnershipTallies and DesignatedOwnership pass the store's own ownership
// queries through (counted) when it has them, and decline otherwise, as a
// store without them would.
func (c *countingStore) OwnershipTallies(ctx context.Context, q graph.OwnershipQuery) ([]graph.OwnershipTally, error) {
	os, ok := c.Store.(graph.OwnershipStore)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	c.count(ctx)
	return os.OwnershipTallies(ctx, q)
}

// ExposurePaths passes the store's own exposure query through (counted)
// when it has one, and declines otherwise, as a store without it would.
func (c *countingStore) ExposurePaths(ctx context.Context, q graph.ExposureQuery) ([]graph.Path, error) {
	es, ok := c.Store.(graph.ExposureStore)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	c.count(ctx)
	return es.ExposurePaths(ctx, q)
}

func (c *countingStore) DesignatedOwnership(ctx context.Context, q graph.DesignatedOwnershipQuery) ([]graph.OwnershipTally, error) {
	os, ok := c.Store.(graph.OwnershipStore)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	c.count(ctx)
	return os.DesignatedOwnership(ctx, q)
}
