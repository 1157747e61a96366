package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/cmd/skein/internal/audit"
)

func TestAuditTrailAfterMixedSession(t *testing.T) {
	tokens := "viewer:" + viewerToken + ",analyst:" + analystToken + ",editor:" + editorToken + ",admin:" + adminToken
	dir := t.TempDir()
	app := startAppWith(t, func(c *serveConfig) { c.Tokens = tokens; c.Store.Data = dir })
	url := app.URL()

	body, _ := json.Marshal(map[string]any{
		"query":         `query Who($q: String!) { search(query: $q) { totalCount } }`,
		"operationName": "Who",
		"variables":     map[string]any{"q": "krasniqi"},
	})
	do(t, http.MethodPost, url+"/graphql", viewerToken, "application/json", body)
	gql(t, app, viewerToken, `mutation { deleteEntity(id: "person:burim-krasniqi") }`) // forbidden
	do(t, http.MethodGet, url+"/api/export/json?ids=person:burim-krasniqi", analystToken, "", nil)
	do(t, http.MethodPost, url+"/api/import?format=json", editorToken, "application/json",
		[]byte(`{"entities":[{"id":"person:audit","kind":"PERSON","name":"Audit"}]}`))

	// Only admins read the trail.
	if r := do(t, http.MethodGet, url+"/api/audit", editorToken, "", nil); r.status != http.StatusForbidden {
		t.Fatalf("editor read the audit log: %d", r.status)
	}
	r := do(t, http.MethodGet, url+"/api/audit?first=10", adminToken, "", nil)
	if r.status != http.StatusOK {
		t.Fatalf("audit: %d %s", r.status, r.body)
	}
	var page audit.Page
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 6 {
		t.Fatalf("%d records, want 6: %s", len(page.Records), r.body)
	}
	// Newest first: the editor's refused audit read, import, the import's
	// record that a write starts, export, forbidden mutation, search.
	denied, imp, started, exp, mut, search := page.Records[0], page.Records[1], page.Records[2], page.Records[3], page.Records[4], page.Records[5]
	if denied.Kind != "audit" || denied.Status != http.StatusForbidden || denied.Outcome != "error:FORBIDDEN" || denied.Role != "editor" {
		t.Errorf("refused audit read %+v", denied)
	}
	if started.Kind != "import" || started.Outcome != "started" || started.Seq+1 != imp.Seq {
		t.Errorf("import start %+v", started)
	}
	if search.Kind != "graphql" || search.Operation != "Who" || !strings.Contains(search.Query, "search") ||
		!strings.Contains(string(search.Variables), "krasniqi") || search.Outcome != "ok" ||
		search.Role != "viewer" || search.ResultBytes == 0 || strings.Contains(search.Actor, viewerToken) {
		t.Errorf("search record %+v", search)
	}
	if mut.Outcome != "error:FORBIDDEN" || mut.Role != "viewer" {
		t.Errorf("forbidden mutation record %+v", mut)
	}
	if exp.Kind != "export" || exp.Role != "analyst" || !strings.Contains(exp.Target, "json") || exp.Outcome != "ok" {
		t.Errorf("export record %+v", exp)
	}
	if imp.Kind != "import" || imp.Role != "editor" || imp.Outcome != "ok" || imp.Target != "json" {
		t.Errorf("import record %+v", imp)
	}
	// Filter by actor, and page.
	r = do(t, http.MethodGet, url+"/api/audit?first=1&actor="+search.Actor, adminToken, "", nil)
	var byActor audit.Page
	if err := json.Unmarshal(r.body, &byActor); err != nil {
		t.Fatal(err)
	}
	if len(byActor.Records) != 1 || !byActor.HasNextPage || byActor.Records[0].Seq != mut.Seq {
		t.Fatalf("actor filter/paging: %s", r.body)
	}

	// The same trail through GraphQL, for admins only.
	q := `{ auditLog(first: 2, actor: "` + search.Actor + `") { nodes { seq kind role outcome operation } pageInfo { hasNextPage } } }`
	if _, out := gql(t, app, editorToken, q); errorCode(out) != "FORBIDDEN" {
		t.Fatalf("editor read auditLog: %v", out)
	}
	_, out := gql(t, app, adminToken, q)
	nodes := out["data"].(map[string]any)["auditLog"].(map[string]any)["nodes"].([]any)
	if len(nodes) != 2 {
		t.Fatalf("auditLog nodes: %v", out)
	}
	first := nodes[0].(map[string]any)
	second := nodes[1].(map[string]any)
	if first["outcome"] != "error:FORBIDDEN" || second["operation"] != "Who" || second["role"] != "viewer" {
		t.Fatalf("auditLog content: %v", out)
	}
}

func TestRateLimitPerToken(t *testing.T) {
	app := startAppWith(t, func(c *serveConfig) {
		c.Tokens = "viewer:" + viewerToken + ",analyst:" + analystToken
		c.Rate, c.Burst = 0.001, 3
	})
	var last response
	for range 4 {
		last, _ = gql(t, app, viewerToken, `{ stats { entities } }`)
	}
	if last.status != http.StatusTooManyRequests || !strings.Contains(string(last.body), "RATE_LIMITED") {
		t.Fatalf("4th request within the burst of 3: %d %s", last.status, last.body)
	}
	if ra := last.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("429 without a usable Retry-After: %q", ra)
	}
	// Another token has its own bucket.
	if r, _ := gql(t, app, analystToken, `{ stats { entities } }`); r.status != http.StatusOK {
		t.Fatalf("other token limited too: %d", r.status)
	}
}

// TestRateLimitRefills: once the bucket is empty the answer is 429 with
// Retry-After in whole seconds; after waiting that long, requests pass.
func TestRateLimitRefills(t *testing.T) {
	app := startAppWith(t, func(c *serveConfig) {
		c.Tokens = allTokens
		c.Rate, c.Burst = 2, 2
	})
	var last response
	for range 3 {
		last, _ = gql(t, app, viewerToken, `{ stats { entities } }`)
	}
	if last.status != http.StatusTooManyRequests {
		t.Fatalf("3rd request within a burst of 2: %d", last.status)
	}
	secs, err := strconv.Atoi(last.header.Get("Retry-After"))
	if err != nil || secs < 1 {
		t.Fatalf("Retry-After %q", last.header.Get("Retry-After"))
	}
	time.Sleep(time.Duration(secs) * time.Second)
	if r, _ := gql(t, app, viewerToken, `{ stats { entities } }`); r.status != http.StatusOK {
		t.Fatalf("after Retry-After the bucket has refilled: %d %s", r.status, r.body)
	}
	// The refusals are in the audit too.
	page := auditPage(t, app, "first=10")
	refused := 0
	for _, r := range page.Records {
		if r.Outcome == "error:RATE_LIMITED" && r.Status == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused != 1 {
		t.Fatalf("%d rate-limited records, want 1", refused)
	}
}
