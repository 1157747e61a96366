package schema

import (
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
)

const doc = "document:uk-gim-sanctions-2025-10-23"

func personInput(id, name string) map[string]any {
	return map[string]any{
		"id": id, "kind": "PERSON", "name": name,
		"sources": []any{map[string]any{"document": doc, "quote": name + " is named"}},
	}
}

const upsertEntities = `mutation($input: [EntityInput!]!) { upsertEntities(input: $input) {
	id kind name aliases countries description properties { key value }
	sources { document { id } quote }
	designations { regime authority listedOn measures reason sources { quote } id properties { key value } }
	degree
} }`

const upsertLinks = `mutation($input: [LinkInput!]!) { upsertLinks(input: $input) {
	id type role startDate weight source { id } target { id name } properties { key value }
} }`

func TestMutations(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		t.Run("upsert entities", func(t *testing.T) {
			a := personInput("person:test-a", " Test Alpha ")
			a["aliases"] = []any{"T. Alpha", "", "T. Alpha"}
			a["countries"] = []any{"GB"}
			a["description"] = "A test person."
			a["properties"] = []any{map[string]any{"key": "z", "value": "2"}, map[string]any{"key": "a", "value": "1"}}
			a["designations"] = []any{map[string]any{
				"regime": "Test regime", "authority": "UK", "listedOn": "2025-10-22",
				"measures": []any{"asset freeze"},
				"sources":  []any{map[string]any{"document": doc, "quote": "q"}},
				"id":       "gb-test-0001",
				"properties": []any{map[string]any{"key": "status", "value": "active"},
					map[string]any{"key": "sourceUrl", "value": "https://example.org/list"}},
			}}
			org := map[string]any{"id": "organization:test-org", "kind": "ORGANIZATION", "name": "Test Org"}
			res := srv.post(upsertEntities, map[string]any{"input": []any{a, org}})
			checkResponse(t, res, gqlTest{ExpectedResult: `{"upsertEntities": [
				{"id": "person:test-a", "kind": "PERSON", "name": "Test Alpha", "aliases": ["T. Alpha"], "countries": ["GB"],
				 "description": "A test person.", "properties": [{"key": "a", "value": "1"}, {"key": "z", "value": "2"}],
				 "sources": [{"document": {"id": "document:uk-gim-sanctions-2025-10-23"}, "quote": " Test Alpha  is named"}],
				 "designations": [{"regime": "Test regime", "authority": "UK", "listedOn": "2025-10-22",
					"measures": ["asset freeze"], "reason": null, "sources": [{"quote": "q"}], "id": "gb-test-0001",
					"properties": [{"key": "sourceUrl", "value": "https://example.org/list"}, {"key": "status", "value": "active"}]}],
				 "degree": 0},
				{"id": "organization:test-org", "kind": "ORGANIZATION", "name": "Test Org", "aliases": [], "countries": [],
				 "description": null, "properties": [], "sources": [], "designations": [], "degree": 0}
			]}`})
		})

		t.Run("upsert links derives ids", func(t *testing.T) {
			res := srv.post(upsertLinks, map[string]any{"input": []any{
				map[string]any{"type": "MEMBER_OF", "source": "person:test-a", "target": "organization:test-org",
					"role": "Chief Tester", "startDate": "2024", "weight": 2.5,
					"properties": []any{map[string]any{"key": "k", "value": "v"}}},
				map[string]any{"id": "link:test-1", "type": "ASSOCIATE_OF", "source": "person:test-a", "target": "person:burim-krasniqi"},
			}})
			wantID := graph.LinkID(graph.LinkMemberOf, "person:test-a", "organization:test-org", "Chief Tester")
			checkResponse(t, res, gqlTest{ExpectedResult: `{"upsertLinks": [
				{"id": "` + wantID + `", "type": "MEMBER_OF", "role": "Chief Tester", "startDate": "2024", "weight": 2.5,
				 "source": {"id": "person:test-a"}, "target": {"id": "organization:test-org", "name": "Test Org"},
				 "properties": [{"key": "k", "value": "v"}]},
				{"id": "link:test-1", "type": "ASSOCIATE_OF", "role": null, "startDate": null, "weight": null,
				 "source": {"id": "person:test-a"}, "target": {"id": "person:burim-krasniqi", "name": "Burim Krasniqi"},
				 "properties": []}
			]}`})
		})

		t.Run("replacing an entity keeps its links", func(t *testing.T) {
			res := srv.post(upsertEntities, map[string]any{"input": []any{personInput("person:test-a", "Test Alpha Renamed")}})
			checkResponse(t, res, gqlTest{})
			got := decode[struct {
				Entity struct {
					Name   string
					Degree int
				}
			}](t,
				srv.post(`{ entity(id: "person:test-a") { name degree } }`, nil))
			if got.Entity.Name != "Test Alpha Renamed" || got.Entity.Degree != 2 {
				t.Errorf("after replace: %+v, want the new name and degree 2", got.Entity)
			}
		})

		// Every invalid batch below also carries a valid record, which must
		// not be written: mutations are all or nothing.
		t.Run("invalid entities write nothing", func(t *testing.T) {
			for name, bad := range map[string]map[string]any{
				"empty name":   personInput("person:test-bad", "  "),
				"unknown kind": {"id": "person:test-bad", "kind": "ALIEN", "name": "Bad"},
				"bad id":       personInput("person:with space", "Bad"),
				"bad date": func() map[string]any {
					p := personInput("person:test-bad", "Bad")
					p["designations"] = []any{map[string]any{"regime": "r", "authority": "a", "listedOn": "22/10/2025"}}
					return p
				}(),
			} {
				res := srv.post(upsertEntities, map[string]any{"input": []any{personInput("person:test-good", "Good"), bad}})
				if got := res.codes(); !slices.Equal(got, []string{CodeBadUserInput}) || string(res.Data) != "null" && res.Data != nil {
					t.Errorf("%s: codes %v data %s, want BAD_USER_INPUT and no data", name, got, res.Data)
				}
				assertMissing(t, srv, "person:test-good")
			}
		})

		t.Run("invalid links write nothing", func(t *testing.T) {
			good := map[string]any{"type": "ASSOCIATE_OF", "source": "person:test-a", "target": "person:arif-krasniqi"}
			for name, bad := range map[string]map[string]any{
				"missing target": {"type": "ASSOCIATE_OF", "source": "person:test-a", "target": "person:nobody"},
				"unknown type":   {"type": "KNOWS", "source": "person:test-a", "target": "person:arif-krasniqi"},
				"negative weight": {"type": "LINKED_TO", "source": "person:test-a", "target": "person:arif-krasniqi",
					"weight": -1},
			} {
				res := srv.post(upsertLinks, map[string]any{"input": []any{good, bad}})
				if got := res.codes(); !slices.Equal(got, []string{CodeBadUserInput}) {
					t.Errorf("%s: codes %v, want BAD_USER_INPUT", name, got)
				}
			}
			got := decode[struct{ Entity struct{ Degree int } }](t,
				srv.post(`{ entity(id: "person:arif-krasniqi") { degree } }`, nil))
			if got.Entity.Degree != 1 {
				t.Errorf("arif-krasniqi has degree %d after refused batches, want 1", got.Entity.Degree)
			}
		})

		t.Run("merge", func(t *testing.T) {
			checkResponse(t, srv.post(upsertEntities, map[string]any{"input": []any{personInput("person:test-b", "Test Bravo")}}), gqlTest{})
			checkResponse(t, srv.post(upsertLinks, map[string]any{"input": []any{
				map[string]any{"id": "link:test-b", "type": "FAMILY_OF", "source": "person:test-b", "target": "person:valon-krasniqi"},
			}}), gqlTest{})
			res := srv.post(`mutation { mergeEntities(keep: "person:test-a", merge: ["person:test-b"]) {
				id name aliases links(types: [FAMILY_OF]) { id source { id } target { id } } } }`, nil)
			checkResponse(t, res, gqlTest{ExpectedResult: `{"mergeEntities": {
				"id": "person:test-a", "name": "Test Alpha Renamed", "aliases": ["Test Bravo"],
				"links": [{"id": "link:test-b", "source": {"id": "person:test-a"}, "target": {"id": "person:valon-krasniqi"}}]
			}}`})
			assertMissing(t, srv, "person:test-b")

			res = srv.post(`mutation { mergeEntities(keep: "person:test-a", merge: ["person:nobody"]) { id } }`, nil)
			checkResponse(t, res, gqlTest{ExpectedResult: `null`, ExpectedErrors: []wantError{{Path: "mergeEntities", Code: CodeNotFound}}})
			res = srv.post(`mutation { mergeEntities(keep: "person:test-a", merge: []) { id } }`, nil)
			checkResponse(t, res, gqlTest{ExpectedResult: `null`, ExpectedErrors: []wantError{{Path: "mergeEntities", Code: CodeBadUserInput}}})
		})

		t.Run("delete", func(t *testing.T) {
			checkResponse(t, srv.post(`mutation { deleteLink(id: "link:test-1") }`, nil),
				gqlTest{ExpectedResult: `{"deleteLink": true}`})
			checkResponse(t, srv.post(`mutation { deleteLink(id: "link:test-1") }`, nil),
				gqlTest{ExpectedResult: `null`, ExpectedErrors: []wantError{{Path: "deleteLink", Code: CodeNotFound}}})
			checkResponse(t, srv.post(`mutation { deleteEntity(id: "person:test-a") }`, nil),
				gqlTest{ExpectedResult: `{"deleteEntity": true}`})
			assertMissing(t, srv, "person:test-a")
			got := decode[struct{ Entity struct{ Degree int } }](t,
				srv.post(`{ entity(id: "organization:test-org") { degree } }`, nil))
			if got.Entity.Degree != 0 {
				t.Errorf("deleting an entity left %d links at its neighbour", got.Entity.Degree)
			}
			checkResponse(t, srv.post(`mutation { deleteEntity(id: "person:test-a") }`, nil),
				gqlTest{ExpectedResult: `null`, ExpectedErrors: []wantError{{Path: "deleteEntity", Code: CodeNotFound}}})
		})
	})
}

func assertMissing(t *testing.T, srv *server, id string) {
	t.Helper()
	res := srv.post(`query($id: ID!) { entity(id: $id) { id } }`, map[string]any{"id": id})
	if got := res.codes(); !slices.Equal(got, []string{CodeNotFound}) {
		t.Errorf("entity %s: codes %v, want NOT_FOUND (it should not exist)", id, got)
	}
}
