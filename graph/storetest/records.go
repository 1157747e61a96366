package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/skein-project/skein/graph"
)

// RunRecords runs the conformance suite of graph.Records. Each subtest
// calls open for a fresh, empty store.
func RunRecords(t *testing.T, open func(t *testing.T) graph.Records) {
	t.Run("CreateGetUpdate", func(t *testing.T) { testRecordVersions(t, open(t)) })
	t.Run("List", func(t *testing.T) { testRecordList(t, open(t)) })
	t.Run("Delete", func(t *testing.T) { testRecordDelete(t, open(t)) })
	t.Run("Invalid", func(t *testing.T) { testRecordInvalid(t, open(t)) })
	t.Run("OutsideGraph", func(t *testing.T) { testRecordOutsideGraph(t, open(t)) })
	t.Run("ConcurrentSaves", func(t *testing.T) { testRecordConcurrent(t, open(t)) })
}

func mustPut(t *testing.T, s graph.Records, r graph.Record) graph.Record {
	t.Helper()
	got, err := s.PutRecord(context.Background(), r)
	if err != nil {
		t.Fatalf("PutRecord(%s/%s v%d): %v", r.Collection, r.ID, r.Version, err)
	}
	return got
}

func checkRecord(t *testing.T, s graph.Records, collection, id string, version int64, data []byte) {
	t.Helper()
	got, err := s.GetRecord(context.Background(), collection, id)
	if err != nil {
		t.Fatalf("GetRecord(%s/%s): %v", collection, id, err)
	}
	if got.Collection != collection || got.ID != id || got.Version != version || !bytes.Equal(got.Data, data) {
		t.Errorf("GetRecord(%s/%s) = %s/%s v%d %q, want v%d %q", collection, id, got.Collection, got.ID, got.Version, got.Data, version, data)
	}
}

func testRecordVersions(t *testing.T, s graph.Records) {
	ctx := context.Background()
	if _, err := s.GetRecord(ctx, "cases", "c1"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("GetRecord of a missing record: %v, want ErrNotFound", err)
	}
	first := []byte(`{"title":"Krasniqi ring"}`)
	got := mustPut(t, s, graph.Record{Collection: "cases", ID: "c1", Data: first})
	if got.Version != 1 || !bytes.Equal(got.Data, first) {
		t.Errorf("created record: v%d %q, want v1 %q", got.Version, got.Data, first)
	}
	checkRecord(t, s, "cases", "c1", 1, first)

	// Creating it again is a conflict, and changes nothing.
	if _, err := s.PutRecord(ctx, graph.Record{Collection: "cases", ID: "c1", Data: []byte("again")}); !errors.Is(err, graph.ErrConflict) {
		t.Errorf("second create: %v, want ErrConflict", err)
	}
	second := []byte(`{"title":"Krasniqi ring","notes":["forgery"]}`)
	got = mustPut(t, s, graph.Record{Collection: "cases", ID: "c1", Version: 1, Data: second})
	if got.Version != 2 {
		t.Errorf("updated record: v%d, want v2", got.Version)
	}
	// A save based on version 1, after version 2 was saved, loses nothing
	// silently: it fails.
	if _, err := s.PutRecord(ctx, graph.Record{Collection: "cases", ID: "c1", Version: 1, Data: []byte("stale")}); !errors.Is(err, graph.ErrConflict) {
		t.Errorf("stale update: %v, want ErrConflict", err)
	}
	if _, err := s.PutRecord(ctx, graph.Record{Collection: "cases", ID: "c1", Version: 7, Data: []byte("ahead")}); !errors.Is(err, graph.ErrConflict) {
		t.Errorf("update from a future version: %v, want ErrConflict", err)
	}
	checkRecord(t, s, "cases", "c1", 2, second)
	if _, err := s.PutRecord(ctx, graph.Record{Collection: "cases", ID: "ghost", Version: 3, Data: []byte("x")}); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("update of a missing record: %v, want ErrNotFound", err)
	}
	if _, err := s.GetRecord(ctx, "cases", "ghost"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("a failed update created the record: %v", err)
	}

	// Collections are separate name spaces.
	other := mustPut(t, s, graph.Record{Collection: "judgements", ID: "c1", Data: []byte("other")})
	if other.Version != 1 {
		t.Errorf("same id in another collection: v%d, want v1", other.Version)
	}
	checkRecord(t, s, "cases", "c1", 2, second)
	checkRecord(t, s, "judgements", "c1", 1, []byte("other"))

	// Data is kept byte for byte, empty included; ids may hold any
	// printable UTF-8.
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	mustPut(t, s, graph.Record{Collection: "cases", ID: "Seferović / ü 案件", Data: all})
	checkRecord(t, s, "cases", "Seferović / ü 案件", 1, all)
	mustPut(t, s, graph.Record{Collection: "cases", ID: "empty"})
	checkRecord(t, s, "cases", "empty", 1, []byte{})
}

func testRecordList(t *testing.T, s graph.Records) {
	ctx := context.Background()
	page, err := s.ListRecords(ctx, graph.RecordQuery{Collection: "cases"})
	if err != nil || len(page.Records) != 0 || page.Total != 0 || page.HasNextPage {
		t.Fatalf("ListRecords of an empty collection: %+v, %v", page, err)
	}
	// Written out of order; listed by id.
	ids := []string{"b-2", "a-1", "b-10", "c-3", "a-2", "b-1"}
	for _, id := range ids {
		mustPut(t, s, graph.Record{Collection: "cases", ID: id, Data: []byte("data of " + id)})
	}
	mustPut(t, s, graph.Record{Collection: "other", ID: "a-0", Data: []byte("elsewhere")})
	mustPut(t, s, graph.Record{Collection: "cases", ID: "a-1", Version: 1, Data: []byte("data of a-1")})

	want := []string{"a-1", "a-2", "b-1", "b-10", "b-2", "c-3"}
	var got []string
	after := ""
	for pages := 0; ; pages++ {
		page, err := s.ListRecords(ctx, graph.RecordQuery{Collection: "cases", First: 4, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != len(want) {
			t.Errorf("page %d: Total %d, want %d", pages, page.Total, len(want))
		}
		for _, r := range page.Records {
			got = append(got, r.ID)
			wantV := int64(1)
			if r.ID == "a-1" {
				wantV = 2
			}
			if r.Collection != "cases" || r.Version != wantV || string(r.Data) != "data of "+r.ID {
				t.Errorf("listed record %+v", r)
			}
		}
		if !page.HasNextPage {
			break
		}
		if len(page.Records) != 4 || pages > 2 {
			t.Fatalf("page %d has %d records and more follow", pages, len(page.Records))
		}
		after = page.Records[len(page.Records)-1].ID
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	page, err = s.ListRecords(ctx, graph.RecordQuery{Collection: "cases", Prefix: "b-"})
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, r := range page.Records {
		got = append(got, r.ID)
	}
	if fmt.Sprint(got) != "[b-1 b-10 b-2]" || page.Total != 3 || page.HasNextPage {
		t.Errorf("prefix b-: %v total %d more %v, want [b-1 b-10 b-2] total 3", got, page.Total, page.HasNextPage)
	}
	page, err = s.ListRecords(ctx, graph.RecordQuery{Collection: "cases", Prefix: "b-", After: "b-10", First: 1})
	if err != nil || len(page.Records) != 1 || page.Records[0].ID != "b-2" || page.HasNextPage || page.Total != 3 {
		t.Errorf("prefix b- after b-10: %+v, %v", page, err)
	}
}

func testRecordDelete(t *testing.T, s graph.Records) {
	ctx := context.Background()
	if err := s.DeleteRecord(ctx, "cases", "c1", 0); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("DeleteRecord of a missing record: %v, want ErrNotFound", err)
	}
	mustPut(t, s, graph.Record{Collection: "cases", ID: "c1", Data: []byte("one")})
	mustPut(t, s, graph.Record{Collection: "cases", ID: "c1", Version: 1, Data: []byte("two")})
	mustPut(t, s, graph.Record{Collection: "cases", ID: "c2", Data: []byte("keep")})
	if err := s.DeleteRecord(ctx, "cases", "c1", 1); !errors.Is(err, graph.ErrConflict) {
		t.Errorf("DeleteRecord with a stale version: %v, want ErrConflict", err)
	}
	checkRecord(t, s, "cases", "c1", 2, []byte("two"))
	if err := s.DeleteRecord(ctx, "cases", "c1", 2); err != nil {
		t.Fatalf("DeleteRecord with the current version: %v", err)
	}
	if _, err := s.GetRecord(ctx, "cases", "c1"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("GetRecord after delete: %v, want ErrNotFound", err)
	}
	if err := s.DeleteRecord(ctx, "cases", "c2", 0); err != nil {
		t.Fatalf("DeleteRecord with version 0: %v", err)
	}
	if err := s.DeleteRecord(ctx, "cases", "c2", 0); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("second DeleteRecord: %v, want ErrNotFound", err)
	}
	// A deleted id can be created afresh.
	if got := mustPut(t, s, graph.Record{Collection: "cases", ID: "c1", Data: []byte("new")}); got.Version != 1 {
		t.Errorf("re-created record: v%d, want v1", got.Version)
	}
}

func testRecordInvalid(t *testing.T, s graph.Records) {
	ctx := context.Background()
	bad := map[string]graph.Record{
		"no collection":        {ID: "x"},
		"upper-case":           {Collection: "Cases", ID: "x"},
		"spaces":               {Collection: "my cases", ID: "x"},
		"long collection":      {Collection: strings.Repeat("c", graph.MaxCollectionBytes+1), ID: "x"},
		"no id":                {Collection: "cases"},
		"control character":    {Collection: "cases", ID: "a\nb"},
		"invalid UTF-8":        {Collection: "cases", ID: "a\xffb"},
		"long id":              {Collection: "cases", ID: strings.Repeat("i", graph.MaxRecordIDBytes+1)},
		"negative version":     {Collection: "cases", ID: "x", Version: -1},
		"oversized data (big)": {Collection: "cases", ID: "x", Data: make([]byte, graph.MaxRecordBytes+1)},
	}
	for name, r := range bad {
		_, err := s.PutRecord(ctx, r)
		want := graph.ErrInvalid
		if strings.HasPrefix(name, "oversized") {
			want = graph.ErrTooComplex
		}
		if !errors.Is(err, want) {
			t.Errorf("PutRecord %s: %v, want %v", name, err, want)
		}
	}
	if _, err := s.GetRecord(ctx, "", "x"); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("GetRecord without collection: %v, want ErrInvalid", err)
	}
	if err := s.DeleteRecord(ctx, "cases", "", 0); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("DeleteRecord without id: %v, want ErrInvalid", err)
	}
	if _, err := s.ListRecords(ctx, graph.RecordQuery{Collection: "cases", First: graph.MaxRecordFirst + 1}); !errors.Is(err, graph.ErrTooComplex) {
		t.Errorf("ListRecords past MaxRecordFirst: %v, want ErrTooComplex", err)
	}
	if _, err := s.ListRecords(ctx, graph.RecordQuery{}); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("ListRecords without collection: %v, want ErrInvalid", err)
	}
	// Exactly the limit is accepted.
	big := bytes.Repeat([]byte{'x'}, graph.MaxRecordBytes)
	mustPut(t, s, graph.Record{Collection: "cases", ID: "big", Data: big})
	checkRecord(t, s, "cases", "big", 1, big)
}

// testRecordOutsideGraph checks that records are not entities: the graph
// of a store that holds both stays empty.
func testRecordOutsideGraph(t *testing.T, s graph.Records) {
	gs, ok := s.(graph.Store)
	if !ok {
		t.Skip("records without a graph store")
	}
	ctx := context.Background()
	mustPut(t, s, graph.Record{Collection: "cases", ID: "person:burim-krasniqi", Data: []byte("{}")})
	st, err := gs.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != 0 || st.Links != 0 {
		t.Errorf("records show in the graph: %+v", st)
	}
	if _, err := gs.Entity(ctx, "person:burim-krasniqi"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("a record's id is found as an entity: %v", err)
	}
	snap, err := gs.Snapshot(ctx, graph.SnapshotQuery{})
	if err != nil || len(snap.Nodes) != 0 {
		t.Errorf("whole-graph snapshot holds records: %d nodes, %v", len(snap.Nodes), err)
	}
}

// testRecordConcurrent races writers on one record: of those based on the
// same version exactly one wins and the others get ErrConflict; nothing is
// lost without an error.
func testRecordConcurrent(t *testing.T, s graph.Records) {
	ctx := context.Background()
	const writers = 8
	race := func(version int64) (wins []int, err error) {
		var (
			mu   sync.Mutex
			wg   sync.WaitGroup
			errs []error
		)
		start := make(chan struct{})
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := s.PutRecord(ctx, graph.Record{Collection: "cases", ID: "shared", Version: version, Data: fmt.Appendf(nil, "writer %d", i)})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					wins = append(wins, i)
				case !errors.Is(err, graph.ErrConflict):
					errs = append(errs, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		return wins, errors.Join(errs...)
	}
	for round, version := range []int64{0, 1, 2} {
		wins, err := race(version)
		if err != nil {
			t.Fatalf("round %d: errors other than ErrConflict: %v", round, err)
		}
		if len(wins) != 1 {
			t.Fatalf("round %d (based on v%d): %d writers won (%v), want exactly 1", round, version, len(wins), wins)
		}
		checkRecord(t, s, "cases", "shared", version+1, fmt.Appendf(nil, "writer %d", wins[0]))
	}
}
