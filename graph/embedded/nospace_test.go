//go:build linux

package embedded

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"

	"github.com/skein-project/skein/graph"
)

// TestNoSpace fills the store's file system: in a child process whose
// file-size limit (RLIMIT_FSIZE) is 1 MiB, a large write must fail with
// graph.ErrStorageFull (code STORAGE_FULL), not an internal error, leave
// the store as it was and keep it usable.
func TestNoSpace(t *testing.T) {
	if os.Getenv("SKEIN_NOSPACE_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestNoSpace$", "-test.count=1")
		cmd.Env = append(os.Environ(), "SKEIN_NOSPACE_CHILD="+t.TempDir())
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "PASS") {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return
	}
	dir := os.Getenv("SKEIN_NOSPACE_CHILD")
	ctx := context.Background()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	doc := []graph.Document{{ID: "d", Title: "t"}}
	small := graph.Batch{Documents: doc, Entities: []graph.Entity{{ID: "person:first", Kind: graph.KindPerson, Name: "First",
		Sources: []graph.SourceRef{{Document: "d", Quote: "q"}}}}}
	if err := s.Upsert(ctx, small); err != nil {
		t.Fatal(err)
	}
	// Past the limit a write fails with EFBIG rather than killing the process.
	signal.Ignore(syscall.SIGXFSZ)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 1 << 20, Max: 1 << 20}); err != nil {
		t.Fatal(err)
	}
	big := graph.Batch{Documents: doc}
	for i := range 20000 {
		big.Entities = append(big.Entities, graph.Entity{ID: fmt.Sprintf("person:p-%d", i), Kind: graph.KindPerson,
			Name: fmt.Sprintf("Person %d", i), Description: strings.Repeat("x", 200), Sources: []graph.SourceRef{{Document: "d", Quote: "q"}}})
	}
	err = s.Upsert(ctx, big)
	if !errors.Is(err, graph.ErrStorageFull) || graph.Code(err) != graph.CodeStorageFull {
		t.Fatalf("write past the limit: %v (code %s), want ErrStorageFull", err, graph.Code(err))
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Entities != 1 {
		t.Fatalf("after the failed write: %+v, %v; want the one entity written before", st, err)
	}
	if _, err := s.Entity(ctx, "person:first"); err != nil {
		t.Fatal(err)
	}
}
