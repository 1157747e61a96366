package neo4j_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/graph/synth"
)

// TestNoKinds checks reads told that no kind is read
// (graph.Selection.NoKinds): neighbourhoods, paths, shared associates and
// search pages are the answers read with kinds, entity for entity, with
// Kind left empty where the store skipped it (neighbourhoods, paths and
// shared associates always do; a search page may keep the kinds its
// ranking read).
func TestNoKinds(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	var ids, names []string
	err := synth.Generate(ctx, synth.Config{Entities: 300, Seed: 5}, func(b graph.Batch) error {
		for _, e := range b.Entities {
			ids = append(ids, e.ID)
			names = append(names, e.Name)
		}
		return s.Upsert(ctx, b)
	})
	if err != nil {
		t.Fatal(err)
	}
	withKinds := graph.Selection{Partial: true, Entity: graph.EntityName | graph.EntityDesignations, Link: graph.LinkRole}
	without := withKinds
	without.NoKinds = true
	// same compares the entities of two answers, got's read without kinds.
	same := func(what string, got, want []graph.Entity, emptied bool) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d entities, want %d", what, len(got), len(want))
		}
		for i := range got {
			if emptied && got[i].Kind != "" {
				t.Errorf("%s: %s has kind %q, want none read", what, got[i].ID, got[i].Kind)
			}
			g, w := got[i], want[i]
			g.Kind, w.Kind = "", ""
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s: entity %d is %+v, want %+v", what, i, g, w)
			}
			if want[i].Kind == "" {
				t.Errorf("%s: %s read with kinds has none", what, want[i].ID)
			}
		}
	}
	seen := 0
	for _, id := range ids[:6] {
		for _, depth := range []int{1, 2} {
			nq := graph.NeighborhoodQuery{ID: id, Depth: depth, Limit: 200, Select: withKinds}
			if err := nq.Normalize(); err != nil {
				t.Fatal(err)
			}
			want, err := s.Neighborhood(ctx, nq)
			if err != nil {
				t.Fatal(err)
			}
			nq.Select = without
			got, err := s.Neighborhood(ctx, nq)
			if err != nil {
				t.Fatal(err)
			}
			same("neighborhood "+id, got.Nodes, want.Nodes, true)
			if !reflect.DeepEqual(got.Links, want.Links) || got.Truncated != want.Truncated {
				t.Errorf("neighborhood %s: links or truncation differ", id)
			}
			seen += len(got.Nodes)
		}
		pq := graph.PathQuery{From: id, To: ids[len(ids)-1-seen%50], MaxHops: 4, Limit: 5, Select: withKinds}
		if err := pq.Normalize(); err != nil {
			t.Fatal(err)
		}
		want, err := s.Paths(ctx, pq)
		if err != nil {
			t.Fatal(err)
		}
		pq.Select = without
		got, err := s.Paths(ctx, pq)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("paths from %s: %d, want %d", id, len(got), len(want))
		}
		for i := range got {
			same("path from "+id, got[i].Nodes, want[i].Nodes, true)
			if !reflect.DeepEqual(got[i].Links, want[i].Links) {
				t.Errorf("path from %s: links differ", id)
			}
		}
		sq := graph.SharedQuery{IDs: []string{id, ids[6]}, Depth: 2, Select: withKinds}
		if err := sq.Normalize(); err != nil {
			t.Fatal(err)
		}
		wantShared, err := s.SharedAssociates(ctx, sq)
		if err != nil {
			t.Fatal(err)
		}
		sq.Select = without
		gotShared, err := s.SharedAssociates(ctx, sq)
		if err != nil {
			t.Fatal(err)
		}
		same("shared "+id, gotShared, wantShared, true)
		seen += len(gotShared)
	}
	for _, name := range names[:6] {
		q := graph.SearchQuery{Text: name, First: 10, Select: withKinds}
		if err := q.Normalize(); err != nil {
			t.Fatal(err)
		}
		want, err := s.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		q.Select = without
		got, err := s.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Hits) == 0 || len(got.Hits) != len(want.Hits) {
			t.Fatalf("search %q: %d hits, want %d (and some)", name, len(got.Hits), len(want.Hits))
		}
		for i := range got.Hits {
			g, w := got.Hits[i], want.Hits[i]
			same("search "+name, []graph.Entity{g.Entity}, []graph.Entity{w.Entity}, false)
			g.Entity, w.Entity = graph.Entity{}, graph.Entity{}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("search %q: hit %d is %+v, want %+v", name, i, g, w)
			}
		}
	}
	if seen < 100 {
		t.Fatalf("only %d entities compared", seen)
	}
}
