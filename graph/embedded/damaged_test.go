package embedded

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// TestDamagedFile opens a store whose file was truncated or overwritten:
// bbolt panicked with a stack trace; Open must fail with one line that
// names the file and says what to do.
func TestDamagedFile(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, path string, size int64)
	}{
		{"truncated to half", func(t *testing.T, path string, size int64) { truncate(t, path, size/2) }},
		{"truncated to a tenth", func(t *testing.T, path string, size int64) { truncate(t, path, size/10) }},
		{"truncated to a few bytes", func(t *testing.T, path string, size int64) { truncate(t, path, 100) }},
		{"meta pages overwritten", func(t *testing.T, path string, _ int64) { overwrite(t, path, 0, 8192) }},
		{"data pages overwritten", func(t *testing.T, path string, size int64) { overwrite(t, path, 8192, int(size)-8192) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := Open(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			b := graph.Batch{Documents: []graph.Document{{ID: "d", Title: "t"}}}
			for i := range 3000 {
				b.Entities = append(b.Entities, graph.Entity{ID: fmt.Sprintf("person:p-%d", i), Kind: graph.KindPerson,
					Name: fmt.Sprintf("Person %d", i), Sources: []graph.SourceRef{{Document: "d", Quote: "q"}}})
			}
			if err := s.Upsert(context.Background(), b); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, FileName)
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			tc.damage(t, path, fi.Size())
			s, err = Open(context.Background(), dir)
			if err == nil {
				_ = s.Close()
				t.Fatal("a damaged file opened")
			}
			msg := err.Error()
			if !errors.Is(err, graph.ErrUnavailable) || strings.Contains(msg, "\n") ||
				!strings.Contains(msg, path) || !strings.Contains(msg, "damaged") || !strings.Contains(msg, "backup") {
				t.Errorf("error %q: want one line naming %s, saying it is damaged and what to do", msg, path)
			}
		})
	}
}

func truncate(t *testing.T, path string, size int64) {
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func overwrite(t *testing.T, path string, at int64, n int) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", n/4+1))[:n]
	if _, err := f.WriteAt(junk, at); err != nil {
		t.Fatal(err)
	}
}
