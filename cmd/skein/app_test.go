package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/cmd/skein/internal/httpapi"
)

// startApp runs a real server on a free loopback port over a fresh
// embedded store in a temporary directory, seeded as on first start.
func startApp(t *testing.T, tokens string) *App {
	t.Helper()
	return startAppWith(t, func(c *serveConfig) { c.Tokens = tokens })
}

// startAppWith is startApp with settings changed by set.
func startAppWith(t *testing.T, set func(*serveConfig)) *App {
	t.Helper()
	cfg := serveConfig{Addr: "127.0.0.1:0", Timeout: 10 * time.Second}
	cfg.Store = storeConfig{Kind: "embedded", Data: t.TempDir()}
	set(&cfg)
	app, err := openApp(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Listen(cfg.Addr); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Serve() }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := app.Shutdown(ctx); err != nil && !app.closed {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if !app.closed {
			app.Close()
		}
	})
	return app
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, method, url, token, contentType string, body []byte) response {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func gql(t *testing.T, app *App, token, query string) (response, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	r := do(t, http.MethodPost, app.URL()+"/graphql", token, "application/json", body)
	var out map[string]any
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatalf("graphql response is not JSON (%d): %s", r.status, r.body)
	}
	return r, out
}

func errorCode(out map[string]any) string {
	errs, _ := out["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any)
	code, _ := ext["code"].(string)
	return code
}

func TestServeSeededStore(t *testing.T) {
	app := startApp(t, "")
	if r := do(t, http.MethodGet, app.URL()+"/healthz", "", "", nil); r.status != http.StatusOK {
		t.Fatalf("healthz %d", r.status)
	}
	if r := do(t, http.MethodGet, app.URL()+"/readyz", "", "", nil); r.status != http.StatusOK {
		t.Fatalf("readyz %d: %s", r.status, r.body)
	}
	r, out := gql(t, app, "", `{ search(query: "seferovic") { nodes { id name } } }`)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "Nusret Seferović") {
		t.Fatalf("search on the seeded store: %d %s", r.status, r.body)
	}
	if errorCode(out) != "" {
		t.Fatalf("unexpected error: %s", r.body)
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Fatalf("CSP header missing or weak: %q", csp)
	}
	// Unknown id: null and NOT_FOUND, with HTTP 200.
	r, out = gql(t, app, "", `{ entity(id: "person:nobody") { id } }`)
	if r.status != http.StatusOK || errorCode(out) != "NOT_FOUND" {
		t.Fatalf("unknown entity: %d %s", r.status, r.body)
	}
}

func TestExportOverHTTP(t *testing.T) {
	app := startApp(t, "")
	r := do(t, http.MethodGet, app.URL()+"/api/export/graphml?ids=person:burim-krasniqi&depth=1", "", "", nil)
	if r.status != http.StatusOK {
		t.Fatalf("export: %d %s", r.status, r.body)
	}
	if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, ".graphml") {
		t.Fatalf("Content-Disposition %q", cd)
	}
	if !bytes.Contains(r.body, []byte("Burim Krasniqi")) || !bytes.Contains(r.body, []byte("<graphml")) {
		t.Fatalf("export body lacks the entity: %.300s", r.body)
	}
	if r := do(t, http.MethodGet, app.URL()+"/api/export/pdf", "", "", nil); r.status != http.StatusBadRequest {
		t.Fatalf("unknown format: %d %s", r.status, r.body)
	}
	if r := do(t, http.MethodGet, app.URL()+"/api/export/json?ids=person:nobody", "", "", nil); r.status != http.StatusNotFound {
		t.Fatalf("unknown id: %d %s", r.status, r.body)
	}
}

func TestImportOverHTTP(t *testing.T) {
	app := startApp(t, "")
	body := []byte(`{"entities":[{"id":"person:test-import","kind":"PERSON","name":"Test Import"}],"links":[]}`)
	r := do(t, http.MethodPost, app.URL()+"/api/import?format=json", "", "application/json", body)
	if r.status != http.StatusOK {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	_, out := gql(t, app, "", `{ entity(id: "person:test-import") { name } }`)
	if got := out["data"].(map[string]any)["entity"].(map[string]any)["name"]; got != "Test Import" {
		t.Fatalf("imported entity not found: %v", out)
	}
	bad := []byte(`{"entities":[{"id":"person:ok","kind":"PERSON","name":"Ok"},{"id":"person:bad","kind":"ALIEN","name":"Bad"}]}`)
	r = do(t, http.MethodPost, app.URL()+"/api/import?format=json", "", "application/json", bad)
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), `"rows"`) || !strings.Contains(string(r.body), "ALIEN") {
		t.Fatalf("bad import must list the bad rows: %d %s", r.status, r.body)
	}
	_, out = gql(t, app, "", `{ entity(id: "person:ok") { name } }`)
	if errorCode(out) != "NOT_FOUND" {
		t.Fatalf("a failed import must write nothing: %v", out)
	}
}

const (
	viewerToken  = "viewer-token-0123456789"
	analystToken = "analyst-token-0123456789"
	editorToken  = "editor-token-0123456789"
	adminToken   = "admin-token-0123456789"
)

func TestAccessControl(t *testing.T) {
	app := startApp(t, "viewer:"+viewerToken+",analyst:"+analystToken+",editor:"+editorToken+",admin:"+adminToken)
	url := app.URL()
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := do(t, http.MethodGet, url+path, "", "", nil); r.status != http.StatusOK {
			t.Errorf("%s must stay open: %d", path, r.status)
		}
	}
	r, out := gql(t, app, "", `{ stats { entities } }`)
	if r.status != http.StatusUnauthorized || errorCode(out) != "UNAUTHENTICATED" {
		t.Fatalf("no token: %d %s", r.status, r.body)
	}
	if r, _ := gql(t, app, "wrong-token-0123456789", `{ stats { entities } }`); r.status != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", r.status)
	}
	if r := do(t, http.MethodGet, url+"/", "", "", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("UI without token: %d", r.status)
	}
	mutation := `mutation { upsertEntities(input: [{id: "person:acl", kind: PERSON, name: "Acl"}]) { id } }`
	analysis := `{ centrality(metric: DEGREE, top: 1) { score } }`
	cases := []struct {
		token                             string
		read, analyze, export, write, imp bool
	}{
		{viewerToken, true, false, false, false, false},
		{analystToken, true, true, true, false, false},
		{editorToken, true, true, true, true, true},
		{adminToken, true, true, true, true, true},
	}
	for _, c := range cases {
		_, out := gql(t, app, c.token, `{ stats { entities } }`)
		if got := errorCode(out) == ""; got != c.read {
			t.Errorf("%s read allowed=%v: %v", c.token, got, out)
		}
		_, out = gql(t, app, c.token, analysis)
		if got := errorCode(out) != "FORBIDDEN"; got != c.analyze {
			t.Errorf("%s analyze allowed=%v: %v", c.token, got, out)
		}
		_, out = gql(t, app, c.token, mutation)
		if got := errorCode(out) != "FORBIDDEN"; got != c.write {
			t.Errorf("%s write allowed=%v: %v", c.token, got, out)
		}
		r := do(t, http.MethodGet, url+"/api/export/json?ids=person:burim-krasniqi", c.token, "", nil)
		if got := r.status == http.StatusOK; got != c.export {
			t.Errorf("%s export allowed=%v (%d)", c.token, got, r.status)
		}
		r = do(t, http.MethodPost, url+"/api/import?format=json", c.token, "application/json", []byte(`{"entities":[]}`))
		if got := r.status != http.StatusForbidden; got != c.imp {
			t.Errorf("%s import allowed=%v (%d %s)", c.token, got, r.status, r.body)
		}
	}
}

func TestRefusesOpenNonLoopback(t *testing.T) {
	cfg := serveConfig{Addr: "0.0.0.0:0"}
	cfg.Store = storeConfig{Kind: "embedded", Data: t.TempDir()}
	_, err := openApp(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "without access tokens") {
		t.Fatalf("want a refusal, got %v", err)
	}
	if _, err := httpapi.ParseTokens("root:" + adminToken); err == nil {
		t.Fatal("unknown role accepted")
	}
	if _, err := httpapi.ParseTokens("admin:short"); err == nil {
		t.Fatal("short token accepted")
	}
}

// TestSeedAndExportCommands runs seed, export and import as a user would:
// seed reports the dataset's figures (seed/dataset.json, read here as plain
// JSON) and changes nothing the second time; an export imported into an
// empty directory leaves there exactly what the file holds.
func TestSeedAndExportCommands(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	dataset := jsonCounts(t, "../../seed/dataset.json")
	want := fmt.Sprintf("seeded: the store holds %d entities and %d links\n", dataset.entities, dataset.links)
	for range 2 {
		var out bytes.Buffer
		if err := run(ctx, []string{"seed", "--data", dir}, &out, io.Discard, log); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Fatalf("seed said %q, want %q (seed/dataset.json)", out.String(), want)
		}
	}
	file := dir + "/export.json"
	if err := run(ctx, []string{"export", "--data", dir, "--format", "json", "--ids", "person:vahid-derakhshan", "--depth", "2", "-o", file}, io.Discard, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	exported := jsonCounts(t, file)
	if exported.entities < 2 || exported.links < 1 || exported.documents < 1 {
		t.Fatalf("the export holds %+v: too little to test an import", exported)
	}
	dir2 := t.TempDir()
	var imp bytes.Buffer
	if err := run(ctx, []string{"import", "--data", dir2, file}, &imp, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%s: imported %d entities, %d links, %d documents\n", file, exported.entities, exported.links, exported.documents); imp.String() != want {
		t.Fatalf("import said %q, want %q", imp.String(), want)
	}
	sc := storeConfig{Kind: "embedded", Data: dir2}
	store, err := sc.open(ctx, log)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	st, err := store.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := store.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != exported.entities || st.Links != exported.links || len(docs) != exported.documents {
		t.Fatalf("after the import the store holds %d entities, %d links, %d documents; the file %+v", st.Entities, st.Links, len(docs), exported)
	}
	if err := run(ctx, []string{"export", "--data", dir, "--format", "nope"}, io.Discard, io.Discard, log); err == nil {
		t.Fatal("unknown format accepted")
	}
}

type counts struct{ documents, entities, links int }

// jsonCounts counts the records of a file in Skein's JSON shape (the seed
// dataset and JSON exports), read as plain JSON.
func jsonCounts(t *testing.T, path string) counts {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Documents, Entities, Links []json.RawMessage }
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return counts{len(v.Documents), len(v.Entities), len(v.Links)}
}
