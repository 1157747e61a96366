package schema

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/seed"
)

// TestVarsValidIsGraphQLGo checks the per-request check of a cached
// document against graphql-go's own validation, over queries whose
// variables are scalars, enums, lists, nested lists and input objects, and
// values of every JSON shape: whenever the cache says a request is valid,
// graphql-go finds nothing wrong with it; and for scalars, enums and lists
// of them it is not merely cautious: it says valid exactly when
// graphql-go does.
func TestVarsValidIsGraphQLGo(t *testing.T) {
	sch, err := New(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	queries := []struct {
		q     string
		exact bool // no input object: the check must agree both ways
	}{
		{`query($id: ID!, $t: [LinkType!], $k: [EntityKind!], $l: Int, $at: Date) { neighborhood(id: $id, linkTypes: $t, kinds: $k, limit: $l, asOf: $at) { nodes { id } } }`, true},
		{`query($id: ID!, $t: [LinkType!]!) { neighborhood(id: $id, linkTypes: $t) { nodes { id } } }`, true},
		{`query($m: CentralityMetric!, $ids: [ID!]) { centrality(metric: $m, ids: $ids) { score } }`, true},
		{`query($id: ID = "person:x", $t: [LinkType]) { neighborhood(id: $id, linkTypes: $t) { nodes { id } } }`, false}, // [LinkType] where [LinkType!] is wanted: invalid text
		{`query A($id: ID!) { entity(id: $id) { id } } query B($t: [LinkType!]!) { neighborhood(id: "x", linkTypes: $t) { nodes { id } } }`, true},
		{`query($id: ID!, $d: DateRange) { neighborhood(id: $id, during: $d) { nodes { id } } }`, false},
		{`query($ids: [[ID!]], $id: ID!) { neighborhood(id: $id) { nodes { id } } sharedAssociates(ids: ["a"]) { id } }`, false}, // unused $ids: invalid text
	}
	values := []any{nil, "x", "MEMBER_OF", "member_of", "PAGERANK", "person:burim-krasniqi", 3.0, true,
		[]any{}, []any{nil}, []any{"MEMBER_OF"}, []any{"MEMBER_OF", "OWNS"}, []any{"MEMBER_OF", "nope"}, []any{"PERSON"},
		[]any{[]any{"a"}}, []any{3.0}, map[string]any{}, map[string]any{"from": "2020-01-01"}, map[string]any{"nope": 1.0},
		"2025-10-22"}
	names := []string{"id", "t", "k", "l", "at", "m", "ids", "d"}
	checked, agreed := 0, 0
	for _, c := range queries {
		doc, err := parseQuery(c.q)
		if err != nil {
			t.Fatal(err)
		}
		text := sch.validText(doc, c.q)
		// Each variable takes each value in turn, the others a valid one.
		base := map[string]any{"id": "person:x", "t": []any{"OWNS"}, "m": "PAGERANK", "ids": []any{"a"}}
		for _, name := range names {
			for _, v := range values {
				vars := map[string]any{}
				for k, bv := range base {
					vars[k] = bv
				}
				vars[name] = v
				if v == nil {
					delete(vars, name) // absent and null read the same
				}
				ours := text && sch.varsValid(doc, vars)
				theirs := len(sch.gql.ValidateWithVariables(c.q, vars)) == 0
				checked++
				if ours && !theirs {
					t.Fatalf("cache says valid, graphql-go does not: %s with %v: %v", c.q, vars, sch.gql.ValidateWithVariables(c.q, vars))
				}
				if c.exact && ours != theirs {
					t.Errorf("cache says %v, graphql-go %v: %s with %v", ours, theirs, c.q, vars)
				}
				if ours == theirs {
					agreed++
				}
			}
		}
	}
	if agreed < checked*3/4 {
		t.Fatalf("the check agreed with graphql-go on %d of %d requests: too cautious to serve", agreed, checked)
	}
}

// TestDocCacheBounded: the cache keeps at most its bounds, in entries and
// in bytes of query text, and answers a cached text with the same
// document.
func TestDocCacheBounded(t *testing.T) {
	c := newDocCache(8, 400)
	q := func(i int) string { return fmt.Sprintf(`{ entity(id: "e%d") { id } }`, i) }
	for i := range 100 {
		if _, err := c.parse(q(i)); err != nil {
			t.Fatal(err)
		}
		if n := c.len(); n > 8 || c.bytes > 400 {
			t.Fatalf("after %d texts: %d entries, %d bytes", i+1, n, c.bytes)
		}
	}
	a, _ := c.parse(q(1000))
	b, _ := c.parse(q(1000))
	if a != b {
		t.Fatal("a cached text parsed again")
	}
	if _, err := c.parse(`{ entity(id: `); err == nil {
		t.Fatal("a broken text parsed")
	}
	if doc, _ := c.parse(strings.Repeat(" ", 500) + q(1)); doc == nil || c.bytes > 400 {
		t.Fatalf("a text over the byte bound: %v, %d bytes kept", doc, c.bytes)
	}
}

// TestCachedDocumentStillValidatesVariables serves one query text again
// and again through the handler, with good and bad variables: the answer
// to each is the one a schema without a cache gives (graphql-go's errors
// for the bad ones), and the text is parsed once.
func TestCachedDocumentStillValidatesVariables(t *testing.T) {
	s := teststores.Embedded(t)
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	sch, err := New(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const q = `query($id: ID!, $t: [LinkType!]) { neighborhood(id: $id, linkTypes: $t) { nodes { id } links { id } } }`
	for _, vars := range []string{
		`{"id": "person:burim-krasniqi"}`, `{"id": "person:burim-krasniqi", "t": ["OWNS"]}`, `{"id": null}`, `{}`,
		`{"id": "person:burim-krasniqi", "t": ["owns"]}`, `{"id": "person:burim-krasniqi", "t": "OWNS"}`, `{"id": "person:burim-krasniqi", "t": [null]}`,
		`{"id": "person:burim-krasniqi", "t": [["OWNS"]]}`, `{"id": "person:burim-krasniqi", "t": [3]}`, `{"id": "person:burim-krasniqi"}`,
	} {
		body := fmt.Sprintf(`{"query": %q, "variables": %s}`, q, vars)
		got := serveBody(sch, []byte(body), false)
		fresh, _ := New(s, Options{})
		want := serveBody(fresh, []byte(body), false)
		if string(got) != string(want) {
			t.Errorf("variables %s:\ncached: %s\nfresh:  %s", vars, got, want)
		}
		var resp struct{ Errors []json.RawMessage }
		_, js, _ := strings.Cut(string(got), "\n") // after the status line
		if err := json.Unmarshal([]byte(js), &resp); err != nil {
			t.Fatalf("%v: %s", err, got)
		}
		if bad := strings.Contains(vars, "null") || vars == "{}" || strings.Contains(vars, "owns") || strings.Contains(vars, "[[") || strings.Contains(vars, "[3]"); bad != (len(resp.Errors) > 0) {
			t.Errorf("variables %s: %d errors: %s", vars, len(resp.Errors), got)
		}
	}
	if n := sch.fastRuns.Load(); n != 4 {
		t.Errorf("the fast executor answered %d of the 4 valid requests", n)
	}
	if n := sch.docs.len(); n != 1 {
		t.Fatalf("%d documents cached", n)
	}
}

// TestKeptPlans serves one query text with different variables through a
// schema that keeps its plan, and through one without the fast executor:
// the answers are the same, the plan is kept when the fields below the
// root read no variable, and not kept when they do.
func TestKeptPlans(t *testing.T) {
	s := teststores.Embedded(t)
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	slow, err := New(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	slow.noFast = true
	ids := []string{"person:burim-krasniqi", "organization:krasniqi-network", "organization:alpa-network", "person:nobody"}
	for _, tc := range []struct {
		query string
		kept  bool
	}{
		{`query($id: ID!, $d: Int, $l: Int) { neighborhood(id: $id, depth: $d, limit: $l) { nodes { id name ... on Person { kind } } links { id source { id } } truncated } }`, true},
		{`query($id: ID!, $d: Int, $l: Int, $x: Boolean!) { neighborhood(id: $id, depth: $d, limit: $l) { nodes { id name @include(if: $x) } links { id } } }`, false},
		{`query($id: ID!, $d: Int, $l: Int, $at: Date) { neighborhood(id: $id, depth: $d, limit: $l) { nodes { id sanctioned(asOf: $at) } } }`, false},
		{`query($id: ID!, $d: Int, $l: Int) { neighborhood(id: $id, depth: $d, limit: $l) { nodes { id sanctioned(asOf: "2025-10-22") } } entity(id: $id) { id degree } }`, true},
	} {
		fast, err := New(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 12 {
			vars := map[string]any{"id": ids[i%len(ids)], "d": 1 + i%3, "l": 1 + i*7, "x": i%2 == 0, "at": "2025-10-21"}
			body, _ := json.Marshal(map[string]any{"query": tc.query, "variables": vars})
			// graphql-go lists two root fields' errors in the order they
			// come: compared as a set.
			if got, want := sortedErrors(t, serveBody(fast, body, false)), sortedErrors(t, serveBody(slow, body, false)); string(got) != string(want) {
				t.Fatalf("%s with %v:\nfast:       %s\ngraphql-go: %s", tc.query, vars, got, want)
			}
		}
		doc, err := fast.docs.parse(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		if kept := doc.plans.get(doc.ops[0]) != nil; kept != tc.kept {
			t.Errorf("%s: plan kept %v", tc.query, kept)
		}
		if fast.fastRuns.Load() == 0 {
			t.Errorf("%s: never answered fast", tc.query)
		}
	}
}
