package schema

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// TestComplexityLimits sends queries over each store: cheap ones run, even
// deeply nested; costly and widely aliased ones are refused with
// TOO_COMPLEX before the store sees a single call.
func TestComplexityLimits(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		refused := func(t *testing.T, query string, vars map[string]any) {
			t.Helper()
			before := srv.store.calls.Load()
			res := srv.post(query, vars)
			if got := res.codes(); !slices.Equal(got, []string{CodeTooComplex}) {
				t.Errorf("codes %v, want [TOO_COMPLEX] (%+v)", got, res.Errors)
			}
			if res.Status != http.StatusOK || len(res.Data) != 0 && string(res.Data) != "null" {
				t.Errorf("status %d data %s, want 200 and no data", res.Status, res.Data)
			}
			if n := srv.store.calls.Load() - before; n != 0 {
				t.Errorf("%d store calls for a refused query", n)
			}
		}
		allowed := func(t *testing.T, query string, vars map[string]any) *response {
			t.Helper()
			res := srv.post(query, vars)
			if len(res.Errors) > 0 {
				t.Fatalf("unexpected errors %+v", res.Errors)
			}
			return res
		}

		t.Run("deep but cheap", func(t *testing.T) {
			// Nine levels, three of them lists: 17,243 by the cost rules.
			const q = `query($id: ID!) { link(id: $id) { source { links(types: [MEMBER_OF]) { target {
				links { source { name sources { document { title } } } } } } } } }`
			res := allowed(t, q, map[string]any{"id": "member_of:person:ali-derakhshan->organization:alpa-network:day-to-day-operations"})
			if !strings.Contains(string(res.Data), "Ali Derakhshan") {
				t.Errorf("data %s lacks Ali Derakhshan", res.Data)
			}
		})
		t.Run("wide aliased query", func(t *testing.T) {
			var b strings.Builder
			b.WriteString("{")
			for i := range 31 {
				fmt.Fprintf(&b, " e%d: entity(id: \"person:ali-derakhshan\") { id }", i)
			}
			b.WriteString(" }")
			refused(t, b.String(), nil)
			// 30 aliases are within the limit.
			allowed(t, strings.Replace(b.String(), ` e30: entity(id: "person:ali-derakhshan") { id }`, "", 1), nil)
		})
		t.Run("aliases inside fragments count each time they are spread", func(t *testing.T) {
			q := `{ entity(id: "person:ali-derakhshan") { ...F } link(id: "x") { source { ...F } target { ...F } } }
			fragment F on Entity { a1: name a2: name a3: name a4: name a5: name a6: name a7: name a8: name a9: name a10: name a11: name }`
			refused(t, q, nil)
		})
		t.Run("costly nested lists", func(t *testing.T) {
			// Depth 2: at depth 1 the entity's degree would bound the nodes
			// (TestAdmissionFromDegrees).
			const q = `query($n: Int) { neighborhood(id: "person:burim-krasniqi", depth: 2, limit: $n) { nodes { links { target { links { id } } } } } }`
			// 5000 nodes, each with links and their targets' links: 2.2 million.
			refused(t, q, map[string]any{"n": 5000})
			// The same shape over 10 nodes is cheap.
			allowed(t, q, map[string]any{"n": 10})
			// The default limit (500) makes it costly again.
			refused(t, q, nil)
			refused(t, `{ centrality(metric: DEGREE, top: 1000) { entity { links { source { links { id } } } } } }`, nil)
		})
		t.Run("lists of ids count each id", func(t *testing.T) {
			const q = `query($ids: [ID!]!) { entities(ids: $ids) { links { target { links { target { links { source { links { id } } } } } } } } }`
			var ids []any
			for range 200 {
				ids = append(ids, "person:ali-derakhshan")
			}
			res := srv.post(q, map[string]any{"ids": ids})
			if got := res.codes(); !slices.Equal(got, []string{CodeTooComplex}) {
				t.Errorf("codes %v, want [TOO_COMPLEX]", got)
			}
			allowed(t, q, map[string]any{"ids": ids[:1]})
		})
		t.Run("entities the store does not hold have no links to cost", func(t *testing.T) {
			const q = `query($ids: [ID!]!) { entities(ids: $ids) { links { target { links { id } } } } }`
			var ids []any
			for i := range 200 {
				ids = append(ids, fmt.Sprintf("person:nobody-%d", i))
			}
			allowed(t, q, map[string]any{"ids": ids})
		})
		t.Run("fragment bomb", func(t *testing.T) {
			// Each fragment spreads the previous one twice: 2^24 fields.
			var b strings.Builder
			b.WriteString(`{ entity(id: "person:ali-derakhshan") { ...F24 } }` + "\n")
			b.WriteString("fragment F0 on Entity { name }\n")
			for i := 1; i <= 24; i++ {
				fmt.Fprintf(&b, "fragment F%d on Entity { ...F%d ...F%d }\n", i, i-1, i-1)
			}
			refused(t, b.String(), nil)
		})
		t.Run("the introspection query is admitted", func(t *testing.T) {
			allowed(t, introspectionQuery, nil)
		})
		t.Run("queries the measure cannot read are left to graphql-go", func(t *testing.T) {
			runTests(t, srv, []gqlTest{{
				Name:           "fragment cycle",
				Query:          `{ entity(id: "person:ali-derakhshan") { ...A } } fragment A on Entity { name ...A }`,
				ExpectedErrors: []wantError{{Code: "GRAPHQL_VALIDATION_FAILED"}},
			}, {
				Name:           "unterminated string",
				Query:          `{ entity(id: "person:ali-derakhshan) { id } }`,
				ExpectedErrors: []wantError{{Code: "GRAPHQL_PARSE_FAILED"}},
			}, {
				Name:           "unknown operation",
				Query:          `query A { stats { links } } query B { stats { entities } }`,
				ExpectedErrors: []wantError{{Code: CodeBadUserInput}},
			}})
		})
	})
}

// TestQueryMeasure checks the parser and the cost rules on documents whose
// strings, comments and block strings look like selections.
func TestQueryMeasure(t *testing.T) {
	sch, err := New(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, query, op string
		vars            map[string]any
		cost, aliases   int64
	}{
		{name: "leaf", query: `{ stats { links } }`, cost: 2},
		{name: "page passes its size to its lists",
			query: `{ search(query: "x", first: 3) { totalCount nodes { id name } } }`,
			cost:  1 + 1 + (1 + 3*2)},
		{name: "list without a size argument",
			query: `{ entity(id: "x") { links { id } } }`,
			cost:  1 + (1 + DefaultListSize*1)},
		{name: "variables and their defaults",
			query: `query Q($n: Int = 4, $m: Int) { a: centrality(metric: DEGREE, top: $n) { score } b: centrality(metric: DEGREE, top: $m) { score } }`,
			op:    "Q", vars: map[string]any{"m": float64(7)},
			cost: (1 + 4) + (1 + 7), aliases: 2},
		{name: "schema default",
			query: `{ paths(from: "a", to: "b") { length } }`,
			cost:  1 + 10},
		{name: "strings and comments are not selections",
			query: "# a: b { c: d }\n{ x: search(query: \"y: z { w: v } \\\" u: t\", first: 1) { nodes { id } } " +
				`s: search(query: "p: q { \"r: s\" }") { totalCount } }`,
			cost: (1 + 1 + 1*1) + (1 + 1), aliases: 2},
		{name: "inline fragments and spreads",
			query: `{ entity(id: "x") { ... on Person { n: name } ...E } } fragment E on Entity { m: name links { id } }`,
			cost:  1 + 1 + 1 + (1 + DefaultListSize), aliases: 2},
		{name: "operation chosen by name",
			query: `query A { stats { links } } query B { x: stats { links entities } }`, op: "B",
			cost: 3, aliases: 1},
		{name: "path lists are bounded by the hops",
			query: `{ paths(from: "a", to: "b", limit: 2) { nodes { id } links { id } } }`,
			cost:  1 + 2*(1+int64(graph.MaxHops+1)+1+int64(graph.MaxHops))},
		{name: "values stored with their parent",
			query: `{ entity(id: "x") { sources { quote } } }`,
			cost:  1 + 1 + DefaultValueListSize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := parseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			m, err := sch.costs.measureQuery(doc, tc.op, tc.vars, nil)
			if err != nil {
				t.Fatal(err)
			}
			if m.cost != tc.cost || m.aliases != tc.aliases {
				t.Errorf("cost %d aliases %d, want %d and %d", m.cost, m.aliases, tc.cost, tc.aliases)
			}
			if errs := sch.gql.ValidateWithVariables(tc.query, tc.vars); len(errs) > 0 {
				t.Errorf("the test query is not valid GraphQL: %v", errs)
			}
		})
	}
	for _, bad := range []string{`{ a(x: "unterminated) { b } }`, `{ a { b }`, `query { }`, `{ a(x: """ ) { b } """) }`, `{ a(x: 1.) }`, `fragment F on T { a }`} {
		if _, err := parseQuery(bad); err == nil {
			t.Errorf("%s: parsed, want a syntax error", bad)
		}
	}
}
