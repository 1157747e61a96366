package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/cmd/skein/internal/audit"
	"github.com/skein-project/skein/graph/formats"
	"github.com/skein-project/skein/graph/testenv"
)

const allTokens = "viewer:" + viewerToken + ",analyst:" + analystToken + ",editor:" + editorToken + ",admin:" + adminToken

// send makes a request with extra headers.
func send(t *testing.T, method, url string, headers map[string]string, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func auditPage(t *testing.T, app *App, query string) audit.Page {
	t.Helper()
	r := do(t, http.MethodGet, app.URL()+"/api/audit?"+query, adminToken, "", nil)
	if r.status != http.StatusOK {
		t.Fatalf("audit read: %d %s", r.status, r.body)
	}
	var page audit.Page
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatal(err)
	}
	return page
}

func entityExists(t *testing.T, app *App, id string) bool {
	t.Helper()
	_, out := gql(t, app, adminToken, `{ entity(id: "`+id+`") { id } }`)
	return errorCode(out) == ""
}

// TestAdversarialSession replays the attacks of issue 12 against a real
// server: each is refused, each is in the audit with its outcome, the
// audit stays bounded and readable, and the server restarts cleanly.
func TestAdversarialSession(t *testing.T) {
	dir := t.TempDir()
	app := startAppWith(t, func(c *serveConfig) { c.Tokens = allTokens; c.Store.Data = dir; c.Rate, c.Burst = 0.001, 30 })
	u := app.URL()
	json := "application/json"
	type want struct {
		kind, outcome string
		status        int
	}
	var wants []want

	// A viewer's ordinary query.
	gql(t, app, viewerToken, `{ stats { entities } }`)
	wants = append(wants, want{"graphql", "ok", 200})
	// No token, a wrong token.
	gql(t, app, "", `{ stats { entities } }`)
	wants = append(wants, want{"graphql", "error:UNAUTHENTICATED", 401})
	gql(t, app, "wrong-token-0123456789", `{ stats { entities } }`)
	wants = append(wants, want{"graphql", "error:UNAUTHENTICATED", 401})
	// A viewer's mutation: forbidden.
	gql(t, app, viewerToken, `mutation { deleteEntity(id: "person:burim-krasniqi") }`)
	wants = append(wants, want{"graphql", "error:FORBIDDEN", 200})
	// The poisoned audit: a 7 MiB refused query of '<' with huge unused
	// variables.
	poison := `{"query":"` + strings.Repeat("<", 7<<20) + `","variables":{"junk":"` + strings.Repeat("x", 512<<10) + `"}}`
	if r := do(t, http.MethodPost, u+"/graphql", viewerToken, json, []byte(poison)); r.status != http.StatusOK || !strings.Contains(string(r.body), "TOO_COMPLEX") {
		t.Fatalf("poisoned query: %d %.200s", r.status, r.body)
	}
	wants = append(wants, want{"graphql", "error:TOO_COMPLEX", 200})
	// An editor's mutation with bytes after the JSON body: 400, not run.
	trailing := `{"query":"mutation { upsertEntities(input: [{id: \"person:trailing\", kind: PERSON, name: \"T\"}]) { id } }"} x`
	if r := do(t, http.MethodPost, u+"/graphql", editorToken, json, []byte(trailing)); r.status != http.StatusBadRequest {
		t.Fatalf("trailing bytes: %d %s", r.status, r.body)
	}
	wants = append(wants, want{"graphql", "error:BAD_USER_INPUT", 400})
	// A cross-site import (an editor's browser on another site) and a
	// text/plain one.
	entity := `{"entities":[{"id":"person:planted","kind":"PERSON","name":"Planted"}]}`
	if r := send(t, http.MethodPost, u+"/api/import?format=json", map[string]string{
		"Authorization": "Bearer " + editorToken, "Origin": "http://127.0.0.1:1", "Content-Type": json,
	}, entity); r.status != http.StatusForbidden {
		t.Fatalf("cross-site import: %d %s", r.status, r.body)
	}
	wants = append(wants, want{"import", "error:FORBIDDEN", 403})
	if r := send(t, http.MethodPost, u+"/api/import?format=json", map[string]string{
		"Authorization": "Bearer " + editorToken, "Content-Type": "text/plain",
	}, entity); r.status != http.StatusBadRequest {
		t.Fatalf("text/plain import: %d %s", r.status, r.body)
	}
	wants = append(wants, want{"import", "error:BAD_USER_INPUT", 400})
	// A failed sign-in, an audit read by an editor.
	if r := send(t, http.MethodPost, u+"/auth/login", map[string]string{"Content-Type": json}, `{"token":"nope-nope-nope-nope"}`); r.status != http.StatusUnauthorized {
		t.Fatalf("failed sign-in: %d %s", r.status, r.body)
	}
	wants = append(wants, want{"signin", "error:UNAUTHENTICATED", 401})
	do(t, http.MethodGet, u+"/api/audit", editorToken, "", nil)
	wants = append(wants, want{"audit", "error:FORBIDDEN", 403})
	// An import too large (413) and a bad one (400).
	if status := oversizedImport(t, app); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("large import: %d", status)
	}
	wants = append(wants, want{"import", "error:TOO_COMPLEX", 413})
	bad := `{"entities":[{"id":"person:bad","kind":"ALIEN","name":"Bad"}]}`
	if r := do(t, http.MethodPost, u+"/api/import?format=json", editorToken, json, []byte(bad)); r.status != http.StatusBadRequest {
		t.Fatalf("bad import: %d %s", r.status, r.body)
	}
	wants = append(wants, want{"import", "started", 0}, want{"import", "error:BAD_USER_INPUT", 400})

	if entityExists(t, app, "person:trailing") || entityExists(t, app, "person:planted") || entityExists(t, app, "person:bad") {
		t.Fatal("a refused request wrote to the store")
	}
	wants = append(wants, want{"graphql", "error:NOT_FOUND", 200}, want{"graphql", "error:NOT_FOUND", 200}, want{"graphql", "error:NOT_FOUND", 200})

	page := auditPage(t, app, "first=100")
	if len(page.Records) != len(wants) {
		for _, r := range page.Records {
			t.Logf("%d %s %s %d", r.Seq, r.Kind, r.Outcome, r.Status)
		}
		t.Fatalf("%d records, want %d", len(page.Records), len(wants))
	}
	for i, w := range wants {
		r := page.Records[len(page.Records)-1-i]
		if r.Kind != w.kind || r.Outcome != w.outcome || (w.status != 0 && r.Status != w.status) {
			t.Errorf("record %d: %s %s %d, want %+v", r.Seq, r.Kind, r.Outcome, r.Status, w)
		}
	}
	poisoned := page.Records[len(page.Records)-5]
	if poisoned.QueryBytes != 7<<20 || !poisoned.QueryTruncated || len(poisoned.Query) > audit.MaxTextBytes || !poisoned.VariablesTruncated {
		t.Errorf("poisoned record not bounded: %d bytes kept of %d", len(poisoned.Query), poisoned.QueryBytes)
	}
	// The same through GraphQL: the full length and SHA-256 of what was sent.
	sum := sha256.Sum256([]byte(strings.Repeat("<", 7<<20)))
	_, out := gql(t, app, adminToken, `{ auditLog(first: 100) { nodes { seq queryBytes querySha256 queryTruncated variablesTruncated } } }`)
	found := false
	for _, n := range out["data"].(map[string]any)["auditLog"].(map[string]any)["nodes"].([]any) {
		m := n.(map[string]any)
		if int64(m["seq"].(float64)) == poisoned.Seq {
			found = m["queryBytes"].(float64) == 7<<20 && m["querySha256"] == hex.EncodeToString(sum[:]) &&
				m["queryTruncated"] == true && m["variablesTruncated"] == true
		}
	}
	if !found {
		t.Errorf("auditLog does not describe the poisoned query: %v", out)
	}

	// Every line of the file is bounded.
	f, err := os.Open(filepath.Join(dir, "audit.log"))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<10)
	lines := 0
	for sc.Scan() {
		lines++
	}
	f.Close()
	if err := sc.Err(); err != nil {
		t.Fatalf("audit line over 64 KiB: %v", err)
	}

	// Restart on the same data directory: the trail continues.
	app2 := restart(t, app, dir)
	after := auditPage(t, app2, "first=1")
	// Newest after the restart: the GraphQL read; before it, the REST read
	// that returned page.
	if len(after.Records) != 1 || after.Records[0].Seq != page.Records[0].Seq+2 || after.Records[0].Kind != "graphql" {
		t.Fatalf("after restart: %+v (before: %d lines)", after.Records, lines)
	}
}

// oversizedImport announces an import larger than the limit over a raw
// connection (no need to send it all) and returns the status.
func oversizedImport(t *testing.T, app *App) int {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(app.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/import?format=json HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n{", strings.TrimPrefix(app.URL(), "http://"), editorToken, formats.MaxImportBytes+1)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// restart stops app and serves its data directory again.
func restart(t *testing.T, app *App, dir string) *App {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := app.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := app.Close(); err != nil {
		t.Fatal(err)
	}
	app.closed = true
	return startAppWith(t, func(c *serveConfig) { c.Tokens = allTokens; c.Store.Data = dir })
}

// TestAuditFailsClosed serves with an audit log on a full disk
// (/dev/full): every request is refused with 503 AUDIT_UNAVAILABLE, and
// no write runs.
func TestAuditFailsClosed(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		testenv.Missing(t, "/dev/full (a device whose every write fails with ENOSPC)", "run the tests on Linux")
	}
	app := startAppWith(t, func(c *serveConfig) { c.Tokens = allTokens; c.AuditLog = "/dev/full" })
	body := `{"entities":[{"id":"person:unaudited","kind":"PERSON","name":"U"}]}`
	r := do(t, http.MethodPost, app.URL()+"/api/import?format=json", editorToken, "application/json", []byte(body))
	if r.status != http.StatusServiceUnavailable || !strings.Contains(string(r.body), "AUDIT_UNAVAILABLE") {
		t.Fatalf("import with a full audit disk: %d %s", r.status, r.body)
	}
	r, out := gql(t, app, editorToken, `mutation { upsertEntities(input: [{id: "person:unaudited2", kind: PERSON, name: "U"}]) { id } }`)
	if r.status != http.StatusServiceUnavailable || errorCode(out) != "AUDIT_UNAVAILABLE" {
		t.Fatalf("mutation with a full audit disk: %d %s", r.status, r.body)
	}
	r, out = gql(t, app, viewerToken, `{ stats { entities } }`)
	if r.status != http.StatusServiceUnavailable || (errorCode(out) != "AUDIT_UNAVAILABLE" && !strings.Contains(string(r.body), "AUDIT_UNAVAILABLE")) {
		t.Fatalf("query with a full audit disk: %d %s", r.status, r.body)
	}
	st, err := app.store.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"person:unaudited", "person:unaudited2"} {
		if _, err := app.store.Entity(t.Context(), id); err == nil {
			t.Errorf("%s was written without an audit record (%d entities)", id, st.Entities)
		}
	}
}

// TestOpenModeRefusesForeignHost: DNS rebinding gives a page on another
// name access to 127.0.0.1; a server without tokens answers only to
// loopback names.
func TestOpenModeRefusesForeignHost(t *testing.T) {
	app := startApp(t, "")
	for host, ok := range map[string]bool{"evil.example:80": false, "127.0.0.1.nip.io": false, "localhost": true, "[::1]:8080": true, "127.0.0.1": true} {
		r := send(t, http.MethodGet, app.URL()+"/api/audit", map[string]string{"Host": host}, "")
		if got := r.status == http.StatusOK; got != ok {
			t.Errorf("Host %s: %d %s", host, r.status, r.body)
		}
	}
	r := send(t, http.MethodPost, app.URL()+"/api/import?format=json", map[string]string{"Content-Type": "text/plain"},
		`{"entities":[{"id":"person:csrf","kind":"PERSON","name":"C"}]}`)
	if r.status != http.StatusBadRequest {
		t.Fatalf("text/plain import in open mode: %d %s", r.status, r.body)
	}
}

// TestSignInSessionAndSignOut: the cookie carries a session id, never the
// token; it authenticates until sign-out; failed sign-ins are limited.
func TestSignInSessionAndSignOut(t *testing.T) {
	app := startAppWith(t, func(c *serveConfig) { c.Tokens = allTokens })
	u := app.URL()
	self := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": u}
	form := url.Values{"token": {analystToken}}.Encode()
	r := send(t, http.MethodPost, u+"/auth/login", self, form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d %s", r.status, r.body)
	}
	cookie := r.header.Get("Set-Cookie")
	if !strings.Contains(cookie, "skein_session=") || strings.Contains(cookie, analystToken) || !strings.Contains(cookie, "HttpOnly") {
		t.Fatalf("cookie %q", cookie)
	}
	session := strings.SplitN(cookie, ";", 2)[0]
	withCookie := map[string]string{"Cookie": session, "Content-Type": "application/json"}
	r = send(t, http.MethodPost, u+"/graphql", withCookie, `{"query":"{ stats { entities } }"}`)
	if r.status != http.StatusOK {
		t.Fatalf("cookie authentication: %d %s", r.status, r.body)
	}
	// A form without Origin (not a browser) cannot sign in.
	if r := send(t, http.MethodPost, u+"/auth/login", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, form); r.status != http.StatusBadRequest {
		t.Fatalf("form sign-in without origin: %d", r.status)
	}
	// A cross-site sign-in is refused.
	if r := send(t, http.MethodPost, u+"/auth/login", map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"}, form); r.status != http.StatusForbidden {
		t.Fatalf("cross-site sign-in: %d", r.status)
	}
	r = send(t, http.MethodPost, u+"/auth/logout", map[string]string{"Cookie": session, "Content-Type": "application/json", "Origin": u}, "")
	if r.status != http.StatusOK {
		t.Fatalf("sign-out: %d %s", r.status, r.body)
	}
	r = send(t, http.MethodPost, u+"/graphql", withCookie, `{"query":"{ stats { entities } }"}`)
	if r.status != http.StatusUnauthorized {
		t.Fatalf("the session must end with sign-out: %d %s", r.status, r.body)
	}
	// Failed attempts from one address: past the burst, 429 with
	// Retry-After, even for the right token.
	var last response
	for range 12 {
		last = send(t, http.MethodPost, u+"/auth/login", map[string]string{"Content-Type": "application/json"}, `{"token":"wrong-wrong-wrong-wrong"}`)
	}
	if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
		t.Fatalf("repeated failed sign-ins: %d %s", last.status, last.body)
	}
	if r, _ := gql(t, app, adminToken, `{ stats { entities } }`); r.status != http.StatusTooManyRequests {
		t.Fatalf("guessing must stay blocked even for a right token: %d", r.status)
	}
}

// TestLargeResponseWithErrorsIsAuditedWithItsCodes: the codes come from
// the schema, not from re-reading the first 64 KiB of the response.
func TestLargeResponseWithErrorsIsAuditedWithItsCodes(t *testing.T) {
	app := startAppWith(t, func(c *serveConfig) { c.Tokens = allTokens })
	long := strings.Repeat("a long description of a test entity. ", 1500) // ~55 KiB
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation($d: String!) { upsertEntities(input: [{id: "person:long", kind: PERSON, name: "Long", description: $d}]) { id } }`,
		"variables": map[string]any{"d": long},
	})
	if r := do(t, http.MethodPost, app.URL()+"/graphql", editorToken, "application/json", body); r.status != http.StatusOK || strings.Contains(string(r.body), "errors") {
		t.Fatalf("upsert: %d %.300s", r.status, r.body)
	}
	r, _ := gql(t, app, viewerToken, `{ a: entity(id: "person:long") { description } b: entity(id: "person:long") { description } missing: entity(id: "person:nobody") { id } }`)
	if len(r.body) < 100<<10 || !strings.Contains(string(r.body), "NOT_FOUND") {
		t.Fatalf("want a response over 100 KiB with NOT_FOUND, got %d bytes", len(r.body))
	}
	var rec *audit.Record
	all := auditPage(t, app, "first=10")
	for i := range all.Records {
		if all.Records[i].Role == "viewer" {
			rec = &all.Records[i]
			break
		}
	}
	if rec == nil || rec.Outcome != "error:NOT_FOUND" || rec.ResultBytes != int64(len(r.body)) {
		t.Fatalf("record of a %d-byte response with an error: %+v", len(r.body), rec)
	}
	// The editor's mutation was recorded as started, with its query, before
	// it ran, then with its outcome.
	var started, done *audit.Record
	for i := range all.Records {
		if r := &all.Records[i]; r.Role == "editor" && r.Outcome == "started" {
			started = r
		} else if r.Role == "editor" {
			done = r
		}
	}
	if started == nil || done == nil || started.Seq+1 != done.Seq || !strings.Contains(started.Query, "upsertEntities") ||
		started.VariablesBytes != done.VariablesBytes || done.Outcome != "ok" {
		t.Fatalf("write records: started %+v, done %+v", started, done)
	}
}

// TestSecureCookieBehindProxy: with --secure-cookies (an HTTPS proxy in
// front) the session cookie is Secure; without, over plain HTTP, it is not.
func TestSecureCookieBehindProxy(t *testing.T) {
	for _, secure := range []bool{false, true} {
		app := startAppWith(t, func(c *serveConfig) { c.Tokens = allTokens; c.SecureCookies = secure })
		r := send(t, http.MethodPost, app.URL()+"/auth/login", map[string]string{"Content-Type": "application/json"}, `{"token":"`+viewerToken+`"}`)
		cookie := r.header.Get("Set-Cookie")
		if r.status != http.StatusOK || strings.Contains(cookie, "Secure") != secure || !strings.Contains(cookie, "SameSite=Strict") {
			t.Errorf("secure=%v: %d %q", secure, r.status, cookie)
		}
	}
}
