package schema

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// The time arguments through GraphQL, over a small dated graph beside the
// seed: p1 was a member of org from 2019-03 to 2020, p2 from 2021-05-01
// (open), and p1 knew p2 from 2018.
func TestTimeArguments(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		doc := []graph.SourceRef{{Document: "doc:uk-gim-sanctions-2025-10-23", Quote: "test"}}
		err := srv.store.Store.Upsert(context.Background(), graph.Batch{
			Entities: []graph.Entity{
				{ID: "person:t1", Kind: graph.KindPerson, Name: "T One", Properties: map[string]string{"birthDate": "1980"}},
				{ID: "person:t2", Kind: graph.KindPerson, Name: "T Two"},
				{ID: "organization:t", Kind: graph.KindOrganization, Name: "T Group"},
			},
			Links: []graph.Link{
				{ID: "t:m1", Type: graph.LinkMemberOf, Source: "person:t1", Target: "organization:t", StartDate: "2019-03", EndDate: "2020", Sources: doc},
				{ID: "t:m2", Type: graph.LinkMemberOf, Source: "person:t2", Target: "organization:t", StartDate: "2021-05-01", Sources: doc},
				{ID: "t:a", Type: graph.LinkAssociateOf, Source: "person:t1", Target: "person:t2", StartDate: "2018"},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		runTests(t, srv, []gqlTest{
			{Name: "neighborhood as of", Query: `{ neighborhood(id: "organization:t", asOf: "2020-06") { nodes { id } links { id } } }`,
				ExpectedResult: `{"neighborhood":{"nodes":[{"id":"organization:t"},{"id":"person:t1"}],"links":[{"id":"t:m1"}]}}`},
			{Name: "neighborhood during", Query: `{ neighborhood(id: "organization:t", during: {from: "2021"}) { links { id } } }`,
				ExpectedResult: `{"neighborhood":{"links":[{"id":"t:m2"}]}}`},
			// From t2 the way through the group takes m2 (2021) then m1
			// (2019): not in sequence.
			{Name: "paths chronological", Query: `{ all: paths(from: "person:t2", to: "person:t1") { links { id } }
				chrono: paths(from: "person:t2", to: "person:t1", chronological: true) { links { id } }
				forward: paths(from: "person:t1", to: "person:t2", chronological: true) { links { id } } }`,
				ExpectedResult: `{"all":[{"links":[{"id":"t:a"}]},{"links":[{"id":"t:m2"},{"id":"t:m1"}]}],"chrono":[{"links":[{"id":"t:a"}]}],` +
					`"forward":[{"links":[{"id":"t:a"}]},{"links":[{"id":"t:m1"},{"id":"t:m2"}]}]}`},
			{Name: "links and degree as of", Query: `{ entity(id: "organization:t") { links(asOf: "2022") { id } degree(asOf: "2022") d: degree } }`,
				ExpectedResult: `{"entity":{"links":[{"id":"t:m2"}],"degree":1,"d":2}}`},
			{Name: "sanctioned as of", Query: `{ entity(id: "person:burim-krasniqi") { before: sanctioned(asOf: "2025-10-21") on: sanctioned(asOf: "2025-10-22") designations(asOf: "2025-10-21") { regime } } }`,
				ExpectedResult: `{"entity":{"before":false,"on":true,"designations":[]}}`},
			{Name: "bad date", Query: `{ neighborhood(id: "organization:t", asOf: "2020-02-30") { nodes { id } } }`,
				ExpectedErrors: []wantError{{Path: "neighborhood", Code: CodeBadUserInput}}},
			{Name: "asOf and during", Query: `{ sharedAssociates(ids: ["person:t1", "person:t2"], asOf: "2020", during: {to: "2021"}) { id } }`,
				ExpectedErrors: []wantError{{Path: "sharedAssociates", Code: CodeBadUserInput}}},
			{Name: "timeline", Query: `{ timeline(ids: ["organization:t"], depth: 1) { totalCount events { date kind link { id } entity { id } } histogram(by: YEAR) { start count } } }`,
				ExpectedResult: `{"timeline":{"totalCount":5,"events":[` +
					`{"date":"1980","kind":"BORN","link":null,"entity":{"id":"person:t1"}},` +
					`{"date":"2018","kind":"LINK_STARTED","link":{"id":"t:a"},"entity":null},` +
					`{"date":"2019-03","kind":"LINK_STARTED","link":{"id":"t:m1"},"entity":null},` +
					`{"date":"2020","kind":"LINK_ENDED","link":{"id":"t:m1"},"entity":null},` +
					`{"date":"2021-05-01","kind":"LINK_STARTED","link":{"id":"t:m2"},"entity":null}],` +
					`"histogram":[{"start":"1980","count":1},{"start":"2018","count":1},{"start":"2019","count":1},{"start":"2020","count":1},{"start":"2021","count":1}]}}`},
		})
		res := srv.post(`{ neighborhood(id: "organization:t", asOf: "2020-02-30") { nodes { id } } }`, nil)
		if len(res.Errors) == 0 || !strings.Contains(res.Errors[0].Message, "2020-02-30") {
			t.Errorf("bad date error does not name the value: %+v", res.Errors)
		}
		// Paging the timeline two at a time gives the same events.
		var seen []string
		after := ""
		for range 10 {
			res := srv.post(`query($after: String) { timeline(ids: ["organization:t"], first: 2, after: $after) { events { date kind } pageInfo { hasNextPage endCursor } } }`,
				map[string]any{"after": after})
			var data struct {
				Timeline struct {
					Events   []struct{ Date, Kind string }
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
				}
			}
			if err := json.Unmarshal(res.Data, &data); err != nil || len(res.Errors) > 0 {
				t.Fatalf("%v %+v", err, res.Errors)
			}
			for _, e := range data.Timeline.Events {
				seen = append(seen, e.Date+" "+e.Kind)
			}
			if !data.Timeline.PageInfo.HasNextPage {
				break
			}
			after = data.Timeline.PageInfo.EndCursor
		}
		if got := strings.Join(seen, ","); got != "1980 BORN,2018 LINK_STARTED,2019-03 LINK_STARTED,2020 LINK_ENDED,2021-05-01 LINK_STARTED" {
			t.Errorf("paged timeline: %s", got)
		}
	})
}
