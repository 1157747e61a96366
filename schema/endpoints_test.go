package schema

import (
	"testing"
)

// TestLinkEndpointsLoadedWhenSelected: the far ends of an entity's links
// are loaded only when the query selects them, and two aliases of one links
// field, one with endpoints and one without, both get what they ask for.
func TestLinkEndpointsLoadedWhenSelected(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		people := []any{personInput("person:ep-a", "Endpoint Alpha"), personInput("person:ep-b", "Endpoint Beta"),
			personInput("person:ep-c", "Endpoint Gamma")}
		links := []any{
			map[string]any{"id": "link:ep-ab", "type": "ASSOCIATE_OF", "source": "person:ep-a", "target": "person:ep-b"},
			map[string]any{"id": "link:ep-ca", "type": "FAMILY_OF", "source": "person:ep-c", "target": "person:ep-a", "startDate": "2019-05-01"},
		}
		checkResponse(t, srv.post(upsertEntities, map[string]any{"input": people}), gqlTest{})
		checkResponse(t, srv.post(upsertLinks, map[string]any{"input": links}), gqlTest{})

		calls := func(q string) (int64, *response) {
			c0 := srv.store.calls.Load()
			res := srv.post(q, nil)
			return srv.store.calls.Load() - c0, res
		}
		bare, res := calls(`{ entity(id: "person:ep-a") { links { id type } } }`)
		checkResponse(t, res, gqlTest{})
		ends, res := calls(`{ entity(id: "person:ep-a") { links { id source { id } target { id name } } } }`)
		checkResponse(t, res, gqlTest{})
		if ends != bare+1 {
			t.Errorf("links without endpoints cost %d store calls, with endpoints %d: want exactly one more, the endpoints' load", bare, ends)
		}

		res = srv.post(`{ entity(id: "person:ep-a") {
			plain: links { id }
			full: links { id source { id name } target { id name } }
		} }`, nil)
		assertJSON(t, res.Data, `{"entity":{
			"plain":[{"id":"link:ep-ab"},{"id":"link:ep-ca"}],
			"full":[
				{"id":"link:ep-ab","source":{"id":"person:ep-a","name":"Endpoint Alpha"},"target":{"id":"person:ep-b","name":"Endpoint Beta"}},
				{"id":"link:ep-ca","source":{"id":"person:ep-c","name":"Endpoint Gamma"},"target":{"id":"person:ep-a","name":"Endpoint Alpha"}}
			]}}`)
		if len(res.Errors) > 0 {
			t.Fatalf("errors: %+v", res.Errors)
		}
		// The same field in the other order: the plain alias runs first.
		res = srv.post(`{ link(id: "link:ep-ca") { id } other: link(id: "link:ep-ca") { target { name } } }`, nil)
		assertJSON(t, res.Data, `{"link":{"id":"link:ep-ca"},"other":{"target":{"name":"Endpoint Alpha"}}}`)

		// A timeline's link events name neither end as the event's entity:
		// the ends are loaded for the selection below events.link.
		res = srv.post(`{ timeline(ids: ["person:ep-c"], depth: 1) { events { kind link { id source { name } target { name } } } } }`, nil)
		assertJSON(t, res.Data, `{"timeline":{"events":[
			{"kind":"LINK_STARTED","link":{"id":"link:ep-ca","source":{"name":"Endpoint Gamma"},"target":{"name":"Endpoint Alpha"}}}]}}`)
	})
}
