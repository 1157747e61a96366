package schema

import (
	"cmp"
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/seed"
)

func dataset(t *testing.T) graph.Batch {
	t.Helper()
	b, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The three questions of the definition of done, as a newcomer asks
// them, with the answers the press release gives.
func TestNewcomerQuestions(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		runTests(t, srv, []gqlTest{
			{
				Name: "search seferovic",
				Query: `{ search(query: "seferovic", first: 1) {
					nodes { id name kind ... on Person { sanctioned } }
					edges { node { id } }
				} }`,
				ExpectedResult: `{"search": {
					"nodes": [{"id": "person:nusret-seferovic", "name": "Nusret Seferović", "kind": "PERSON", "sanctioned": true}],
					"edges": [{"node": {"id": "person:nusret-seferovic"}}]
				}}`,
			},
			{
				Name: "neighborhood of Burim Krasniqi",
				Query: `{ neighborhood(id: "person:burim-krasniqi") {
					nodes { id name }
					links { type role source { id } target { id } }
					truncated
				} }`,
				ExpectedResult: `{"neighborhood": {
					"nodes": [
						{"id": "person:burim-krasniqi", "name": "Burim Krasniqi"},
						{"id": "organization:krasniqi-network", "name": "Krasniqi network"}
					],
					"links": [{"type": "MEMBER_OF", "role": "leader",
						"source": {"id": "person:burim-krasniqi"}, "target": {"id": "organization:krasniqi-network"}}],
					"truncated": false
				}}`,
			},
			{
				Name: "paths between Vahid and Ali Derakhshan",
				Query: `{ paths(from: "person:vahid-derakhshan", to: "person:ali-derakhshan") {
					length
					nodes { id }
					links { type role }
				} }`,
				ExpectedResult: `{"paths": [{
					"length": 2,
					"nodes": [{"id": "person:vahid-derakhshan"}, {"id": "organization:alpa-network"}, {"id": "person:ali-derakhshan"}],
					"links": [{"type": "MEMBER_OF", "role": "financial activities"}, {"type": "MEMBER_OF", "role": "day-to-day operations"}]
				}]}`,
			},
			{
				Name: "entity with sources and designations",
				Query: `{ entity(id: "person:burim-krasniqi") {
					__typename id kind name aliases description degree sanctioned
					sources { documentId document { id title published } quote }
					designations { regime authority listedOn measures }
				} }`,
				ExpectedResult: `{"entity": {
					"__typename": "Person", "id": "person:burim-krasniqi", "kind": "PERSON", "name": "Burim Krasniqi",
					"aliases": [], "description": "Leader of the Krasniqi network.", "degree": 1, "sanctioned": true,
					"sources": [{"documentId": "document:uk-gim-sanctions-2025-10-23",
						"document": {"id": "document:uk-gim-sanctions-2025-10-23",
							"title": "UK government press release of 2025-10-23: Global Irregular Migration sanctions on Western Balkans people-smuggling networks and the ALPA finance network",
							"published": "2025-10-23"},
						"quote": "Burim Krasniqi, the leader of the Krasniqi network."}],
					"designations": [{"regime": "Global Irregular Migration", "authority": "UK", "listedOn": "2025-10-22",
						"measures": ["asset freeze", "travel ban"]}]
				}}`,
			},
			{
				Name:           "unknown entity is null with NOT_FOUND",
				Query:          `{ entity(id: "person:nobody") { id } }`,
				ExpectedResult: `{"entity": null}`,
				ExpectedErrors: []wantError{{Path: "entity", Code: CodeNotFound}},
			},
			{
				Name:           "unknown link is null with NOT_FOUND",
				Query:          `{ link(id: "nope") { id } document(id: "document:uk-gim-sanctions-2025-10-23") { publisher } }`,
				ExpectedResult: `{"link": null, "document": {"publisher": "UK government"}}`,
				ExpectedErrors: []wantError{{Path: "link", Code: CodeNotFound}},
			},
			{
				Name:           "neighborhood of an unknown entity",
				Query:          `{ neighborhood(id: "person:nobody") { truncated } stats { entities } }`,
				ExpectedErrors: []wantError{{Path: "neighborhood", Code: CodeNotFound}},
			},
			{
				Name: "link directions and types",
				Query: `{ entity(id: "organization:seferovic-gang") {
					out: links(direction: OUTGOING) { target { name } }
					in: links(direction: INCOMING) { source { name } }
					supplies: links(types: [SUPPLIES]) { id }
					members: links(types: [MEMBER_OF], direction: OUTGOING) { id }
				} }`,
				ExpectedResult: `{"entity": {
					"out": [{"target": {"name": "Kavač gang"}}, {"target": {"name": "Škaljari gang"}}],
					"in": [{"source": {"name": "Nusret Seferović"}}],
					"supplies": [{"id": "supplies:organization:seferovic-gang->organization:kavac-gang"},
						{"id": "supplies:organization:seferovic-gang->organization:skaljari-gang"}],
					"members": []
				}}`,
			},
			{
				Name:           "shared associates of the Derakhshans",
				Query:          `{ sharedAssociates(ids: ["person:vahid-derakhshan", "person:ali-derakhshan"]) { id } }`,
				ExpectedResult: `{"sharedAssociates": [{"id": "organization:alpa-network"}]}`,
			},
		})
	})
}

// TestSearchRanking checks search against the ranking graph.MatchScore
// defines, computed here over the seed data set.
func TestSearchRanking(t *testing.T) {
	type hit struct {
		id    string
		score float64
	}
	want := func(t *testing.T, text string) []hit {
		var hits []hit
		for _, e := range dataset(t).Entities {
			if s := graph.MatchScore(graph.FoldTokens(text), &e); s > 0 {
				hits = append(hits, hit{e.ID, s})
			}
		}
		slices.SortFunc(hits, func(a, b hit) int {
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		})
		return hits
	}
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		for _, text := range []string{"seferovic", "SEFEROVIĆ", "krasniqi", "derakshan", "kavac"} {
			exp := want(t, text)
			if len(exp) == 0 {
				t.Fatalf("%q matches nothing in the seed", text)
			}
			type conn struct {
				Search struct {
					TotalCount int
					Edges      []struct {
						Node  struct{ ID string }
						Score float64
					}
				}
			}
			got := decode[conn](t, srv.post(`query($q: String!) { search(query: $q, first: 100) { totalCount edges { node { id } score } } }`,
				map[string]any{"q": text}))
			if got.Search.TotalCount != len(exp) || len(got.Search.Edges) != len(exp) {
				t.Fatalf("search %q: %d hits (totalCount %d), want %v", text, len(got.Search.Edges), got.Search.TotalCount, exp)
			}
			for i, e := range got.Search.Edges {
				if e.Node.ID != exp[i].id || e.Score != exp[i].score {
					t.Errorf("search %q hit %d = %s %v, want %v", text, i, e.Node.ID, e.Score, exp[i])
				}
			}
		}
	})
}

// TestSearchPaging walks every page of a search with cursors, then checks
// that a cursor stays valid after the entity it points at is deleted.
func TestSearchPaging(t *testing.T) {
	type page struct {
		Search struct {
			TotalCount int
			Nodes      []struct{ ID string }
			Edges      []struct{ Cursor string }
			PageInfo   struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	const q = `query($after: String) { search(query: "krasniqi", first: 2, after: $after) {
		totalCount nodes { id } edges { cursor } pageInfo { hasNextPage endCursor } } }`
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		all := decode[page](t, srv.post(`{ search(query: "krasniqi", first: 100) { totalCount nodes { id } } }`, nil))
		if all.Search.TotalCount < 4 {
			t.Fatalf("want at least 4 Krasniqi hits in the seed, got %d", all.Search.TotalCount)
		}
		var ids []string
		var cursors []string
		var after any
		for range 10 {
			p := decode[page](t, srv.post(q, map[string]any{"after": after}))
			if p.Search.TotalCount != all.Search.TotalCount {
				t.Errorf("totalCount %d on a page, %d overall", p.Search.TotalCount, all.Search.TotalCount)
			}
			for i, n := range p.Search.Nodes {
				ids = append(ids, n.ID)
				cursors = append(cursors, p.Search.Edges[i].Cursor)
			}
			if !p.Search.PageInfo.HasNextPage {
				break
			}
			if p.Search.PageInfo.EndCursor == nil || *p.Search.PageInfo.EndCursor != cursors[len(cursors)-1] {
				t.Fatalf("endCursor %v is not the last edge's cursor %s", p.Search.PageInfo.EndCursor, cursors[len(cursors)-1])
			}
			after = *p.Search.PageInfo.EndCursor
		}
		var allIDs []string
		for _, n := range all.Search.Nodes {
			allIDs = append(allIDs, n.ID)
		}
		if !slices.Equal(ids, allIDs) {
			t.Fatalf("pages gave %v, one page gives %v", ids, allIDs)
		}

		// Delete the entity at the first cursor: the page after it must
		// still be the rest of the list.
		del := decode[struct{ DeleteEntity bool }](t, srv.post(`mutation($id: ID!) { deleteEntity(id: $id) }`,
			map[string]any{"id": ids[0]}))
		if !del.DeleteEntity {
			t.Fatal("deleteEntity returned false")
		}
		p := decode[page](t, srv.post(q, map[string]any{"after": cursors[0]}))
		var rest []string
		for _, n := range p.Search.Nodes {
			rest = append(rest, n.ID)
		}
		if !slices.Equal(rest, ids[1:3]) {
			t.Errorf("page after a deleted entity's cursor = %v, want %v", rest, ids[1:3])
		}

		bad := srv.post(q, map[string]any{"after": "not a cursor"})
		if got := bad.codes(); !slices.Equal(got, []string{CodeBadUserInput}) {
			t.Errorf("malformed cursor: codes %v, want BAD_USER_INPUT", got)
		}
	})
}

// TestNeighborhoodDepth checks a deeper neighbourhood against a breadth-first
// walk of the seed data set.
func TestNeighborhoodDepth(t *testing.T) {
	b := dataset(t)
	dist := map[string]int{"person:burim-krasniqi": 0}
	frontier := []string{"person:burim-krasniqi"}
	for d := 1; d <= 2; d++ {
		var next []string
		for _, id := range frontier {
			for _, l := range b.Links {
				if l.Source != id && l.Target != id {
					continue
				}
				o := l.Other(id)
				if _, ok := dist[o]; !ok {
					dist[o] = d
					next = append(next, o)
				}
			}
		}
		frontier = next
	}
	var want []string
	for id := range dist {
		want = append(want, id)
	}
	slices.SortFunc(want, func(a, b string) int {
		return cmp.Or(cmp.Compare(dist[a], dist[b]), cmp.Compare(a, b))
	})
	var wantLinks []string
	for _, l := range b.Links {
		_, s := dist[l.Source]
		_, t := dist[l.Target]
		if s && t {
			wantLinks = append(wantLinks, l.ID)
		}
	}
	slices.Sort(wantLinks)

	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		type sub struct {
			Neighborhood struct {
				Nodes []struct{ ID string }
				Links []struct {
					ID     string
					Source struct{ ID string }
				}
			}
		}
		got := decode[sub](t, srv.post(`{ neighborhood(id: "person:burim-krasniqi", depth: 2) { nodes { id } links { id source { id } } } }`, nil))
		var ids, links []string
		for _, n := range got.Neighborhood.Nodes {
			ids = append(ids, n.ID)
		}
		for _, l := range got.Neighborhood.Links {
			links = append(links, l.ID)
		}
		if !slices.Equal(ids, want) {
			t.Errorf("nodes %v, want %v", ids, want)
		}
		if !slices.Equal(links, wantLinks) {
			t.Errorf("links %v, want %v", links, wantLinks)
		}
	})
}

// TestStats compares the counts with the seed data set.
func TestStats(t *testing.T) {
	b := dataset(t)
	byKind := map[string]int{}
	for _, e := range b.Entities {
		byKind[string(e.Kind)]++
	}
	byType := map[string]int{}
	for _, l := range b.Links {
		byType[string(l.Type)]++
	}
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		type stats struct {
			Stats struct {
				Entities, Links int
				ByKind          []struct {
					Kind  string
					Count int
				}
				ByLinkType []struct {
					Type  string
					Count int
				}
			}
		}
		got := decode[stats](t, srv.post(`{ stats { entities links byKind { kind count } byLinkType { type count } } }`, nil)).Stats
		if got.Entities != len(b.Entities) || got.Links != len(b.Links) {
			t.Errorf("stats %d entities %d links, want %d and %d", got.Entities, got.Links, len(b.Entities), len(b.Links))
		}
		if len(got.ByKind) != len(graph.Kinds) || len(got.ByLinkType) != len(graph.LinkTypes) {
			t.Errorf("byKind/byLinkType do not list every kind and type: %+v", got)
		}
		for _, k := range got.ByKind {
			if k.Count != byKind[k.Kind] {
				t.Errorf("byKind %s = %d, want %d", k.Kind, k.Count, byKind[k.Kind])
			}
		}
		for _, k := range got.ByLinkType {
			if k.Count != byType[k.Type] {
				t.Errorf("byLinkType %s = %d, want %d", k.Type, k.Count, byType[k.Type])
			}
		}
	})
}
