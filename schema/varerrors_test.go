package schema

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestInputFieldErrorsNameTheVariable: a variable's input object with a
// field missing, null or wrong is reported as the request wrote it (the
// variable, the place in its value, the input type's field), at the
// variable's definition, with BAD_USER_INPUT; graphql-go alone reports
// such a field as a variable of its own ("names") at its line in the
// schema's SDL. Each request is sent twice (the second meets the cached
// document).
func TestInputFieldErrorsNameTheVariable(t *testing.T) {
	srv := newServer(t, teststores.Embedded(t), Options{})
	type gqlErr struct {
		Message   string           `json:"message"`
		Locations []map[string]int `json:"locations"`
		Code      string
	}
	post := func(query string, vars map[string]any) []gqlErr {
		t.Helper()
		body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.Post(srv.url, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out struct {
			Errors []struct {
				gqlErr
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		var errs []gqlErr
		for _, e := range out.Errors {
			e.gqlErr.Code, _ = e.Extensions["code"].(string)
			errs = append(errs, e.gqlErr)
		}
		return errs
	}
	at := func(line, col int) []map[string]int { return []map[string]int{{"line": line, "column": col}} }
	const list = `query($q: [MatchQuery!]!) { match(queries: $q) { key } }`
	cases := []struct {
		name  string
		query string
		vars  map[string]any
		want  []gqlErr
	}{
		{"unknown field instead of a required one", list,
			map[string]any{"q": []any{map[string]any{"name": "Burim Krasniqi"}}},
			[]gqlErr{
				{`Variable "q" has invalid value.` + "\n" + `Field "name" is not defined by type "MatchQuery". Did you mean "names"?`, at(1, 7), CodeBadUserInput},
				{`Variable "q" has invalid value at q[0].` + "\n" + `Field "MatchQuery.names" of required type "[String!]!" was not provided.`, at(1, 7), CodeBadUserInput},
			}},
		{"null, a bad enum and a null item", list,
			map[string]any{"q": []any{
				map[string]any{"names": []any{"Burim"}},
				map[string]any{"key": "x", "names": nil},
				map[string]any{"names": []any{"Burim"}, "kind": "ALIEN"},
				map[string]any{"names": []any{"Burim", nil}},
			}},
			[]gqlErr{
				{`Variable "q" has invalid value at q[1].` + "\n" + `Field "MatchQuery.names" of required type "[String!]!" is null.`, at(1, 7), CodeBadUserInput},
				{`Variable "q" has invalid value at q[2].kind.` + "\n" + `Expected type "EntityKind", found ALIEN.`, at(1, 7), CodeBadUserInput},
				{`Variable "q" has invalid value at q[3].names.` + "\n" + `Expected type "String!", found null.`, at(1, 7), CodeBadUserInput},
			}},
		{"one object, defined on the third line", "query Q(\n  $t: Float\n  $q: MatchQuery!) { match(queries: [$q], threshold: $t) { key } }",
			map[string]any{"q": map[string]any{"key": "x"}},
			[]gqlErr{
				{`Variable "q" has invalid value.` + "\n" + `Field "MatchQuery.names" of required type "[String!]!" was not provided.`, at(3, 3), CodeBadUserInput},
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for range 2 {
				got := post(c.query, c.vars)
				if !slices.EqualFunc(got, c.want, func(a, b gqlErr) bool {
					return a.Message == b.Message && a.Code == b.Code && slices.EqualFunc(a.Locations, b.Locations, func(x, y map[string]int) bool {
						return x["line"] == y["line"] && x["column"] == y["column"]
					})
				}) {
					t.Errorf("errors\n%+v\nwant\n%+v", got, c.want)
				}
				for _, e := range got {
					if strings.Contains(e.Message, `Variable "names"`) {
						t.Errorf("an error cites a variable the request has not: %q", e.Message)
					}
				}
			}
		})
	}
}
