package schema

import (
	"testing"
)

type findingPage struct {
	SanctionsOwnership struct {
		Nodes []struct {
			Asset struct{ ID string }
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   string
		}
	}
}

const ownershipSetup = `mutation($e: [EntityInput!]!, $l: [LinkInput!]!) {
	upsertEntities(input: $e) { id }
	upsertLinks(input: $l) { id }
}`

// loadOwnership writes a small structure whose shares are worked out by
// hand in TestOwnershipQueries: D (designated) holds 60% of A and 30% of
// C; A holds all of B and an unstated share of C; B holds 30% of C; C
// holds 10% of A (a cycle).
func loadOwnership(t *testing.T, srv *server) {
	t.Helper()
	q := func(id string) map[string]any { return map[string]any{"document": doc, "quote": id + " quote"} }
	ent := func(id, kind string) map[string]any {
		return map[string]any{"id": id, "kind": kind, "name": "Own " + id, "sources": []any{q(id)}}
	}
	d := ent("person:own-d", "PERSON")
	d["designations"] = []any{map[string]any{"regime": "Test", "authority": "UK", "sources": []any{q("designation")}}}
	own := func(id, from, to string, pct any) map[string]any {
		l := map[string]any{"id": id, "type": "OWNS", "source": from, "target": to, "sources": []any{q(id)}}
		if pct != nil {
			l["percentage"] = pct
		}
		return l
	}
	res := srv.post(ownershipSetup, map[string]any{
		"e": []any{d, ent("company:own-a", "COMPANY"), ent("company:own-b", "COMPANY"), ent("company:own-c", "COMPANY")},
		"l": []any{
			own("own:d-a", "person:own-d", "company:own-a", 60), own("own:d-c", "person:own-d", "company:own-c", 30),
			own("own:a-b", "company:own-a", "company:own-b", 100), own("own:a-c", "company:own-a", "company:own-c", nil),
			own("own:b-c", "company:own-b", "company:own-c", 30), own("own:c-a", "company:own-c", "company:own-a", 10),
		},
	})
	checkResponse(t, res, gqlTest{})
}

// TestOwnershipQueries runs holdings, owners and sanctionsOwnership over
// the structure of loadOwnership, on both stores.
func TestOwnershipQueries(t *testing.T) {
	// The chains with every hop's quotes cost more than the default limit
	// allows in one query (nested lists cost 20 each, unbounded).
	eachServer(t, Options{MaxCost: 1_000_000}, func(t *testing.T, srv *server) {
		loadOwnership(t, srv)
		var res *response

		// A: D-A 60 + D-C-A 30*10% = 63. B: D-A-B 60 + D-C-A-B 3 = 63.
		// C: D-C 30 + D-A-B-C 60%*100%*30% = 18 -> 48, and D-A-C unstated.
		res = srv.post(`{ holdings(id: "person:own-d") { asset { id } share direct complete
			paths { nodes { id } links { id sources { quote } } } unknownPaths { nodes { id } } } }`, nil)
		checkResponse(t, res, gqlTest{ExpectedResult: `{"holdings": [
			{"asset": {"id": "company:own-a"}, "share": 63, "direct": 60, "complete": true,
			 "paths": [{"nodes": [{"id": "person:own-d"}, {"id": "company:own-a"}], "links": [{"id": "own:d-a", "sources": [{"quote": "own:d-a quote"}]}]},
			           {"nodes": [{"id": "person:own-d"}, {"id": "company:own-c"}, {"id": "company:own-a"}],
			            "links": [{"id": "own:d-c", "sources": [{"quote": "own:d-c quote"}]}, {"id": "own:c-a", "sources": [{"quote": "own:c-a quote"}]}]}],
			 "unknownPaths": []},
			{"asset": {"id": "company:own-b"}, "share": 63, "direct": null, "complete": true,
			 "paths": [{"nodes": [{"id": "person:own-d"}, {"id": "company:own-a"}, {"id": "company:own-b"}], "links": [{"id": "own:d-a", "sources": [{"quote": "own:d-a quote"}]}, {"id": "own:a-b", "sources": [{"quote": "own:a-b quote"}]}]},
			           {"nodes": [{"id": "person:own-d"}, {"id": "company:own-c"}, {"id": "company:own-a"}, {"id": "company:own-b"}],
			            "links": [{"id": "own:d-c", "sources": [{"quote": "own:d-c quote"}]}, {"id": "own:c-a", "sources": [{"quote": "own:c-a quote"}]}, {"id": "own:a-b", "sources": [{"quote": "own:a-b quote"}]}]}],
			 "unknownPaths": []},
			{"asset": {"id": "company:own-c"}, "share": 48, "direct": 30, "complete": false,
			 "paths": [{"nodes": [{"id": "person:own-d"}, {"id": "company:own-a"}, {"id": "company:own-b"}, {"id": "company:own-c"}], "links": [{"id": "own:d-a", "sources": [{"quote": "own:d-a quote"}]}, {"id": "own:a-b", "sources": [{"quote": "own:a-b quote"}]}, {"id": "own:b-c", "sources": [{"quote": "own:b-c quote"}]}]},
			           {"nodes": [{"id": "person:own-d"}, {"id": "company:own-c"}], "links": [{"id": "own:d-c", "sources": [{"quote": "own:d-c quote"}]}]}],
			 "unknownPaths": [{"nodes": [{"id": "person:own-d"}, {"id": "company:own-a"}, {"id": "company:own-c"}]}]}
		]}`})

		// Owners of B at 50% or more: A holds 100 + (A-C-... no chain back
		// to B but through A) = 100; D 63. C holds B through C-A-B: 10.
		res = srv.post(`{ owners(id: "company:own-b", minShare: 50) { owner { id } share direct } }`, nil)
		checkResponse(t, res, gqlTest{ExpectedResult: `{"owners": [
			{"owner": {"id": "company:own-a"}, "share": 100, "direct": 100},
			{"owner": {"id": "person:own-d"}, "share": 63, "direct": null}
		]}`})

		res = srv.post(`{ sanctionsOwnership { totalCount pageInfo { hasNextPage }
			nodes { asset { id } share meetsThreshold unknownShares statement owners { owner { id } share } } } }`, nil)
		checkResponse(t, res, gqlTest{ExpectedResult: `{"sanctionsOwnership": {"totalCount": 3, "pageInfo": {"hasNextPage": false}, "nodes": [
			{"asset": {"id": "company:own-a"}, "share": 63, "meetsThreshold": true, "unknownShares": false,
			 "statement": "On the recorded OWNS links, a designated party holds 63% of Own company:own-a (integrated ownership): meets the ownership threshold (more than 50%).",
			 "owners": [{"owner": {"id": "person:own-d"}, "share": 63}]},
			{"asset": {"id": "company:own-b"}, "share": 63, "meetsThreshold": true, "unknownShares": false,
			 "statement": "On the recorded OWNS links, a designated party holds 63% of Own company:own-b (integrated ownership): meets the ownership threshold (more than 50%).",
			 "owners": [{"owner": {"id": "person:own-d"}, "share": 63}]},
			{"asset": {"id": "company:own-c"}, "share": 48, "meetsThreshold": false, "unknownShares": true,
			 "statement": "On the recorded OWNS links, a designated party holds 48% of Own company:own-c (integrated ownership): does not meet the ownership threshold (more than 50%) on stated percentages; some links do not state a percentage, so the share may be higher.",
			 "owners": [{"owner": {"id": "person:own-d"}, "share": 48}]}
		]}}`})

		// Paging: one finding per page, following the cursors.
		var ids []string
		after := ""
		for range 4 {
			res = srv.post(`query($after: String) { sanctionsOwnership(first: 1, after: $after) { nodes { asset { id } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after})
			page := decode[findingPage](t, res)
			for _, n := range page.SanctionsOwnership.Nodes {
				ids = append(ids, n.Asset.ID)
			}
			if !page.SanctionsOwnership.PageInfo.HasNextPage {
				break
			}
			after = page.SanctionsOwnership.PageInfo.EndCursor
		}
		if len(ids) != 3 || ids[0] != "company:own-a" || ids[1] != "company:own-b" || ids[2] != "company:own-c" {
			t.Errorf("pages: %v", ids)
		}

		res = srv.post(`{ holdings(id: "person:own-d", minShare: 101) { share } }`, nil)
		checkResponse(t, res, gqlTest{ExpectedErrors: []wantError{{Path: "holdings", Code: "BAD_USER_INPUT"}}})
		res = srv.post(`{ owners(id: "person:nobody") { share } }`, nil)
		checkResponse(t, res, gqlTest{ExpectedErrors: []wantError{{Path: "owners", Code: "NOT_FOUND"}}})
	})
}
