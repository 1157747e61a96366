package schema

import (
	"fmt"
	"testing"
)

// nestedQuery walks several levels of nested fields under a list whose size
// is $n: every level would cost a store call per item without batching.
const nestedQuery = `query($n: Int!) {
	search(query: "roundtrip", first: $n) {
		nodes {
			id degree
			sources { document { title } }
			links {
				type
				source { id degree links { id } }
				target { name sanctioned degree links(types: [MEMBER_OF]) { target { id } } }
			}
		}
	}
	neighborhood(id: "organization:rt-org", limit: $n) {
		nodes { degree links { target { id degree } } designations { sources { document { id } } } }
		links { source { name degree } target { name } }
	}
}`

// TestRoundTripsBounded runs the same nested query over 3 and over 20
// results: the number of store calls (and, on Neo4j, of Cypher round trips)
// must not grow with the result.
func TestRoundTripsBounded(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		// 25 people in one organisation, each an associate of the next.
		var people, links []any
		for i := 1; i <= 25; i++ {
			id := fmt.Sprintf("person:rt-%02d", i)
			people = append(people, personInput(id, fmt.Sprintf("Roundtrip Person %02d", i)))
			links = append(links, map[string]any{"type": "MEMBER_OF", "source": id, "target": "organization:rt-org"})
			if i > 1 {
				links = append(links, map[string]any{"type": "ASSOCIATE_OF", "source": fmt.Sprintf("person:rt-%02d", i-1), "target": id})
			}
		}
		people = append(people, map[string]any{"id": "organization:rt-org", "kind": "ORGANIZATION", "name": "RT org"})
		checkResponse(t, srv.post(upsertEntities, map[string]any{"input": people}), gqlTest{})
		checkResponse(t, srv.post(upsertLinks, map[string]any{"input": links}), gqlTest{})

		type result struct {
			Search struct {
				Nodes []struct {
					Links []struct{ Type string }
				}
			}
			Neighborhood struct {
				Nodes []struct{ Degree int }
				Links []struct{ Source struct{ Name string } }
			}
		}
		measure := func(n int) (calls, trips int64) {
			c0, r0 := srv.store.calls.Load(), srv.store.roundTrips()
			got := decode[result](t, srv.post(nestedQuery, map[string]any{"n": n}))
			calls, trips = srv.store.calls.Load()-c0, srv.store.roundTrips()-r0
			if len(got.Search.Nodes) != n || len(got.Neighborhood.Nodes) != n {
				t.Fatalf("n=%d: %d search nodes, %d neighbourhood nodes", n, len(got.Search.Nodes), len(got.Neighborhood.Nodes))
			}
			for _, node := range got.Search.Nodes {
				if len(node.Links) < 2 {
					t.Fatalf("n=%d: a node with %d links, want at least 2", n, len(node.Links))
				}
			}
			if len(got.Neighborhood.Links) < n-1 {
				t.Fatalf("n=%d: %d neighbourhood links, want at least %d", n, len(got.Neighborhood.Links), n-1)
			}
			if r0 >= 0 {
				t.Logf("n=%d: %d store calls, %d Cypher round trips", n, calls, trips)
			} else {
				t.Logf("n=%d: %d store calls", n, calls)
			}
			return calls, trips
		}
		small, smallTrips := measure(3)
		large, largeTrips := measure(20)
		if small != large {
			t.Errorf("store calls grow with the result: %d for 3 results, %d for 20", small, large)
		}
		if smallTrips != largeTrips {
			t.Errorf("Cypher round trips grow with the result: %d for 3 results, %d for 20", smallTrips, largeTrips)
		}
		// At most one call per loading field of the query (search,
		// neighborhood, document, and each degree, links, source and
		// target), whatever the number of results: 20 of them here.
		if large > 20 {
			t.Errorf("%d store calls, want at most 20", large)
		}
	})
}
