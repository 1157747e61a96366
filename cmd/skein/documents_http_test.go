package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// TestDocumentText serves the seed's source document byte for byte (read
// here from the repository's file), refuses an unknown document, and asks
// for a token like every other route.
func TestDocumentText(t *testing.T) {
	app := startApp(t, "viewer:viewer-token-0123456789")
	want, err := os.ReadFile(filepath.Join("..", "..", "seed", "sources", "uk-gim-sanctions-2025-10-23.txt"))
	if err != nil {
		t.Fatal(err)
	}
	url := app.URL() + "/api/documents/document:uk-gim-sanctions-2025-10-23/text"
	r := do(t, http.MethodGet, url, "viewer-token-0123456789", "", nil)
	if r.status != http.StatusOK {
		t.Fatalf("document text: %d %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if !bytes.Equal(r.body, want) {
		t.Fatalf("served text differs from seed/sources (%d vs %d bytes)", len(r.body), len(want))
	}
	if r := do(t, http.MethodGet, app.URL()+"/api/documents/document:nothing/text", "viewer-token-0123456789", "", nil); r.status != http.StatusNotFound {
		t.Fatalf("unknown document: %d %s", r.status, r.body)
	}
	if r := do(t, http.MethodGet, url, "", "", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("without a token: %d %s", r.status, r.body)
	}
}
