package embedded_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/embedded"
)

func open(t *testing.T, dir string) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return s
}

func richBatch() graph.Batch {
	return graph.Batch{
		Documents: []graph.Document{{ID: "doc:1", Title: "Press release", Publisher: "HM Government", Published: "2025-10-23", License: "OGL-UK-3.0", Path: "sources/a.txt"}},
		Entities: []graph.Entity{
			{
				ID: "person:burim-krasniqi", Kind: graph.KindPerson, Name: "Burim Krasniqi",
				Aliases: []string{"B. K."}, Countries: []string{"XK"}, Description: "multi\nline",
				Properties: map[string]string{"k": "v", "empty": ""},
				Sources:    []graph.SourceRef{{Document: "doc:1", Quote: "Burim Krasniqi"}},
				Designations: []graph.Designation{{Regime: "GIM", Authority: "United Kingdom", ListedOn: "2025-10-22",
					Measures: []string{"asset freeze"}, Reason: "forgery", Sources: []graph.SourceRef{{Document: "doc:1", Quote: "designated"}}}},
			},
			{ID: "org:ring", Kind: graph.KindOrganization, Name: "Krasniqi Ring"},
			{ID: "company:seferović", Kind: graph.KindCompany, Name: "Seferović d.o.o."},
		},
		Links: []graph.Link{
			{ID: "l1", Type: graph.LinkMemberOf, Source: "person:burim-krasniqi", Target: "org:ring", Role: "leader", StartDate: "2020", Weight: 1.5,
				Properties: map[string]string{"p": "q"}, Sources: []graph.SourceRef{{Document: "doc:1", Quote: "leads"}}},
			{ID: "l2", Type: graph.LinkOwns, Source: "org:ring", Target: "company:seferović"},
			{ID: "l0", Type: graph.LinkLinkedTo, Source: "org:ring", Target: "org:ring"},
		},
	}
}

// state captures everything a store holds, to compare before and after a
// reopen.
type state struct {
	Snapshot  graph.Subgraph
	Documents []graph.Document
	Stats     graph.Stats
	LinksOf   map[string][]graph.Link
	Search    []string
}

func capture(t *testing.T, s graph.Store) state {
	t.Helper()
	ctx := context.Background()
	var st state
	var err error
	if st.Snapshot, err = s.Snapshot(ctx, graph.SnapshotQuery{}); err != nil {
		t.Fatal(err)
	}
	if st.Documents, err = s.Documents(ctx); err != nil {
		t.Fatal(err)
	}
	if st.Stats, err = s.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range st.Snapshot.Nodes {
		ids = append(ids, e.ID)
	}
	if st.LinksOf, err = s.LinksOf(ctx, ids, nil, graph.DirectionBoth, graph.When{}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Search(ctx, graph.SearchQuery{Text: "krasniqi", First: graph.MaxFirst})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		st.Search = append(st.Search, h.Entity.ID)
	}
	return st
}

func TestReopenRestoresGraph(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
	if err := s.Upsert(ctx, richBatch()); err != nil {
		t.Fatal(err)
	}
	extra := graph.Batch{
		Entities: []graph.Entity{{ID: "person:b", Kind: graph.KindPerson, Name: "Besa Krasniqi"}, {ID: "person:c", Kind: graph.KindPerson, Name: "Cen"}},
		Links:    []graph.Link{{Type: graph.LinkFamilyOf, Source: "person:b", Target: "person:burim-krasniqi"}, {ID: "l9", Type: graph.LinkAssociateOf, Source: "person:c", Target: "person:b"}},
	}
	if err := s.Upsert(ctx, extra); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteLink(ctx, "l2"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteEntity(ctx, "person:c"); err != nil {
		t.Fatal(err)
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: []graph.Entity{{ID: "person:m", Kind: graph.KindPerson, Name: "B. Krasniqi"}},
		Links: []graph.Link{{ID: "l5", Type: graph.LinkMemberOf, Source: "person:m", Target: "org:ring"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeEntities(ctx, "person:burim-krasniqi", []string{"person:m"}); err != nil {
		t.Fatal(err)
	}
	before := capture(t, s)
	if before.Stats.Entities != 4 || before.Stats.Links != 4 {
		t.Fatalf("unexpected state before reopen: %+v", before.Stats)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); !errors.Is(err, graph.ErrUnavailable) {
		t.Errorf("Ping after Close: %v, want ErrUnavailable", err)
	}
	if _, err := s.Entity(ctx, "org:ring"); !errors.Is(err, graph.ErrUnavailable) {
		t.Errorf("Entity after Close: %v, want ErrUnavailable", err)
	}

	s2 := open(t, dir)
	defer s2.Close()
	after := capture(t, s2)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("state changed across reopen:\nbefore %+v\nafter  %+v", before, after)
	}
	// The reopened store keeps working: adjacency stays in link-id order
	// when a link with a smaller id arrives after loading.
	if err := s2.Upsert(ctx, graph.Batch{Links: []graph.Link{{ID: "l00", Type: graph.LinkLinkedTo, Source: "org:ring", Target: "person:b"}}}); err != nil {
		t.Fatal(err)
	}
	ls, err := s2.LinksOf(ctx, []string{"org:ring"}, nil, graph.DirectionBoth, graph.When{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range ls["org:ring"] {
		ids = append(ids, l.ID)
	}
	if want := []string{"l0", "l00", "l1", "l5"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("links of org:ring after reopen and insert: %v, want %v", ids, want)
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestFailedWritesLeaveFileUnchanged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
	if err := s.Upsert(ctx, richBatch()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, embedded.FileName)
	h := fileHash(t, path)
	failures := map[string]error{
		"missing endpoint": s.Upsert(ctx, graph.Batch{
			Entities: []graph.Entity{{ID: "person:new", Kind: graph.KindPerson, Name: "New"}},
			Links:    []graph.Link{{ID: "lx", Type: graph.LinkAssociateOf, Source: "person:new", Target: "person:ghost"}},
		}),
		"bad entity":     s.Upsert(ctx, graph.Batch{Entities: []graph.Entity{{ID: "person:new", Kind: graph.KindPerson, Name: "New"}, {ID: "person:bad", Kind: "X", Name: "Bad"}}}),
		"delete unknown": s.DeleteEntity(ctx, "person:ghost"),
		"merge unknown": func() error {
			_, err := s.MergeEntities(ctx, "org:ring", []string{"person:burim-krasniqi", "person:ghost"})
			return err
		}(),
	}
	for name, err := range failures {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if fileHash(t, path) != h {
		t.Errorf("failed writes changed %s", path)
	}
	before := capture(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := open(t, dir)
	defer s2.Close()
	if after := capture(t, s2); !reflect.DeepEqual(before, after) {
		t.Errorf("state after failed writes and reopen:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestOpenRejectsUnknownRecordVersion(t *testing.T) {
	dir := t.TempDir()
	db, err := bolt.Open(filepath.Join(dir, embedded.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("entities"))
		if err != nil {
			return err
		}
		return b.Put([]byte("person:x"), []byte{99, 1, 'x'})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err := embedded.Open(context.Background(), dir); err == nil {
		_ = s.Close()
		t.Fatal("Open accepted a record of an unknown version")
	}
}

// killChildAfter runs the test child of this binary with env set to dir,
// reads the "<prefix> N" lines it prints as it acknowledges writes, and
// kills it (SIGKILL: no deferred code, no Close) once N reaches at least
// atLeast. It returns the last N acknowledged.
func killChildAfter(t *testing.T, child, env, dir, prefix string, atLeast int) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+child+"$")
	cmd.Env = append(os.Environ(), env+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := -1
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if n, ok := strings.CutPrefix(sc.Text(), prefix+" "); ok {
			acked, _ = strconv.Atoi(n)
			if acked >= atLeast {
				break
			}
		}
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if acked < atLeast {
		t.Fatalf("%s acknowledged only %d writes", child, acked)
	}
	return acked
}

// TestCrashMidWay kills a writing process at an arbitrary point and checks
// that on reopening every acknowledged batch is there and no batch is half
// applied.
func TestCrashMidWay(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	dir := t.TempDir()
	acked := killChildAfter(t, "TestCrashChild", "SKEIN_CRASH_CHILD_DIR", dir, "committed", 20)
	s := open(t, dir)
	defer s.Close()
	ctx := context.Background()
	for i := 0; ; i++ {
		ids := []string{fmt.Sprintf("person:c%04d-a", i), fmt.Sprintf("person:c%04d-b", i)}
		es, err := s.Entities(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		deg, err := s.Degrees(ctx, ids, graph.When{})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 {
			if i <= acked {
				t.Errorf("acknowledged batch %d lost", i)
			}
			break
		}
		if len(es) != 2 || deg[ids[0]] != 1 || deg[ids[1]] != 1 {
			t.Errorf("batch %d half applied: %d entities, degrees %v", i, len(es), deg)
		}
	}
}

// TestCrashChild is the writer killed by TestCrashMidWay.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("SKEIN_CRASH_CHILD_DIR")
	if dir == "" {
		t.Skip("run by TestCrashMidWay")
	}
	s, err := embedded.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		a, b := fmt.Sprintf("person:c%04d-a", i), fmt.Sprintf("person:c%04d-b", i)
		err := s.Upsert(context.Background(), graph.Batch{
			Entities: []graph.Entity{{ID: a, Kind: graph.KindPerson, Name: "A"}, {ID: b, Kind: graph.KindPerson, Name: "B"}},
			Links:    []graph.Link{{Type: graph.LinkAssociateOf, Source: a, Target: b}},
		})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("committed %d\n", i)
	}
}

// The store keeps its own copy of what it is given.
func TestUpsertCopiesInput(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	defer s.Close()
	b := richBatch()
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	b.Entities[0].Aliases[0] = "changed"
	b.Entities[0].Properties["k"] = "changed"
	b.Entities[0].Designations[0].Measures[0] = "changed"
	e, err := s.Entity(ctx, b.Entities[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if e.Aliases[0] == "changed" || e.Properties["k"] == "changed" || e.Designations[0].Measures[0] == "changed" {
		t.Errorf("the store shares memory with the caller's batch: %+v", e)
	}
}

// TestRecordsSurviveKill kills a process saving records and checks that on
// reopening every acknowledged save is there with its version and data.
func TestRecordsSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	dir := t.TempDir()
	acked := killChildAfter(t, "TestRecordsKillChild", "SKEIN_RECORD_CHILD_DIR", dir, "saved", 30)
	s := open(t, dir)
	defer s.Close()
	ctx := context.Background()
	// Save i creates record r<i> and updates "log" to version i+1.
	for i := 0; i <= acked; i++ {
		r, err := s.GetRecord(ctx, "cases", fmt.Sprintf("r%04d", i))
		if err != nil || string(r.Data) != fmt.Sprintf("save %d", i) {
			t.Errorf("acknowledged save %d: %q, %v", i, r.Data, err)
		}
	}
	r, err := s.GetRecord(ctx, "cases", "log")
	if err != nil {
		t.Fatal(err)
	}
	if r.Version < int64(acked)+1 || string(r.Data) != fmt.Sprintf("after save %d", r.Version-1) {
		t.Errorf("log record v%d %q after %d acknowledged saves", r.Version, r.Data, acked+1)
	}
}

// TestRecordsKillChild is the writer killed by TestRecordsSurviveKill.
func TestRecordsKillChild(t *testing.T) {
	dir := os.Getenv("SKEIN_RECORD_CHILD_DIR")
	if dir == "" {
		t.Skip("run by TestRecordsSurviveKill")
	}
	s, err := embedded.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; ; i++ {
		if _, err := s.PutRecord(ctx, graph.Record{Collection: "cases", ID: fmt.Sprintf("r%04d", i), Data: fmt.Appendf(nil, "save %d", i)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutRecord(ctx, graph.Record{Collection: "cases", ID: "log", Version: int64(i), Data: fmt.Appendf(nil, "after save %d", i)}); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("saved %d\n", i)
	}
}
