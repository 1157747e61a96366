package embedded

import (
	"context"
	"errors"
	"testing"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"github.com/skein-project/skein/graph"
)

func TestDerivedLinkIDIsLinkID(t *testing.T) {
	roles := []string{"", "leader", "co-owner", "Chief Officer", " two  words ", "tab\there", "Ünïcode", "a\u00a0b", "x\u0085y"}
	types := []graph.LinkType{graph.LinkAssociateOf, graph.LinkOwns, "NOT_REGISTERED"}
	for _, typ := range types {
		for _, role := range roles {
			want := graph.LinkID(typ, "person:a", "company:b", role)
			if got := derivedLinkID(typ, "person:a", "company:b", role); got != want {
				t.Errorf("derivedLinkID(%s, %q) = %q, want %q", typ, role, got, want)
			}
			if !isDerivedLinkID(want, typ, "person:a", "company:b", role) {
				t.Errorf("isDerivedLinkID(%q, %s, %q) = false", want, typ, role)
			}
			for _, other := range []string{want + "x", want[:len(want)-1], "x" + want, "link:1", ""} {
				if isDerivedLinkID(other, typ, "person:a", "company:b", role) {
					t.Errorf("isDerivedLinkID(%q, %s, %q) = true", other, typ, role)
				}
			}
		}
	}
}

func TestEdgeSize(t *testing.T) {
	// 40 bytes a link slot: 4.3M links of a 1M-entity graph in 172 MB.
	if got := unsafe.Sizeof(edge{}); got != 40 {
		t.Errorf("edge is %d bytes, want 40", got)
	}
	if len(graph.LinkTypes) > maxTypeCode {
		t.Errorf("%d link types: filter masks hold %d", len(graph.LinkTypes), maxTypeCode)
	}
}

// A link of a type outside the registry (a file of another version) keeps
// its type and id, passes only unfiltered walks, and can be deleted.
func TestUnregisteredLinkType(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	b := graph.Batch{Entities: []graph.Entity{{ID: "person:a", Kind: graph.KindPerson, Name: "A"}, {ID: "person:b", Kind: graph.KindPerson, Name: "B"}}}
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	odd := []graph.Link{
		{ID: "l:odd", Type: "OLD_TYPE", Source: "person:a", Target: "person:b", Role: "r"},
		{Type: "OLD_TYPE", Source: "person:b", Target: "person:a"},
	}
	odd[1].ID = graph.LinkID(odd[1].Type, odd[1].Source, odd[1].Target, "")
	err = s.db.Update(func(tx *bolt.Tx) error {
		for i := range odd {
			if err := tx.Bucket(bucketLinks).Put([]byte(odd[i].ID), encodeLink(nil, &odd[i])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, want := range odd {
		if got, err := s.Link(ctx, want.ID); err != nil || !sameLink(got, want) {
			t.Errorf("Link(%s) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
	all, err := s.LinksOf(ctx, []string{"person:a"}, nil, graph.DirectionBoth, graph.When{})
	if err != nil || len(all["person:a"]) != 2 {
		t.Errorf("unfiltered LinksOf: %+v, %v", all, err)
	}
	some, err := s.LinksOf(ctx, []string{"person:a"}, []graph.LinkType{graph.LinkAssociateOf}, graph.DirectionBoth, graph.When{})
	if err != nil || len(some["person:a"]) != 0 {
		t.Errorf("LinksOf ASSOCIATE_OF: %+v, %v", some, err)
	}
	if st, _ := s.Stats(ctx); st.ByLinkType["OLD_TYPE"] != 2 {
		t.Errorf("stats: %+v", st.ByLinkType)
	}
	if err := s.DeleteLink(ctx, "l:odd"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Link(ctx, "l:odd"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("deleted link: %v", err)
	}
	if st, _ := s.Stats(ctx); st.ByLinkType["OLD_TYPE"] != 1 || st.Links != 1 {
		t.Errorf("stats after delete: %+v", st)
	}
}
