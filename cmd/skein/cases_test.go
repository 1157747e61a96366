package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/skein-project/skein/cmd/skein/internal/audit"
)

// TestCasesOverHTTP saves, reads and deletes a case through the real
// server with role tokens: owners and authors are the token's actor id,
// viewers read only, every case operation is in the audit trail, and
// /case/ID serves the UI.
func TestCasesOverHTTP(t *testing.T) {
	app := startApp(t, "viewer:"+viewerToken+",editor:"+editorToken+",admin:"+adminToken)
	url := app.URL()
	_, out := gql(t, app, editorToken, `mutation Save { saveCase(input: {title: "Krasniqi ring",
		items: [{entity: "person:burim-krasniqi", x: 1, y: 2, pinned: true}],
		notes: [{text: "leader", entity: "person:burim-krasniqi"}]}) { id owner version notes { author } } }`)
	if errorCode(out) != "" {
		t.Fatalf("saveCase: %v", out)
	}
	saved := out["data"].(map[string]any)["saveCase"].(map[string]any)
	id := saved["id"].(string)
	owner := saved["owner"].(string)
	if !strings.HasPrefix(owner, "editor:") || strings.Contains(owner, editorToken) || saved["version"].(float64) != 1 ||
		saved["notes"].([]any)[0].(map[string]any)["author"] != owner {
		t.Errorf("saved case %v", saved)
	}
	_, out = gql(t, app, viewerToken, `query Open { case(id: "`+id+`") { title items { entityId pinned x } } me { role canWrite } }`)
	if errorCode(out) != "" || !strings.Contains(mustJSON(t, out), `"pinned":true`) || !strings.Contains(mustJSON(t, out), `"canWrite":false`) {
		t.Errorf("viewer opens the case: %v", out)
	}
	_, out = gql(t, app, viewerToken, `mutation { saveCase(input: {id: "`+id+`", version: 1, title: "x"}) { id } }`)
	if errorCode(out) != "FORBIDDEN" {
		t.Errorf("viewer saves: %v", out)
	}
	_, out = gql(t, app, editorToken, `mutation { saveCase(input: {id: "`+id+`", version: 7, title: "x"}) { id } }`)
	if errorCode(out) != "CONFLICT" {
		t.Errorf("stale save: %v", out)
	}
	if r := do(t, http.MethodGet, url+"/case/"+id, viewerToken, "", nil); r.status != http.StatusOK && r.status != http.StatusNotFound ||
		r.status == http.StatusNotFound && !strings.Contains(string(r.body), "not built") {
		t.Errorf("/case/%s: %d %s", id, r.status, r.body)
	}
	// The case as ANX: its entities at the positions it saved.
	if r := do(t, http.MethodGet, url+"/api/export/anx?case="+id, editorToken, "", nil); r.status != http.StatusOK ||
		!strings.Contains(string(r.body), `<End X="1" Y="2">`) || !strings.Contains(string(r.body), `EntityId="person:burim-krasniqi"`) {
		t.Errorf("ANX of the case: %d %.300s", r.status, r.body)
	}
	if r := do(t, http.MethodGet, url+"/api/export/anx?case=no-such-case", editorToken, "", nil); r.status != http.StatusNotFound {
		t.Errorf("ANX of an unknown case: %d %.300s", r.status, r.body)
	}
	_, out = gql(t, app, adminToken, `mutation Drop { deleteCase(id: "`+id+`") }`)
	if errorCode(out) != "" {
		t.Errorf("admin deletes: %v", out)
	}

	r := do(t, http.MethodGet, url+"/api/audit?first=20", adminToken, "", nil)
	var page audit.Page
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatalf("audit %d: %v", r.status, err)
	}
	// Each operation's record: what it ran, who, and how it ended (writes
	// also leave a "started" record first).
	has := func(text, role, outcome string) bool {
		for _, rec := range page.Records {
			if rec.Kind == "graphql" && strings.Contains(rec.Query, text) && rec.Role == role && rec.Outcome == outcome {
				return true
			}
		}
		return false
	}
	for _, want := range [][3]string{
		{"saveCase(input: {title", "editor", "ok"},
		{"case(id:", "viewer", "ok"},
		{"saveCase(input: {id", "viewer", "error:FORBIDDEN"},
		{"version: 7", "editor", "error:CONFLICT"},
		{"deleteCase", "admin", "ok"},
	} {
		if !has(want[0], want[1], want[2]) {
			t.Errorf("no audit record of %q by %s with outcome %s", want[0], want[1], want[2])
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
