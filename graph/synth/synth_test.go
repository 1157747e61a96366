package synth

import (
	"context"
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

func collect(t *testing.T, cfg Config) graph.Batch {
	t.Helper()
	var all graph.Batch
	err := Generate(context.Background(), cfg, func(b graph.Batch) error {
		if err := b.Normalize(); err != nil {
			t.Fatalf("invalid batch: %v", err)
		}
		all.Entities = append(all.Entities, b.Entities...)
		all.Links = append(all.Links, b.Links...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func TestGenerateIsDeterministic(t *testing.T) {
	a := collect(t, Config{Entities: 2000, Seed: 7})
	b := collect(t, Config{Entities: 2000, Seed: 7, BatchSize: 333})
	// Every record once, so batching changes nothing, not even the order.
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different graphs")
	}
	c := collect(t, Config{Entities: 2000, Seed: 8})
	if reflect.DeepEqual(a.Links, c.Links) {
		t.Fatal("different seeds gave the same links")
	}
}

func TestGenerateShape(t *testing.T) {
	const n = 20000
	b := collect(t, Config{Entities: n, Seed: 1})
	if len(b.Entities) != n {
		t.Fatalf("%d entities, want %d", len(b.Entities), n)
	}
	ids := map[string]graph.Kind{}
	kinds := map[graph.Kind]int{}
	designatedCount := 0
	for _, e := range b.Entities {
		ids[e.ID] = e.Kind
		kinds[e.Kind]++
		if e.Sanctioned() {
			designatedCount++
		}
	}
	if len(ids) != n {
		t.Fatalf("duplicate entity ids: %d distinct", len(ids))
	}
	for _, k := range graph.Kinds {
		if kinds[k] == 0 {
			t.Errorf("no %s", k)
		}
	}
	if share := float64(designatedCount) / n; share < 0.01 || share > 0.06 {
		t.Errorf("designated share %.3f, want a few percent", share)
	}
	distinct := map[string]bool{}
	gangSize := map[string]int{}
	for _, l := range b.Links {
		if _, ok := ids[l.Source]; !ok {
			t.Fatalf("link %s from unknown %s", l.ID, l.Source)
		}
		if _, ok := ids[l.Target]; !ok {
			t.Fatalf("link %s to unknown %s", l.ID, l.Target)
		}
		distinct[l.ID] = true
		if l.Type == graph.LinkMemberOf {
			gangSize[l.Target]++
		}
	}
	if per := float64(len(distinct)) / n; per < 4 || per > 6 {
		t.Errorf("%.2f distinct links per entity, want about 5", per)
	}
	// Heavy tail: the largest gang is many times the median one.
	largest, total := 0, 0
	for _, s := range gangSize {
		largest = max(largest, s)
		total += s
	}
	if mean := float64(total) / float64(len(gangSize)); float64(largest) < 5*mean {
		t.Errorf("largest gang %d vs mean %.1f: sizes are not heavy-tailed", largest, mean)
	}
}

// TestGenerateDistinct: no record is emitted twice, at sizes from the
// smallest up, for several seeds (a repeated link is a count no store
// holds, since stores upsert by id).
func TestGenerateDistinct(t *testing.T) {
	for _, n := range []int{10, 300, 5000, 30000} {
		for seed := range uint64(3) {
			b := collect(t, Config{Entities: n, Seed: seed + 1})
			entities, links := map[string]bool{}, map[string]bool{}
			for _, e := range b.Entities {
				if entities[e.ID] {
					t.Errorf("%d entities, seed %d: entity %s twice", n, seed+1, e.ID)
				}
				entities[e.ID] = true
			}
			for _, l := range b.Links {
				if links[l.ID] {
					t.Errorf("%d entities, seed %d: link %s twice", n, seed+1, l.ID)
				}
				links[l.ID] = true
			}
			if n >= 300 && len(links) < 4*n {
				t.Errorf("%d entities, seed %d: %d links", n, seed+1, len(links))
			}
		}
	}
}

// TestGenerateStoresHoldIt imports a generated graph into each store and
// finds there exactly the records emitted, by count and by type.
func TestGenerateStoresHoldIt(t *testing.T) {
	ctx := context.Background()
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		var entities, links int
		byType := map[graph.LinkType]int{}
		err := Generate(ctx, Config{Entities: 3000, Seed: 5, BatchSize: 1000}, func(b graph.Batch) error {
			entities += len(b.Entities)
			links += len(b.Links)
			for _, l := range b.Links {
				byType[l.Type]++
			}
			return s.Upsert(ctx, b)
		})
		if err != nil {
			t.Fatal(err)
		}
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Entities != entities || st.Links != links {
			t.Errorf("emitted %d entities and %d links, the store holds %d and %d", entities, links, st.Entities, st.Links)
		}
		if !reflect.DeepEqual(st.ByLinkType, byType) {
			t.Errorf("links by type: emitted %v, the store holds %v", byType, st.ByLinkType)
		}
	})
}

// TestGenerateEvidence checks the evidence kinds and the ownership the
// generator promises: identifications held by people, addresses shared by
// several parties, payments with amounts between accounts, ownership with
// percentages over several levels, with cycles and some unknown shares.
func TestGenerateEvidence(t *testing.T) {
	b := collect(t, Config{Entities: 5000, Seed: 3})
	kind := map[string]graph.Kind{}
	for _, e := range b.Entities {
		kind[e.ID] = e.Kind
	}
	located := map[string]int{}
	owners := map[string][]string{} // asset -> owners
	var holds, pays, unknown int
	for _, l := range b.Links {
		switch l.Type {
		case graph.LinkHolds:
			if kind[l.Source] != graph.KindPerson || kind[l.Target] != graph.KindIdentification {
				t.Errorf("HOLDS %s -> %s", kind[l.Source], kind[l.Target])
			}
			holds++
		case graph.LinkLocatedAt:
			located[l.Target]++
		case graph.LinkPays:
			if kind[l.Source] != graph.KindBankAccount || l.Properties["amount"] == "" || l.Properties["currency"] == "" || l.Properties["date"] == "" {
				t.Errorf("payment %+v", l)
			}
			pays++
		case graph.LinkOwns:
			if l.Properties["percentage"] == "" {
				unknown++
			}
			owners[l.Target] = append(owners[l.Target], l.Source)
		}
	}
	shared := 0
	for _, n := range located {
		if n > 1 {
			shared++
		}
	}
	if holds == 0 || pays == 0 || shared == 0 || unknown == 0 {
		t.Errorf("holds %d, payments %d, shared addresses %d, unknown shares %d", holds, pays, shared, unknown)
	}
	// Depth of ownership chains and cycles, by walking owners.
	deepest, cycles := 0, 0
	for asset := range owners {
		seen := map[string]bool{asset: true}
		depth := 0
		for cur := []string{asset}; len(cur) > 0 && depth < 50; depth++ {
			var next []string
			for _, a := range cur {
				for _, o := range owners[a] {
					if o == asset {
						cycles++
					}
					if !seen[o] {
						seen[o] = true
						next = append(next, o)
					}
				}
			}
			cur = next
		}
		deepest = max(deepest, depth)
	}
	if deepest < 3 || cycles == 0 {
		t.Errorf("deepest ownership chain %d levels, %d assets on a cycle", deepest, cycles)
	}
}

// TestGenerateDates checks the dates the generator promises: membership
// spells, most links dated at every precision (year, month, day), some
// open-ended, some ended, some undated, ownership changes (a previous
// owner's spell ending the day the next begins), payments dated by their
// day, designations listed on different days and some delisted.
func TestGenerateDates(t *testing.T) {
	b := collect(t, Config{Entities: 5000, Seed: 4})
	var undated, open, ended, handovers, delisted int
	precision := map[int]int{}
	listed := map[string]bool{}
	members, datedMembers := 0, 0
	ownsByAsset := map[string][]graph.Link{}
	for _, l := range b.Links {
		switch {
		case l.StartDate == "" && l.EndDate == "":
			undated++
		case l.EndDate == "":
			open++
		default:
			ended++
		}
		for _, d := range []string{l.StartDate, l.EndDate} {
			if d != "" {
				precision[len(d)]++
			}
		}
		switch l.Type {
		case graph.LinkMemberOf:
			members++
			if l.StartDate != "" {
				datedMembers++
			}
		case graph.LinkOwns:
			ownsByAsset[l.Target] = append(ownsByAsset[l.Target], l)
		case graph.LinkPays:
			if l.StartDate != l.Properties["date"] || l.EndDate != l.Properties["date"] {
				t.Errorf("payment %s dated %s..%s, made on %s", l.ID, l.StartDate, l.EndDate, l.Properties["date"])
			}
		case graph.LinkFamilyOf, graph.LinkHolds:
			if l.StartDate != "" || l.EndDate != "" {
				t.Errorf("%s %s is dated", l.Type, l.ID)
			}
		}
	}
	for _, ls := range ownsByAsset {
		for _, a := range ls {
			for _, c := range ls {
				if a.ID != c.ID && a.EndDate != "" && a.EndDate == c.StartDate && a.Source != c.Source {
					handovers++
				}
			}
		}
	}
	for _, e := range b.Entities {
		for _, d := range e.Designations {
			listed[d.ListedOn] = true
			if d.DelistedOn != "" {
				delisted++
			}
		}
	}
	n := len(b.Links)
	t.Logf("%d links: %d undated, %d open-ended, %d ended; dates by length %v; %d ownership changes; %d listing days, %d delisted",
		n, undated, open, ended, precision, handovers, len(listed), delisted)
	if share := float64(undated) / float64(n); share < 0.1 || share > 0.6 {
		t.Errorf("%.2f of links undated, want some but not most", share)
	}
	if open == 0 || ended == 0 {
		t.Errorf("%d open-ended, %d ended spells", open, ended)
	}
	if precision[4] == 0 || precision[7] == 0 || precision[10] == 0 {
		t.Errorf("dates by length %v: want years, months and days", precision)
	}
	if float64(datedMembers) < 0.7*float64(members) {
		t.Errorf("%d of %d memberships dated", datedMembers, members)
	}
	if handovers == 0 || len(listed) < 10 || delisted == 0 {
		t.Errorf("%d ownership changes, %d listing days, %d delistings", handovers, len(listed), delisted)
	}
}
