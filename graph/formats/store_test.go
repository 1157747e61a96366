package formats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/seed"
)

func loadSeed(t *testing.T, s graph.Store) {
	t.Helper()
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatalf("seed.Load: %v", err)
	}
}

func snapshot(t *testing.T, s graph.Store, q graph.SnapshotQuery) graph.Subgraph {
	t.Helper()
	sub, err := s.Snapshot(context.Background(), q)
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	return sub
}

func documents(t *testing.T, s graph.Store) []graph.Document {
	t.Helper()
	docs, err := s.Documents(context.Background())
	if err != nil {
		t.Fatalf("Documents: %v", err)
	}
	return docs
}

// contents is a store's whole graph and documents.
func contents(t *testing.T, s graph.Store) graph.Batch {
	t.Helper()
	sub := snapshot(t, s, graph.SnapshotQuery{})
	return graph.Batch{Documents: documents(t, s), Entities: sub.Nodes, Links: sub.Links}
}

// Export from a store loaded with the seed, Import into a fresh store: the
// second store holds the same graph as the first. (On Neo4j both are the
// one test database, emptied in between, so the first is captured before.)
func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, fresh func(t *testing.T) graph.Store) {
		seedB := seedBatch(t)
		for _, f := range fullModel {
			t.Run(string(f), func(t *testing.T) {
				src := fresh(t)
				loadSeed(t, src)
				want := contents(t, src)
				var buf bytes.Buffer
				if err := Export(ctx, src, f, Scope{}, &buf); err != nil {
					t.Fatalf("Export: %v", err)
				}
				dst := fresh(t)
				if st, _ := dst.Stats(ctx); st.Entities != 0 {
					t.Fatal("fresh store is not empty")
				}
				rep, err := Import(ctx, dst, f, bytes.NewReader(buf.Bytes()))
				if err != nil {
					t.Fatalf("Import: %v", err)
				}
				wantRep := Report{Documents: len(seedB.Documents), Entities: len(seedB.Entities), Links: len(seedB.Links)}
				if !reflect.DeepEqual(rep, wantRep) {
					t.Fatalf("report %+v, want %+v", rep, wantRep)
				}
				assertSameBatch(t, want, contents(t, dst))

				// Importing again is idempotent.
				if _, err := Import(ctx, dst, f, bytes.NewReader(buf.Bytes())); err != nil {
					t.Fatalf("second Import: %v", err)
				}
				assertSameBatch(t, want, contents(t, dst))
			})
		}
	})
}

// A scoped export holds the neighbourhood, only the documents it cites, and
// only links of the requested types.
func TestExportScope(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, fresh func(t *testing.T) graph.Store) {
		src := fresh(t)
		loadSeed(t, src)
		seedB := seedBatch(t)
		hub := seedB.Links[0].Target
		q := graph.SnapshotQuery{IDs: []string{hub}, Depth: 1}
		want := snapshot(t, src, q)
		if len(want.Nodes) < 2 || len(want.Nodes) >= len(seedB.Entities) {
			t.Fatalf("neighbourhood of %s has %d of %d entities: not a useful scope", hub, len(want.Nodes), len(seedB.Entities))
		}
		var buf bytes.Buffer
		if err := Export(ctx, src, JSON, Scope{IDs: q.IDs, Depth: q.Depth}, &buf); err != nil {
			t.Fatal(err)
		}
		got, err := Decode(ctx, JSON, &buf)
		if err != nil {
			t.Fatal(err)
		}
		cited := citedDocuments(want.Nodes, want.Links)
		var docs []graph.Document
		for _, d := range documents(t, src) {
			if cited[d.ID] {
				docs = append(docs, d)
			}
		}
		assertSameBatch(t, graph.Batch{Documents: docs, Entities: want.Nodes, Links: want.Links}, got)

		// Whole graph, one link type: every entity, only that type's links.
		buf.Reset()
		typ := seedB.Links[0].Type
		if err := Export(ctx, src, JSON, Scope{LinkTypes: []graph.LinkType{typ}}, &buf); err != nil {
			t.Fatal(err)
		}
		got, err = Decode(ctx, JSON, &buf)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, l := range seedB.Links {
			if l.Type == typ {
				n++
			}
		}
		if len(got.Entities) != len(seedB.Entities) || len(got.Links) != n || n == len(seedB.Links) {
			t.Fatalf("got %d entities, %d links; want %d entities and the %d %s links of %d",
				len(got.Entities), len(got.Links), len(seedB.Entities), n, typ, len(seedB.Links))
		}
		for _, l := range got.Links {
			if l.Type != typ {
				t.Fatalf("link %s of type %s in a %s export", l.ID, l.Type, typ)
			}
		}

		// Unknown ids are the store's ErrNotFound.
		err = Export(ctx, src, JSON, Scope{IDs: []string{"person:nobody"}}, &buf)
		if !errors.Is(err, graph.ErrNotFound) {
			t.Fatalf("export of an unknown id: %v, want ErrNotFound", err)
		}
	})
}

// Every format exports the seed from a store: each export, read back with
// a generic parser of its format, holds exactly the store's documents,
// entities and links (and, in FtM, its designations).
func TestExportEveryFormat(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, fresh func(t *testing.T) graph.Store) {
		src := fresh(t)
		loadSeed(t, src)
		stored := contents(t, src)
		if seedB := seedBatch(t); len(stored.Entities) != len(seedB.Entities) || len(stored.Links) != len(seedB.Links) {
			t.Fatalf("the store holds %d entities, %d links; the seed has %d, %d",
				len(stored.Entities), len(stored.Links), len(seedB.Entities), len(seedB.Links))
		}
		for _, f := range Formats() {
			var buf bytes.Buffer
			if err := Export(ctx, src, f, Scope{}, &buf); err != nil {
				t.Fatalf("Export %s: %v", f, err)
			}
			assertRecords(t, f, expected(f, stored), parseExport(t, f, buf.Bytes()))
		}
	})
}

// A file with bad rows, or one the store refuses (a link to an entity that
// exists nowhere), writes nothing.
func TestImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, fresh func(t *testing.T) graph.Store) {
		s := fresh(t)
		badRow := `{"entities":[
{"id":"p1","kind":"PERSON","name":"A"},
{"id":"p2","kind":"PERSON","name":""}
]}`
		if _, err := Import(ctx, s, JSON, strings.NewReader(badRow)); !errors.Is(err, graph.ErrInvalid) {
			t.Fatalf("Import with a bad row: %v, want ErrInvalid", err)
		}
		danglingLink := `{"entities":[
{"id":"p1","kind":"PERSON","name":"A"}
],"links":[
{"id":"l1","type":"MEMBER_OF","source":"p1","target":"org:missing"}
]}`
		_, err := Import(ctx, s, JSON, strings.NewReader(danglingLink))
		var ie *ImportError
		if !errors.As(err, &ie) || !errors.Is(err, graph.ErrInvalid) {
			t.Fatalf("Import with a dangling link: %v, want an ImportError", err)
		}
		assertLines(t, ie.Rows, 4)
		assertMentions(t, ie.Rows, 0, "org:missing")
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Entities != 0 || st.Links != 0 {
			t.Fatalf("failed imports wrote %d entities and %d links", st.Entities, st.Links)
		}
	})
}

// Links may point at entities already in the store; only endpoints that
// exist nowhere are bad rows, each reported at its link's line.
func TestImportLinksToStoredEntities(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, fresh func(t *testing.T) graph.Store) {
		s := fresh(t)
		if _, err := Import(ctx, s, JSON, strings.NewReader(`{"entities":[{"id":"org:stored","kind":"ORGANIZATION","name":"Stored"}]}`)); err != nil {
			t.Fatal(err)
		}
		links := strings.Join([]string{
			":START_ID,:END_ID,:TYPE,id",
			"p1,org:stored,MEMBER_OF,l1",
			"p1,org:gone,MEMBER_OF,l2",
			"ghost,org:gone,LINKED_TO,l3",
		}, "\n")
		file := zipOf(t, map[string]string{csvNodes: "id:ID,kind,name\np1,PERSON,P\n", csvLinks: links})
		_, err := Import(ctx, s, CSV, bytes.NewReader(file))
		var ie *ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("got %v, want an ImportError", err)
		}
		var got []string
		for _, r := range ie.Rows {
			got = append(got, fmt.Sprintf("%s:%d", r.File, r.Line))
		}
		if want := []string{"links.csv:3", "links.csv:4", "links.csv:4"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("rows %v, want %v (%v)", got, want, ie.Rows)
		}
		if st, _ := s.Stats(ctx); st.Entities != 1 || st.Links != 0 {
			t.Fatalf("store holds %d entities, %d links after a refused import", st.Entities, st.Links)
		}
		// Without the bad links the file imports, linking to the stored entity.
		file = zipOf(t, map[string]string{csvNodes: "id:ID,kind,name\np1,PERSON,P\n", csvLinks: strings.Join(strings.Split(links, "\n")[:2], "\n")})
		rep, err := Import(ctx, s, CSV, bytes.NewReader(file))
		if err != nil || rep.Entities != 1 || rep.Links != 1 {
			t.Fatalf("Import: %+v, %v", rep, err)
		}
	})
}
