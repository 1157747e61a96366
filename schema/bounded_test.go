package schema

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/embedded"
)

// hubID is an entity with hubLinks links to as many spokes, the shape that
// makes nested links fan out.
const (
	hubID    = "organization:test-hub"
	hubLinks = 200
)

// addHub writes the hub and its spokes.
func addHub(t testing.TB, s graph.Store) {
	t.Helper()
	src := []graph.SourceRef{{Document: "test", Quote: "a hub for the bounded-work tests"}}
	b := graph.Batch{
		Documents: []graph.Document{{ID: "test", Title: "test fixture"}},
		Entities:  []graph.Entity{{ID: hubID, Kind: graph.KindOrganization, Name: "Test Hub", Sources: src}},
	}
	for i := range hubLinks {
		id := fmt.Sprintf("person:test-spoke-%03d", i)
		b.Entities = append(b.Entities, graph.Entity{ID: id, Kind: graph.KindPerson, Name: fmt.Sprintf("Spoke %d", i), Sources: src})
		b.Links = append(b.Links, graph.Link{Type: graph.LinkMemberOf, Source: hubID, Target: id, Sources: src})
	}
	if err := s.Upsert(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// hubServer serves the seed plus the hub over the embedded store.
func hubServer(t testing.TB, opts Options) *server {
	t.Helper()
	s, err := embedded.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	srv := newServer(t, s, opts)
	addHub(t, s)
	return srv
}

// repeatedFields is the 32 KB document that repeats one field 5,400 times.
func repeatedFields(n int) string {
	return "{ stats { " + strings.Repeat("links ", n) + "} }"
}

func aliasedIntrospection(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " s%d: __schema { types { name kind description fields { name description args { name description type { ...T } defaultValue } type { ...T } } interfaces { name } enumValues { name description } inputFields { name type { ...T } } } }", i)
	}
	b.WriteString(" }\nfragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }")
	return b.String()
}

// TestBoundedWork reproduces each way a viewer could make one request
// exhaust the server, and checks it is refused with TOO_COMPLEX.
func TestBoundedWork(t *testing.T) {
	srv := hubServer(t, Options{})
	tooComplex := func(t *testing.T, res *response) {
		t.Helper()
		if got := res.codes(); !slices.Equal(got, []string{CodeTooComplex}) {
			t.Fatalf("codes %v, want [TOO_COMPLEX] (%+v)", got, res.Errors)
		}
		if len(res.Data) != 0 && string(res.Data) != "null" {
			t.Errorf("data %.200s, want none", res.Data)
		}
	}
	t.Run("5,400 repeated fields are refused before validation", func(t *testing.T) {
		q := repeatedFields(5400)
		if len(q) < 32<<10-1024 || len(q) > DefaultMaxQueryBytes {
			t.Fatalf("document of %d bytes", len(q))
		}
		before := srv.store.calls.Load()
		tooComplex(t, srv.post(q, nil))
		if n := srv.store.calls.Load() - before; n != 0 {
			t.Errorf("%d store calls", n)
		}
		// Under the bounds, repeats still work.
		res := srv.post(repeatedFields(MaxRepeatedField), nil)
		if len(res.Errors) > 0 {
			t.Fatalf("%d repeats: %+v", MaxRepeatedField, res.Errors)
		}
	})
	t.Run("too many selections", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("{ stats { ")
		for i := range MaxSelections {
			fmt.Fprintf(&b, "... on GraphStats { entities } # %d\n", i)
		}
		b.WriteString("} }")
		tooComplex(t, srv.post(b.String(), nil))
	})
	t.Run("deep nesting", func(t *testing.T) {
		tooComplex(t, srv.post(strings.Repeat("{ stats ", 5000)+strings.Repeat("}", 5000), nil))
	})
	t.Run("nested links on a hub", func(t *testing.T) {
		// 200 x 200 x 200 link ids: refused from the hub's degree.
		q := fmt.Sprintf(`{ entity(id: %q) { links { source { links { source { links { id } } } } } } }`, hubID)
		tooComplex(t, srv.post(q, nil))
		// The same through a link, whose endpoint's degree is not known
		// before execution: the estimate misses, the response cap stops it.
		small := hubServer(t, Options{MaxResponseBytes: 256 << 10})
		q = fmt.Sprintf(`{ link(id: "member_of:%s->person:test-spoke-000") { source { links { source { links { id } } } } } }`, hubID)
		res := small.post(q, nil)
		tooComplex(t, res)
		if !strings.Contains(res.Errors[0].Message, "response") {
			t.Errorf("message %q does not name the response", res.Errors[0].Message)
		}
	})
	t.Run("links take first, capped", func(t *testing.T) {
		q := fmt.Sprintf(`query($n: Int) { entity(id: %q) { degree links(first: $n) { id } } }`, hubID)
		type data struct {
			Entity struct {
				Degree int
				Links  []struct{ ID string }
			}
		}
		got := decode[data](t, srv.post(q, map[string]any{"n": 5})).Entity
		if got.Degree != hubLinks || len(got.Links) != 5 {
			t.Errorf("degree %d, %d links; want %d and 5", got.Degree, len(got.Links), hubLinks)
		}
		all := decode[data](t, srv.post(q, nil)).Entity
		if len(all.Links) != hubLinks {
			t.Errorf("%d links without first, want %d", len(all.Links), hubLinks)
		}
		if !slices.Equal(all.Links[:5], got.Links) {
			t.Errorf("first 5 %v are not the first of all %v", got.Links, all.Links[:5])
		}
		res := srv.post(q, map[string]any{"n": graph.MaxLinksFirst + 1})
		if c := res.codes(); !slices.Equal(c, []string{CodeTooComplex}) {
			t.Errorf("first above the cap: codes %v", c)
		}
		res = srv.post(q, map[string]any{"n": 0})
		if c := res.codes(); !slices.Equal(c, []string{CodeBadUserInput}) {
			t.Errorf("first 0: codes %v", c)
		}
	})
	t.Run("aliased introspection is costed", func(t *testing.T) {
		tooComplex(t, srv.post(aliasedIntrospection(30), nil))
		if res := srv.post(aliasedIntrospection(1), nil); len(res.Errors) > 0 {
			t.Fatalf("one introspection: %+v", res.Errors)
		}
	})
}

// TestIntrospectionCost checks that introspection costs about what it
// returns: at least the number of fields in the response, and not many
// times more.
func TestIntrospectionCost(t *testing.T) {
	srv := hubServer(t, Options{})
	sch, err := New(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{introspectionQuery, aliasedIntrospection(1), `{ __type(name: "Query") { fields { name args { name } } } }`} {
		res := srv.post(q, nil)
		if len(res.Errors) > 0 {
			t.Fatalf("%+v", res.Errors)
		}
		var v any
		if err := json.Unmarshal(res.Data, &v); err != nil {
			t.Fatal(err)
		}
		fields := countFields(v)
		doc, err := parseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		m, err := sch.costs.measureQuery(doc, "", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Means over the schema's types: within a few times the truth.
		if m.cost < int64(fields)/4 || m.cost > 5*int64(fields) {
			t.Errorf("%.40s: estimated %d for a response of %d fields", q, m.cost, fields)
		}
	}
}

// countFields counts the object fields of a decoded JSON value.
func countFields(v any) int {
	switch v := v.(type) {
	case map[string]any:
		n := len(v)
		for _, x := range v {
			n += countFields(x)
		}
		return n
	case []any:
		n := 0
		for _, x := range v {
			n += countFields(x)
		}
		return n
	}
	return 0
}

// ordinaryNeighborhood is a full-detail neighbourhood at the default limit.
const ordinaryNeighborhood = `query($id: ID!) { neighborhood(id: $id) {
	truncated
	nodes { id kind name aliases countries description degree sanctioned properties { key value }
		sources { quote document { id } }
		designations { regime authority listedOn measures reason sources { quote document { id } } } }
	links { id type role description startDate endDate weight properties { key value }
		source { id name } target { id name } sources { quote } } } }`

// TestOrdinaryQueriesAdmitted runs, at default arguments, the full-detail
// neighbourhood and every query of README.md and of the UI (ui/src/api.ts,
// kinds.ts, ownershipview.ts).
func TestOrdinaryQueriesAdmitted(t *testing.T) {
	srv := hubServer(t, Options{})
	admitted := func(t *testing.T, q string, vars map[string]any) {
		t.Helper()
		res := srv.post(q, vars)
		for _, e := range res.Errors {
			if c, _ := e.Extensions["code"].(string); c == CodeTooComplex || c == "GRAPHQL_VALIDATION_FAILED" || c == "GRAPHQL_PARSE_FAILED" {
				t.Errorf("%s: %s %s", q, c, e.Message)
			}
		}
	}
	t.Run("full-detail neighbourhood", func(t *testing.T) {
		for _, id := range []string{"person:burim-krasniqi", hubID} {
			admitted(t, ordinaryNeighborhood, map[string]any{"id": id})
		}
	})
	t.Run("README", func(t *testing.T) {
		qs := readmeQueries(t)
		if len(qs) < 3 {
			t.Fatalf("found %d queries in README.md", len(qs))
		}
		for _, q := range qs {
			admitted(t, q, nil)
		}
	})
	t.Run("UI", func(t *testing.T) {
		qs := uiQueries(t)
		if len(qs) < 8 {
			t.Fatalf("found %d queries in ui/src", len(qs))
		}
		ids := []any{hubID}
		for i := range 199 {
			ids = append(ids, fmt.Sprintf("person:test-spoke-%03d", i))
		}
		vars := map[string]any{
			"id": hubID, "ids": ids, "q": "krasniqi", "first": 20, "limit": graph.DefaultLimit,
			"from": "person:vahid-derakhshan", "to": "person:ali-derakhshan", "maxHops": graph.DefaultMaxHops,
			"metric": "DEGREE", "top": len(ids),
		}
		for _, q := range qs {
			admitted(t, q, vars)
		}
	})
}

// readmeQueries extracts the GraphQL documents of README.md's graphql
// blocks (one per paragraph).
func readmeQueries(t *testing.T) []string {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(data), -1) {
		for q := range strings.SplitSeq(m[1], "\n\n") {
			if q = strings.TrimSpace(q); q != "" {
				out = append(out, q)
			}
		}
	}
	return out
}

// uiQueries extracts the queries of the UI (api.ts and the views that query
// the server themselves): their template literals
// passed to gql, with the constants they interpolate.
func uiQueries(t *testing.T) []string {
	var out []string
	// api.ts, and the views that query the server themselves.
	for _, file := range []string{"api.ts", "kinds.ts", "ownershipview.ts"} {
		data, err := os.ReadFile("../ui/src/" + file)
		if err != nil {
			t.Fatal(err)
		}
		src := string(data)
		consts := map[string]string{}
		for _, m := range regexp.MustCompile(`const ([A-Z]+) = '([^']*)';`).FindAllStringSubmatch(src, -1) {
			consts[m[1]] = m[2]
		}
		for _, m := range regexp.MustCompile("(?s)gql<.*?>\\(\\s*`(.*?)`").FindAllStringSubmatch(src, -1) {
			q := regexp.MustCompile(`\$\{([A-Z]+)\}`).ReplaceAllStringFunc(m[1], func(s string) string {
				return consts[s[2:len(s)-1]]
			})
			out = append(out, q)
		}
	}
	return out
}

// TestSDLDefaultsAreGraphs checks, by introspection, that every default of
// an Int argument in the SDL is the default graph owns.
func TestSDLDefaultsAreGraphs(t *testing.T) {
	want := map[string]int{
		"Query.search.first":              graph.DefaultFirst,
		"Query.neighborhood.depth":        graph.DefaultDepth,
		"Query.neighborhood.limit":        graph.DefaultLimit,
		"Query.paths.maxHops":             graph.DefaultMaxHops,
		"Query.paths.limit":               graph.DefaultPathLimit,
		"Query.sharedAssociates.depth":    graph.DefaultSharedDepth,
		"Query.centrality.depth":          graph.DefaultAnalysisDepth,
		"Query.centrality.top":            graph.DefaultTop,
		"Query.communities.depth":         graph.DefaultAnalysisDepth,
		"Query.communityStructure.depth":  graph.DefaultAnalysisDepth,
		"Query.communityStructure.seed":   defaultCommunitySeed,
		"Query.brokers.depth":             graph.DefaultAnalysisDepth,
		"Query.disruption.depth":          graph.DefaultAnalysisDepth,
		"Query.keyPlayers.depth":          graph.DefaultAnalysisDepth,
		"Query.brokerage.depth":           graph.DefaultAnalysisDepth,
		"Query.sanctionsExposure.maxHops": graph.DefaultExposureHops,
		"Query.auditLog.first":            graph.DefaultAuditFirst,
		"Query.cases.first":               graph.DefaultCaseFirst,
		"Query.sanctionsOwnership.first":  graph.DefaultOwnershipFirst,
		"Query.timeline.depth":            graph.DefaultTimelineDepth,
		"Query.timeline.first":            graph.DefaultTimelineFirst,
		"Query.match.limit":               graph.DefaultMatchLimit,
		"Query.xref.first":                graph.DefaultXrefFirst,
		"Query.judgements.first":          graph.DefaultJudgementFirst,
	}
	srv := hubServer(t, Options{})
	type data struct {
		Schema struct {
			Types []struct {
				Name   string
				Fields []struct {
					Name string
					Args []struct {
						Name         string
						DefaultValue *string
						Type         typeRef
					}
				}
			}
		} `json:"__schema"`
	}
	got := decode[data](t, srv.post(`{ __schema { types { name fields { name args { name defaultValue type { ...T } } } } } }
		fragment T on __Type { kind name ofType { kind name } }`, nil))
	seen := map[string]bool{}
	for _, ty := range got.Schema.Types {
		for _, f := range ty.Fields {
			for _, a := range f.Args {
				named := a.Type.Name
				if a.Type.OfType != nil {
					named = a.Type.OfType.Name
				}
				if a.DefaultValue == nil || named != "Int" {
					continue
				}
				key := ty.Name + "." + f.Name + "." + a.Name
				seen[key] = true
				w, ok := want[key]
				if !ok {
					t.Errorf("%s defaults to %s, which graph does not own", key, *a.DefaultValue)
					continue
				}
				if v, err := strconv.Atoi(*a.DefaultValue); err != nil || v != w {
					t.Errorf("%s defaults to %s in the SDL, %d in graph", key, *a.DefaultValue, w)
				}
			}
		}
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("%s: no default in the SDL", key)
		}
	}
	_ = http.StatusOK
}
