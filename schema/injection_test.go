package schema

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/seed"
)

// injectionCorpus holds strings that would change the meaning of a Cypher
// query, a Lucene or full-text query, a JSON document or a web page if any
// layer pasted them into one, and unicode that layers are tempted to
// normalise. None has leading or trailing white space, which names and
// roles shed by design.
var injectionCorpus = []string{
	`' OR 1=1 //`,
	`"}) MATCH (n) DETACH DELETE n //`,
	`'}) MATCH (n) DETACH DELETE n RETURN 1 //`,
	"`x`) DETACH DELETE n //",
	`$param`,
	`${x}`,
	`{{x}} %s %n %d`,
	`C:\path\n\\server\"share\'`,
	`\u0041\x41`,
	`"quoted" 'single'`,
	`{"a":1}`,
	`[1, {"b": null}]`,
	`<script>alert(1)</script>`,
	`+title:krasniqi~ AND *wild?card^2 OR "phrase" -not NOT (a || b) && c [1 TO 5] {x TO y} /re.ex/ : \ !`,
	"line1\nline2\ttab\rret",
	"esc\u001b[31mred\u001b[0m bell\u0007",
	"\u202Eevil\u202C RTL \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
	"e\u0301 combining a\u0308 vs \u00e4",
	"emoji \U0001F46E\u200D\u2640\uFE0F \U0001F1E6\U0001F1F1 zero\u200Bwidth",
	"\uFEFFbom\u00a0nbsp",
	`-- DROP TABLE entities; /* comment */`,
	`person:x->organization:y`,
}

// injectionID makes an id of s when s is a valid id (no white space or
// control characters), else a plain one.
func injectionID(prefix string, i int, s string) string {
	if id := prefix + s; graph.ValidateID(id) == nil {
		return id
	}
	return fmt.Sprintf("%sinjection-%d", prefix, i)
}

const injectionEntity = `query($id: ID!) { entity(id: $id) {
	id name aliases countries description properties { key value }
	sources { documentId quote }
	designations { regime authority measures reason sources { documentId quote } }
} }`

const injectionLink = `query($id: ID!) { link(id: $id) {
	id role description properties { key value } sources { documentId quote } source { id } target { id }
} }`

// TestInjectionVerbatim writes every corpus string into every string field
// of the contract through the mutations, reads each back unchanged through
// the queries, searches for each without a syntax error, and finds the
// seed whole afterwards.
func TestInjectionVerbatim(t *testing.T) {
	seedBatch, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		type stats struct{ Stats struct{ Entities, Links int } }
		before := decode[stats](t, srv.post(`{ stats { entities links } }`, nil)).Stats

		var entities, links []any
		wantEntities := map[string]map[string]any{}
		wantLinks := map[string]map[string]any{}
		for i, s := range injectionCorpus {
			id := injectionID("person:", i, s)
			docID := injectionID("document:", i, s)
			src := []any{map[string]any{"document": docID, "quote": s}}
			in := map[string]any{
				"id": id, "kind": "PERSON", "name": s,
				"aliases":     []any{s + " alias"},
				"countries":   []any{s},
				"description": s,
				"properties":  []any{map[string]any{"key": s, "value": s}},
				"sources":     src,
				"designations": []any{map[string]any{
					"regime": s, "authority": s, "measures": []any{s}, "reason": s, "sources": src,
				}},
			}
			entities = append(entities, in)
			wantEntities[id] = map[string]any{
				"id": id, "name": s, "aliases": []any{s + " alias"}, "countries": []any{s}, "description": s,
				"properties": []any{map[string]any{"key": s, "value": s}},
				"sources":    []any{map[string]any{"documentId": docID, "quote": s}},
				"designations": []any{map[string]any{
					"regime": s, "authority": s, "measures": []any{s}, "reason": s,
					"sources": []any{map[string]any{"documentId": docID, "quote": s}},
				}},
			}
			// Each entity is linked to the previous one (the first to a
			// seed entity) by a link carrying the string too.
			prev := "person:ali-derakhshan"
			if i > 0 {
				prev = injectionID("person:", i-1, injectionCorpus[i-1])
			}
			linkID := injectionID("link:", i, s)
			links = append(links, map[string]any{
				"id": linkID, "type": "ASSOCIATE_OF", "source": id, "target": prev,
				"role": s, "description": s,
				"properties": []any{map[string]any{"key": s, "value": s}},
				"sources":    src,
			})
			wantLinks[linkID] = map[string]any{
				"id": linkID, "role": s, "description": s,
				"properties": []any{map[string]any{"key": s, "value": s}},
				"sources":    []any{map[string]any{"documentId": docID, "quote": s}},
				"source":     map[string]any{"id": id}, "target": map[string]any{"id": prev},
			}
		}
		for _, e := range entities {
			// One at a time, so that a failure names its string.
			res := srv.post(`mutation($input: [EntityInput!]!) { upsertEntities(input: $input) { id } }`, map[string]any{"input": []any{e}})
			if len(res.Errors) > 0 {
				t.Fatalf("upsert %q: %+v", e.(map[string]any)["name"], res.Errors)
			}
		}
		for _, l := range links {
			res := srv.post(`mutation($input: [LinkInput!]!) { upsertLinks(input: $input) { id } }`, map[string]any{"input": []any{l}})
			if len(res.Errors) > 0 {
				t.Fatalf("upsert link %q: %+v", l.(map[string]any)["role"], res.Errors)
			}
		}

		for id, want := range wantEntities {
			type res struct{ Entity map[string]any }
			got := decode[res](t, srv.post(injectionEntity, map[string]any{"id": id})).Entity
			if !reflect.DeepEqual(got, want) {
				t.Errorf("entity %q read back as\n%#v\nwant\n%#v", id, got, want)
			}
		}
		for id, want := range wantLinks {
			type res struct{ Link map[string]any }
			got := decode[res](t, srv.post(injectionLink, map[string]any{"id": id})).Link
			if !reflect.DeepEqual(got, want) {
				t.Errorf("link %q read back as\n%#v\nwant\n%#v", id, got, want)
			}
		}

		for i, s := range injectionCorpus {
			res := srv.post(`query($q: String!) { search(query: $q, first: 100) { nodes { id } } }`, map[string]any{"q": s})
			if len(graph.FoldTokens(s)) == 0 {
				// Nothing to search for: refused as bad input, never a syntax error.
				if got := res.codes(); !slices.Equal(got, []string{CodeBadUserInput}) {
					t.Errorf("search %q: codes %v, want BAD_USER_INPUT", s, got)
				}
				continue
			}
			type result struct {
				Search struct{ Nodes []struct{ ID string } }
			}
			var ids []string
			for _, n := range decode[result](t, res).Search.Nodes {
				ids = append(ids, n.ID)
			}
			if id := injectionID("person:", i, s); !slices.Contains(ids, id) {
				t.Errorf("search %q: %v lacks %s, which has that name", s, ids, id)
			}
		}

		after := decode[stats](t, srv.post(`{ stats { entities links } }`, nil)).Stats
		if after.Entities != before.Entities+len(injectionCorpus) || after.Links != before.Links+len(injectionCorpus) {
			t.Errorf("stats %+v after the corpus, want %+v plus %d of each", after, before, len(injectionCorpus))
		}
		var seedIDs []string
		for _, e := range seedBatch.Entities {
			seedIDs = append(seedIDs, e.ID)
		}
		type found struct{ Entities []struct{ ID, Name string } }
		got := decode[found](t, srv.post(`query($ids: [ID!]!) { entities(ids: $ids) { id name } }`, map[string]any{"ids": seedIDs})).Entities
		if len(got) != len(seedBatch.Entities) {
			t.Fatalf("%d of the %d seed entities left", len(got), len(seedBatch.Entities))
		}
		for i, e := range seedBatch.Entities {
			if got[i].ID != e.ID || got[i].Name != strings.TrimSpace(e.Name) {
				t.Errorf("seed entity %d is %+v, want %s %q", i, got[i], e.ID, e.Name)
			}
		}
	})
}
