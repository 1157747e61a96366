package schema

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestAbsentVariableTakesTheDefault: a variable the operation declares but
// the request leaves out reaches graphql-go's resolvers as null, not as
// the argument's default. Every argument with a default must then answer
// as if the argument were left out (these four failed with
// INTERNAL_SERVER_ERROR "got null for non-null"), on both stores.
func TestAbsentVariableTakesTheDefault(t *testing.T) {
	const who = `person:burim-krasniqi`
	cases := []struct{ name, decl, with, without string }{
		{"match threshold", `$v: Float`,
			`match(queries: [{names: ["Burim Krasniqi"]}], threshold: $v) { candidates { entity { id } score match } }`,
			`match(queries: [{names: ["Burim Krasniqi"]}]) { candidates { entity { id } score match } }`},
		{"xref threshold", `$v: Float`,
			`xref(threshold: $v) { totalCount nodes { a { id } b { id } score } }`,
			`xref { totalCount nodes { a { id } b { id } score } }`},
		{"brokerage groupBy", `$v: BrokerageGroup`,
			`brokerage(groupBy: $v) { entity { id } coordinator itinerant gatekeeper representative liaison }`,
			`brokerage { entity { id } coordinator itinerant gatekeeper representative liaison }`},
		{"timeline histogram by", `$v: Period`,
			`timeline(ids: ["` + who + `"]) { histogram(by: $v) { start count } }`,
			`timeline(ids: ["` + who + `"]) { histogram { start count } }`},
		{"sanctionsOwnership combined", `$v: Boolean`,
			`sanctionsOwnership(combined: $v) { totalCount }`, `sanctionsOwnership { totalCount }`},
		{"paths chronological", `$v: Boolean`,
			`paths(from: "` + who + `", to: "person:flamur-krasniqi", chronological: $v) { length }`,
			`paths(from: "` + who + `", to: "person:flamur-krasniqi") { length }`},
		{"neighborhood depth", `$v: Int`,
			`neighborhood(id: "` + who + `", depth: $v) { nodes { id } }`,
			`neighborhood(id: "` + who + `") { nodes { id } }`},
	}
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		recs, _ := s.(graph.Records)
		srv := newServer(t, s, Options{Records: recs})
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				with := srv.post(`query(`+c.decl+`) { `+c.with+` }`, nil)
				without := srv.post(`{ `+c.without+` }`, nil)
				if len(with.Errors) > 0 || len(without.Errors) > 0 {
					t.Fatalf("errors: absent variable %+v; argument left out %+v", with.Errors, without.Errors)
				}
				var a, b bytes.Buffer
				if err := json.Compact(&a, with.Data); err != nil {
					t.Fatal(err)
				}
				if err := json.Compact(&b, without.Data); err != nil {
					t.Fatal(err)
				}
				if a.String() != b.String() {
					t.Errorf("absent variable answers\n%s\nthe argument left out answers\n%s", a.String(), b.String())
				}
			})
		}
		for _, q := range []string{
			`{ match(queries: [{names: ["Burim Krasniqi"]}], threshold: 0) { key } }`,
			`{ xref(threshold: 1.5) { totalCount } }`,
		} {
			if got := srv.post(q, nil).codes(); len(got) != 1 || got[0] != CodeBadUserInput {
				t.Errorf("%s: codes %v, want [%s]", q, got, CodeBadUserInput)
			}
		}
	})
}
