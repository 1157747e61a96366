package schema

import (
	"fmt"
	"slices"
	"testing"
)

// TestSharedAssociatesSelection checks that sharedAssociates answers the
// same entities whatever it selects, each selected field with its value,
// in one store call and, on Neo4j, one Cypher query: the store is told
// what the request reads of the entities and may fetch only that.
func TestSharedAssociatesSelection(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		people := []any{personInput("person:shsel-a", "Shared Selection A"), personInput("person:shsel-b", "Shared Selection B")}
		var links []any
		for i := 1; i <= 4; i++ {
			id := fmt.Sprintf("person:shsel-%d", i)
			p := personInput(id, fmt.Sprintf("Shared Associate %d", i))
			p["aliases"] = []any{fmt.Sprintf("Associate %d", i)}
			p["description"] = fmt.Sprintf("associate number %d", i)
			people = append(people, p)
			links = append(links, map[string]any{"type": "ASSOCIATE_OF", "source": "person:shsel-a", "target": id})
			if i != 4 { // the fourth is A's alone
				links = append(links, map[string]any{"type": "ASSOCIATE_OF", "source": id, "target": "person:shsel-b"})
			}
		}
		checkResponse(t, srv.post(upsertEntities, map[string]any{"input": people}), gqlTest{})
		checkResponse(t, srv.post(upsertLinks, map[string]any{"input": links}), gqlTest{})

		type entity struct {
			ID, Kind, Name, Description string
			Aliases                     []string
			Sources                     []struct{ Quote string }
		}
		query := func(fields string) []entity {
			t.Helper()
			c0, r0 := srv.store.calls.Load(), srv.store.roundTrips()
			res := decode[struct{ SharedAssociates []entity }](t, srv.post(
				`{ sharedAssociates(ids: ["person:shsel-a", "person:shsel-b"]) { `+fields+` } }`, nil))
			if calls := srv.store.calls.Load() - c0; calls != 1 {
				t.Errorf("%s: %d store calls, want 1", fields, calls)
			}
			if r0 >= 0 {
				if trips := srv.store.roundTrips() - r0; trips != 1 {
					t.Errorf("%s: %d Cypher queries, want 1", fields, trips)
				}
			}
			return res.SharedAssociates
		}
		full := query("id kind name aliases description sources { quote }")
		want := []string{"person:shsel-1", "person:shsel-2", "person:shsel-3"}
		var got []string
		for _, e := range full {
			got = append(got, e.ID)
			if e.Kind != "PERSON" || e.Name == "" || e.Description == "" || len(e.Aliases) != 1 || len(e.Sources) != 1 {
				t.Errorf("whole %+v lacks a field", e)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("shared associates %v, want %v", got, want)
		}
		for _, fields := range []string{"id", "id name", "name aliases", "description kind", "sources { quote } id"} {
			part := query(fields)
			if len(part) != len(full) {
				t.Fatalf("%s: %d entities, want %d", fields, len(part), len(full))
			}
			for i, e := range part {
				f := full[i]
				if (e.ID != "" && e.ID != f.ID) || (e.Name != "" && e.Name != f.Name) || (e.Kind != "" && e.Kind != f.Kind) ||
					(e.Description != "" && e.Description != f.Description) ||
					(e.Aliases != nil && !slices.Equal(e.Aliases, f.Aliases)) || (e.Sources != nil && len(e.Sources) != len(f.Sources)) {
					t.Errorf("%s: entity %d is %+v, with all fields %+v", fields, i, e, f)
				}
			}
			// A selected field is never left empty by a smaller selection.
			for _, e := range part {
				for name, empty := range map[string]bool{"id": e.ID == "", "name": e.Name == "", "aliases": len(e.Aliases) == 0,
					"description": e.Description == "", "kind": e.Kind == "", "sources": len(e.Sources) == 0} {
					if empty && slices.Contains(splitFields(fields), name) {
						t.Errorf("%s: %s empty in %+v", fields, name, e)
					}
				}
			}
		}
	})
}

// splitFields is the top-level field names of a selection's text.
func splitFields(fields string) []string {
	var out []string
	depth := 0
	word := ""
	flush := func() {
		if word != "" && depth == 0 {
			out = append(out, word)
		}
		word = ""
	}
	for _, c := range fields {
		switch {
		case c == '{':
			flush()
			depth++
		case c == '}':
			flush()
			depth--
		case c == ' ':
			flush()
		default:
			word += string(c)
		}
	}
	flush()
	return out
}
