package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph/embedded"
)

// TestCLINextToServer: on a data directory a server holds, export says so
// and how to proceed; --server sends the work through the server instead.
func TestCLINextToServer(t *testing.T) {
	dir := t.TempDir()
	app := startAppWith(t, func(c *serveConfig) { c.Tokens = allTokens; c.Store.Data = dir })
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	out := filepath.Join(t.TempDir(), "out.json")

	err := run(ctx, []string{"export", "--data", dir, "--format", "json", "-o", out}, io.Discard, io.Discard, log)
	if err == nil || !strings.Contains(err.Error(), "skein serve") || !strings.Contains(err.Error(), "--server") {
		t.Fatalf("export on a held directory: %v", err)
	}

	err = run(ctx, []string{"export", "--server", app.URL(), "--token", analystToken, "--format", "json",
		"--ids", "person:burim-krasniqi", "-o", out}, io.Discard, io.Discard, log)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	if !bytes.Contains(b, []byte("Burim Krasniqi")) {
		t.Fatalf("export through the server: %.200s", b)
	}
	// Without a token the server's refusal is explained.
	err = run(ctx, []string{"export", "--server", app.URL(), "--format", "json", "-o", out}, io.Discard, io.Discard, log)
	if err == nil || !strings.Contains(err.Error(), "UNAUTHENTICATED") || !strings.Contains(err.Error(), "--token") {
		t.Fatalf("export without a token: %v", err)
	}

	file := filepath.Join(t.TempDir(), "new.json")
	os.WriteFile(file, []byte(`{"entities":[{"id":"person:via-server","kind":"PERSON","name":"Via Server"}]}`), 0o600)
	var stdout bytes.Buffer
	if err := run(ctx, []string{"import", "--server", app.URL(), "--token", editorToken, file}, &stdout, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	if !entityExists(t, app, "person:via-server") || !strings.Contains(stdout.String(), "imported 1 entities") {
		t.Fatalf("import through the server: %q", stdout.String())
	}
	if err := run(ctx, []string{"import", "--server", app.URL(), "--token", viewerToken, file}, io.Discard, io.Discard, log); err == nil || !strings.Contains(err.Error(), "FORBIDDEN") {
		t.Fatalf("viewer import through the server: %v", err)
	}
	stdout.Reset()
	if err := run(ctx, []string{"seed", "--server", app.URL(), "--token", editorToken}, &stdout, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "seeded through") {
		t.Fatalf("seed through the server: %q", stdout.String())
	}
}

// TestGenRefusesRealData: gen does not mix synthetic entities into a
// store holding the seed unless told --force.
func TestGenRefusesRealData(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	if err := run(ctx, []string{"seed", "--data", dir}, io.Discard, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	err := run(ctx, []string{"gen", "--data", dir, "--entities", "50"}, io.Discard, io.Discard, log)
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("gen into the seeded store: %v", err)
	}
	if err := run(ctx, []string{"gen", "--data", dir, "--entities", "50", "--force"}, io.Discard, io.Discard, log); err != nil {
		t.Fatalf("gen --force: %v", err)
	}
	empty := t.TempDir()
	for range 2 { // an empty or purely synthetic store is fine, twice
		if err := run(ctx, []string{"gen", "--data", empty, "--entities", "50"}, io.Discard, io.Discard, log); err != nil {
			t.Fatalf("gen into a synthetic store: %v", err)
		}
	}
}

// TestGenReportsWhatTheStoreHolds: the counts gen prints are the records
// the store holds afterwards (the bench harness's -reuse compares them).
func TestGenReportsWhatTheStoreHolds(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var stdout bytes.Buffer
	if err := run(ctx, []string{"gen", "--data", dir, "--entities", "2000", "--batch", "700"}, &stdout, io.Discard, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	var entities, links int
	if _, err := fmt.Sscanf(stdout.String(), "generated %d entities and %d links", &entities, &links); err != nil {
		t.Fatalf("gen printed %q: %v", stdout.String(), err)
	}
	s, err := embedded.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != entities || st.Links != links {
		t.Errorf("gen reported %d entities and %d links, the store holds %d and %d", entities, links, st.Entities, st.Links)
	}
}
