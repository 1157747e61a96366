package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestNeighborhoodOneQuery checks that a nested neighbourhood (nodes,
// links, their endpoints) is one store call and, on Neo4j, one Cypher
// query, and that selecting fewer fields changes no node, link or value
// that is selected.
func TestNeighborhoodOneQuery(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		// A hub with 12 members, each an associate of the next, and a
		// second ring one hop further out.
		var people, links []any
		for i := 1; i <= 12; i++ {
			id := fmt.Sprintf("person:sel-%02d", i)
			p := personInput(id, fmt.Sprintf("Selection Person %02d", i))
			p["aliases"] = []any{fmt.Sprintf("Sel %02d", i)}
			people = append(people, p)
			links = append(links, map[string]any{"type": "MEMBER_OF", "source": id, "target": "organization:sel-hub", "role": "member"})
			if i > 1 {
				links = append(links, map[string]any{"type": "ASSOCIATE_OF", "source": fmt.Sprintf("person:sel-%02d", i-1), "target": id})
			}
			far := fmt.Sprintf("person:sel-far-%02d", i)
			people = append(people, personInput(far, fmt.Sprintf("Far Person %02d", i)))
			links = append(links, map[string]any{"type": "FAMILY_OF", "source": far, "target": id, "startDate": "2001-02"})
		}
		people = append(people, map[string]any{"id": "organization:sel-hub", "kind": "ORGANIZATION", "name": "Selection Hub"})
		checkResponse(t, srv.post(upsertEntities, map[string]any{"input": people}), gqlTest{})
		checkResponse(t, srv.post(upsertLinks, map[string]any{"input": links}), gqlTest{})

		type node struct {
			ID, Kind, Name string
			Aliases        []string
		}
		type end struct{ ID, Name string }
		type link struct {
			ID, Type, Role, StartDate string
			Source, Target            end
		}
		type result struct {
			Neighborhood struct {
				Nodes     []node
				Links     []link
				Truncated bool
			}
		}
		query := func(fields string, limit int) result {
			t.Helper()
			q := `query($limit: Int!) { neighborhood(id: "organization:sel-hub", depth: 2, limit: $limit) { ` + fields + ` } }`
			c0, r0 := srv.store.calls.Load(), srv.store.roundTrips()
			got := decode[result](t, srv.post(q, map[string]any{"limit": limit}))
			if calls := srv.store.calls.Load() - c0; calls != 1 {
				t.Errorf("%s: %d store calls, want 1", fields, calls)
			}
			if r0 >= 0 {
				if trips := srv.store.roundTrips() - r0; trips != 1 {
					t.Errorf("%s: %d Cypher queries, want 1", fields, trips)
				}
			}
			return got
		}
		for _, limit := range []int{25, 10} {
			full := query(`nodes { id kind name aliases description properties { key } sources { quote } designations { regime } }
				links { id type role startDate endDate weight properties { key } sources { quote } source { id name } target { id name } } truncated`, limit)
			slim := query(`nodes { id name } links { id source { id } target { id name } } truncated`, limit)
			ids := query(`nodes { id } links { id type role source { id } target { id } } truncated`, limit)
			// Links' ids alone: a store may skip their type and ends.
			bare := query(`nodes { id } links { id } truncated`, limit)
			n := len(full.Neighborhood.Nodes)
			if want := min(limit, 25); n != want {
				t.Fatalf("limit %d: %d nodes, want %d", limit, n, want)
			}
			if full.Neighborhood.Truncated != (limit < 25) {
				t.Errorf("limit %d: truncated %v", limit, full.Neighborhood.Truncated)
			}
			for _, r := range []result{slim, ids, bare} {
				if len(r.Neighborhood.Nodes) != n || len(r.Neighborhood.Links) != len(full.Neighborhood.Links) ||
					r.Neighborhood.Truncated != full.Neighborhood.Truncated {
					t.Fatalf("limit %d: a smaller selection changed the answer: %d nodes, %d links; want %d, %d",
						limit, len(r.Neighborhood.Nodes), len(r.Neighborhood.Links), n, len(full.Neighborhood.Links))
				}
			}
			for i, fn := range full.Neighborhood.Nodes {
				if fn.Name == "" || fn.Kind == "" {
					t.Fatalf("limit %d: node %q without name or kind", limit, fn.ID)
				}
				if sn := slim.Neighborhood.Nodes[i]; sn.ID != fn.ID || sn.Name != fn.Name || len(sn.Aliases) != 0 {
					t.Errorf("limit %d: node %d is %+v with fewer fields, %+v with all", limit, i, sn, fn)
				}
				if ids.Neighborhood.Nodes[i].ID != fn.ID {
					t.Errorf("limit %d: node %d is %q with ids only, %q with all", limit, i, ids.Neighborhood.Nodes[i].ID, fn.ID)
				}
			}
			for i, fl := range full.Neighborhood.Links {
				sl, il := slim.Neighborhood.Links[i], ids.Neighborhood.Links[i]
				if sl.ID != fl.ID || sl.Source.ID != fl.Source.ID || sl.Target != fl.Target {
					t.Errorf("limit %d: link %d is %+v with fewer fields, %+v with all", limit, i, sl, fl)
				}
				if il.ID != fl.ID || il.Type != fl.Type || il.Role != fl.Role || il.Source.ID != fl.Source.ID {
					t.Errorf("limit %d: link %d is %+v with ids only, %+v with all", limit, i, il, fl)
				}
				if bl := bare.Neighborhood.Links[i]; bl != (link{ID: fl.ID}) {
					t.Errorf("limit %d: link %d is %+v with link ids only, want id %q", limit, i, bl, fl.ID)
				}
			}
			if !slices.ContainsFunc(full.Neighborhood.Links, func(l link) bool { return l.Role == "member" }) {
				t.Errorf("limit %d: no link with its role", limit)
			}
		}
	})
}

// TestSearchAsksTotalWhenRead checks that search tells the store whether
// the request reads totalCount (counting beyond the ranked candidates
// costs Neo4j a query), and that the answer is the same either way.
func TestSearchAsksTotalWhenRead(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		type result struct {
			Search struct {
				Nodes      []struct{ ID string }
				TotalCount int
			}
		}
		var ids [][]string
		for _, c := range []struct {
			fields string
			skip   bool
		}{
			{"nodes { id }", true},
			{"nodes { id } totalCount", false},
			{"nodes { id } ... on EntityConnection { totalCount }", false},
			{"edges { node { id } } pageInfo { hasNextPage }", true},
		} {
			res := decode[result](t, srv.post(`{ search(query: "krasniqi") { `+c.fields+` } }`, nil))
			if got := srv.store.skipTotal.Load(); got != c.skip {
				t.Errorf("%s: SkipTotal %v, want %v", c.fields, got, c.skip)
			}
			if !c.skip && res.Search.TotalCount == 0 {
				t.Errorf("%s: totalCount 0", c.fields)
			}
			var got []string
			for _, n := range res.Search.Nodes {
				got = append(got, n.ID)
			}
			if got != nil {
				ids = append(ids, got)
			}
		}
		for _, g := range ids[1:] {
			if !slices.Equal(g, ids[0]) {
				t.Errorf("search answers differ with the selection: %v vs %v", g, ids[0])
			}
		}
	})
}

// TestSearchSelection checks that search tells the store what the request
// reads of the entities, through nodes and through edges' node alike: on
// Neo4j a page read no further than the ranking reads (ids and kinds: the
// ranking scores each candidate's searchKey, whose names are folded) is one
// Cypher query, and one reading more fetches the page's entities by id; the
// entities and the values read are the same whatever else is selected.
func TestSearchSelection(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		type entity struct {
			ID, Kind, Name, Description string
			Aliases                     []string
		}
		type result struct {
			Search struct {
				Nodes []entity
				Edges []struct{ Node entity }
			}
		}
		var answers [][]entity
		for _, c := range []struct {
			fields string
			trips  int64
		}{
			{"nodes { id kind }", 1},
			{"edges { node { id kind } }", 1},
			{"nodes { id kind name aliases }", 2},
			{"edges { node { id kind name aliases } }", 2},
			{"nodes { id kind name aliases description }", 2},
			{"edges { node { id kind name aliases description } }", 2},
			{"nodes { id kind name aliases description countries properties { key } }", 2},
		} {
			r0 := srv.store.roundTrips()
			res := decode[result](t, srv.post(`{ search(query: "krasniqi", first: 5) { `+c.fields+` } }`, nil))
			if r0 >= 0 {
				if trips := srv.store.roundTrips() - r0; trips != c.trips {
					t.Errorf("%s: %d Cypher queries, want %d", c.fields, trips, c.trips)
				}
			}
			got := res.Search.Nodes
			for _, e := range res.Search.Edges {
				got = append(got, e.Node)
			}
			if len(got) == 0 {
				t.Fatalf("%s: no hits", c.fields)
			}
			answers = append(answers, got)
		}
		// answers: 0-1 ids and kinds, 2-3 with names, 4-6 with descriptions.
		slim, full := answers[2], answers[len(answers)-1]
		for i, a := range answers {
			if len(a) != len(full) {
				t.Fatalf("selection %d: %d hits, want %d", i, len(a), len(full))
			}
			for j, e := range a {
				f := full[j]
				if e.ID != f.ID || e.Kind != f.Kind {
					t.Errorf("selection %d, hit %d: %+v, want %+v", i, j, e, f)
				}
				if i >= 2 && (e.Name != f.Name || !slices.Equal(e.Aliases, f.Aliases)) {
					t.Errorf("selection %d, hit %d: names %q %q, want %q %q", i, j, e.Name, e.Aliases, f.Name, f.Aliases)
				}
				if i >= 4 && e.Description != f.Description {
					t.Errorf("selection %d, hit %d: description %q, want %q", i, j, e.Description, f.Description)
				}
			}
		}
		if !slices.ContainsFunc(full, func(e entity) bool { return e.Description != "" }) {
			t.Errorf("no hit with a description: %+v", full)
		}
		if len(slim) == 0 || slim[0].Name == "" {
			t.Errorf("a slim page lost its names: %+v", slim)
		}
	})
}

// TestLinkIDsOnlyRunsFast checks that a neighbourhood reading nothing of
// its links but their ids, which a store may then return without type or
// ends, is still answered by the fast executor, with the links' ids.
func TestLinkIDsOnlyRunsFast(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st graph.Store) {
		ctx := context.Background()
		b := graph.Batch{Entities: []graph.Entity{{ID: "organization:bare-hub", Kind: graph.KindOrganization, Name: "Bare Hub"}}}
		for i := range 3 {
			id := fmt.Sprintf("person:bare-%d", i)
			b.Entities = append(b.Entities, graph.Entity{ID: id, Kind: graph.KindPerson, Name: "Bare " + id})
			b.Links = append(b.Links, graph.Link{ID: fmt.Sprintf("link:bare-%d", i), Type: graph.LinkMemberOf, Source: id, Target: "organization:bare-hub"})
		}
		if err := st.Upsert(ctx, b); err != nil {
			t.Fatal(err)
		}
		sch, err := New(st, Options{})
		if err != nil {
			t.Fatal(err)
		}
		body, err := json.Marshal(map[string]any{"query": `{ neighborhood(id: "organization:bare-hub") { nodes { id } links { id } truncated } }`})
		if err != nil {
			t.Fatal(err)
		}
		before := sch.fastRuns.Load()
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		sch.ServeHTTP(rec, req)
		const want = `{"data":{"neighborhood":{"nodes":[{"id":"organization:bare-hub"},{"id":"person:bare-0"},{"id":"person:bare-1"},{"id":"person:bare-2"}],` +
			`"links":[{"id":"link:bare-0"},{"id":"link:bare-1"},{"id":"link:bare-2"}],"truncated":false}}}`
		if got := strings.TrimSpace(rec.Body.String()); rec.Code != http.StatusOK || got != want {
			t.Errorf("status %d, %s; want %s", rec.Code, got, want)
		}
		if sch.fastRuns.Load() == before {
			t.Error("the fast executor did not answer")
		}
	})
}
