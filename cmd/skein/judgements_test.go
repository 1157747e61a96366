package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/embedded"
	"github.com/skein-project/skein/seed"
)

// installation is an embedded store in dir, seeded, with two fixture
// records that duplicate seed people (test data, not seed facts).
func installation(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	s, err := embedded.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := seed.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	err = s.Upsert(ctx, graph.Batch{Entities: []graph.Entity{
		{ID: "person:fixture-1", Kind: graph.KindPerson, Name: "Nusret Seferovic"},
		{ID: "person:fixture-2", Kind: graph.KindPerson, Name: "Vahid Derakhshan"},
	}})
	if err != nil {
		t.Fatal(err)
	}
}

func withStore(t *testing.T, dir string, fn func(s *embedded.Store)) {
	t.Helper()
	s, err := embedded.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fn(s)
}

func xrefPairs(t *testing.T, s *embedded.Store) []string {
	t.Helper()
	page, err := graph.Xref(context.Background(), s, s, graph.XrefQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range page.Pairs {
		out = append(out, p.A.ID+"~"+p.B.ID)
	}
	return out
}

// TestJudgementsExportImport: decisions taken on one installation, exported
// with "skein judgements export", imported into another with "skein
// judgements import", act there: the DIFFERENT pair leaves xref, the SAME
// pair is merged; importing again changes nothing.
func TestJudgementsExportImport(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	a, b := t.TempDir(), t.TempDir()
	installation(t, a)
	installation(t, b)
	withStore(t, a, func(s *embedded.Store) {
		now := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
		if _, err := graph.Judge(ctx, s, s, "person:nusret-seferovic", "person:fixture-1", graph.VerdictDifferent, "editor:a", now); err != nil {
			t.Fatal(err)
		}
		if _, err := graph.Judge(ctx, s, s, "person:vahid-derakhshan", "person:fixture-2", graph.VerdictSame, "editor:a", now); err != nil {
			t.Fatal(err)
		}
	})
	file := filepath.Join(t.TempDir(), "judgements.json")
	if err := run(ctx, []string{"judgements", "export", "--data", a, "-o", file}, io.Discard, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	var f graph.JudgementFile
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &f); err != nil || f.Format != graph.JudgementFormat || len(f.Judgements) != 2 {
		t.Fatalf("exported file: %v %s", err, data)
	}
	withStore(t, b, func(s *embedded.Store) {
		if got := xrefPairs(t, s); strings.Join(got, " ") != "person:fixture-1~person:nusret-seferovic person:fixture-2~person:vahid-derakhshan" {
			t.Fatalf("xref before import: %v", got)
		}
	})
	var out bytes.Buffer
	if err := run(ctx, []string{"judgements", "import", "--data", b, file}, &out, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2 saved, 0 skipped") || !strings.Contains(out.String(), "1 pairs merged") {
		t.Errorf("import said %q", out.String())
	}
	withStore(t, b, func(s *embedded.Store) {
		if got := xrefPairs(t, s); len(got) != 0 {
			t.Errorf("xref after import: %v, want none", got)
		}
		if _, err := s.Entity(ctx, "person:fixture-2"); err == nil {
			t.Error("the SAME pair was not merged")
		}
		e, err := s.Entity(ctx, "person:vahid-derakhshan")
		if err != nil || len(e.Designations) == 0 {
			t.Errorf("merged entity: %+v %v", e, err)
		}
	})
	out.Reset()
	if err := run(ctx, []string{"judgements", "import", "--data", b, file}, &out, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "0 saved, 2 skipped") {
		t.Errorf("second import said %q", out.String())
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format":"other","judgements":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"judgements", "import", "--data", b, bad}, io.Discard, io.Discard, log); err == nil || !strings.Contains(err.Error(), "format") {
		t.Errorf("a file of another format: %v", err)
	}
}
