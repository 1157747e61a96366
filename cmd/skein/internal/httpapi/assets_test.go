package httpapi

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/skein-project/skein/cmd/skein/internal/audit"
	"github.com/skein-project/skein/graph/embedded"
	"github.com/skein-project/skein/seed"
)

// server serves the application over a seeded embedded store and the
// given UI files, open (no tokens) on a loopback test server.
func server(t *testing.T, assets fstest.MapFS) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	store, err := embedded.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := seed.Load(t.Context(), store); err != nil {
		t.Fatal(err)
	}
	log, err := audit.Open(filepath.Join(dir, "audit.log"), audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { log.Close() })
	h, err := New(store, Options{Assets: assets, Audit: log})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

func TestAssetsNeverListNorServeDotFiles(t *testing.T) {
	srv := server(t, fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html><title>Skein</title>")},
		".keep":              {Data: []byte("")},
		"assets/app-1234.js": {Data: []byte("console.log(1)")},
		"assets/.hidden":     {Data: []byte("secret")},
	})
	for path, want := range map[string]int{
		"/": 200, "/index.html": 301, "/assets/app-1234.js": 200,
		"/assets/": 404, "/assets": 404, "/.keep": 404, "/assets/.hidden": 404, "/nope.js": 404,
	} {
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s: %d, want %d: %.100s", path, res.StatusCode, want, b)
		}
		if strings.Contains(string(b), "app-1234.js") && path != "/assets/app-1234.js" {
			t.Errorf("%s lists the directory: %.200s", path, b)
		}
	}
	// An unbuilt UI: / says so rather than listing dist/.
	bare := server(t, fstest.MapFS{".keep": {Data: []byte("")}})
	if code, _, body := get(t, bare.URL+"/"); code != 404 || !strings.Contains(body, "not built") || strings.Contains(body, ".keep") {
		t.Errorf("unbuilt UI: %d %s", code, body)
	}
}

func TestExportFileName(t *testing.T) {
	srv := server(t, fstest.MapFS{})
	for path, want := range map[string]string{
		"/api/export/graphml?ids=person:burim-krasniqi": `filename="skein-export-person-burim-krasniqi.graphml"`,
		"/api/export/csv": `filename="skein-export.zip"`,
		"/api/export/ftm": `filename="skein-export.ftm.json"`,
	} {
		code, h, body := get(t, srv.URL+path)
		if code != 200 || !strings.Contains(h.Get("Content-Disposition"), want) || h.Get("Content-Length") != "" && h.Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("%s: %d %q (length %s of %d)", path, code, h.Get("Content-Disposition"), h.Get("Content-Length"), len(body))
		}
	}
}
