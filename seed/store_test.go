package seed

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestLoad loads the seed into a fresh store of every backend, asserts the
// source text's facts on what the store returns, and checks that loading
// again changes nothing.
func TestLoad(t *testing.T) {
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		ctx := context.Background()
		if err := Load(ctx, s); err != nil {
			t.Fatalf("Load: %v", err)
		}
		g, err := s.Snapshot(ctx, graph.SnapshotQuery{})
		if err != nil {
			t.Fatalf("Snapshot: %v", err)
		}
		checkFacts(t, g)

		stats, err := s.Stats(ctx)
		if err != nil {
			t.Fatalf("Stats: %v", err)
		}
		// Totals from dataset.json, counts by kind and type from the text.
		b := dataset(t)
		wantKinds, wantTypes := wantKinds(), wantLinkTypes()
		if stats.Entities != len(b.Entities) || stats.Links != len(b.Links) || !sameCounts(stats.ByKind, wantKinds) || !sameCounts(stats.ByLinkType, wantTypes) {
			t.Errorf("Stats = %+v, want %d entities %v and %d links %v", stats, len(b.Entities), wantKinds, len(b.Links), wantTypes)
		}

		// The store returns every record exactly as the data file says.
		first := storedRecords(ctx, t, s, b)
		if want := asJSON(t, b); first != want {
			t.Errorf("stored records differ from dataset.json:\n got %s\nwant %s", first, want)
		}

		if err := Load(ctx, s); err != nil {
			t.Fatalf("second Load: %v", err)
		}
		again, err := s.Stats(ctx)
		if err != nil {
			t.Fatalf("Stats: %v", err)
		}
		if asJSON(t, again) != asJSON(t, stats) {
			t.Errorf("Stats after a second Load = %+v, want %+v", again, stats)
		}
		if got := storedRecords(ctx, t, s, b); got != first {
			t.Errorf("records changed by a second Load:\n got %s\nwant %s", got, first)
		}
	})
}

// TestLoadRestores checks that Load puts back a seed record edited since,
// without touching links or records that are not part of the seed.
func TestLoadRestores(t *testing.T) {
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		ctx := context.Background()
		if err := Load(ctx, s); err != nil {
			t.Fatalf("Load: %v", err)
		}
		edited, err := s.Entity(ctx, "person:burim-krasniqi")
		if err != nil {
			t.Fatal(err)
		}
		edited.Name = "Someone Else"
		edited.Designations = nil
		extra := graph.Entity{ID: "person:analyst-note", Kind: graph.KindPerson, Name: "Added By An Analyst"}
		if err := s.Upsert(ctx, graph.Batch{Entities: []graph.Entity{edited, extra}}); err != nil {
			t.Fatal(err)
		}
		if err := Load(ctx, s); err != nil {
			t.Fatalf("Load: %v", err)
		}
		got, err := s.Entity(ctx, "person:burim-krasniqi")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Burim Krasniqi" || !got.Sanctioned() {
			t.Errorf("Load did not restore the seed entity: %+v", got)
		}
		if _, err := s.Entity(ctx, extra.ID); err != nil {
			t.Errorf("Load removed an entity that is not part of the seed: %v", err)
		}
		links, err := s.LinksOf(ctx, []string{"person:burim-krasniqi"}, nil, graph.DirectionBoth, graph.When{})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(links["person:burim-krasniqi"]); n != 1 {
			t.Errorf("Burim Krasniqi has %d links after reloading, want 1", n)
		}
	})
}

// storedRecords reads back every document, entity and link of b from s, as
// JSON so that nil and empty lists compare equal.
func storedRecords(ctx context.Context, t *testing.T, s graph.Store, b graph.Batch) string {
	t.Helper()
	var out graph.Batch
	docs, err := s.Documents(ctx)
	if err != nil {
		t.Fatalf("Documents: %v", err)
	}
	out.Documents = docs
	ids := make([]string, len(b.Entities))
	for i, e := range b.Entities {
		ids[i] = e.ID
	}
	if out.Entities, err = s.Entities(ctx, ids); err != nil {
		t.Fatalf("Entities: %v", err)
	}
	for _, l := range b.Links {
		got, err := s.Link(ctx, l.ID)
		if err != nil {
			t.Fatalf("Link %s: %v", l.ID, err)
		}
		out.Links = append(out.Links, got)
	}
	return asJSON(t, out)
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func sameCounts[K comparable](got, want map[K]int) bool {
	for k, n := range want {
		if got[k] != n {
			return false
		}
	}
	for k, n := range got {
		if want[k] != n && n != 0 {
			return false
		}
	}
	return true
}
