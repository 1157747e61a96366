package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/skein-project/skein/graph"
)

// testConcurrency runs writers and readers at once: a store must be safe
// for concurrent use, and readers must never see a link without its ends.
func testConcurrency(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	upsert(t, s, graph.Batch{Entities: []graph.Entity{org("org:hub", "Hub Network")}})
	const writers, perWriter = 3, 15
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				id := fmt.Sprintf("person:w%d-%02d", w, i)
				err := s.Upsert(ctx, graph.Batch{
					Entities: []graph.Entity{person(id, fmt.Sprintf("Hub Member %d %d", w, i))},
					Links:    []graph.Link{lnk("l:"+id, graph.LinkMemberOf, id, "org:hub")},
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for range 3 {
		wg.Go(func() {
			for range 15 {
				sg, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: "org:hub", Depth: 1})
				if err != nil {
					errs <- err
					return
				}
				in := map[string]bool{}
				for _, e := range sg.Nodes {
					in[e.ID] = true
				}
				for _, l := range sg.Links {
					if !in[l.Source] || !in[l.Target] {
						errs <- fmt.Errorf("link %s leaves its subgraph", l.ID)
						return
					}
				}
				if _, err := s.Search(ctx, graph.SearchQuery{Text: "hub member"}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	deg, err := s.Degrees(ctx, []string{"org:hub"}, graph.When{})
	if err != nil {
		t.Fatal(err)
	}
	if deg["org:hub"] != writers*perWriter {
		t.Errorf("hub degree %d after concurrent writes, want %d", deg["org:hub"], writers*perWriter)
	}
	res, err := s.Search(ctx, graph.SearchQuery{Text: "hub member", First: graph.MaxFirst})
	if err != nil {
		t.Fatal(err)
	}
	if res.TotalCount != writers*perWriter {
		t.Errorf("search finds %d members, want %d", res.TotalCount, writers*perWriter)
	}
}

// testManyIDs asks the batch lookups for more ids than any query limit:
// they take any number of ids.
func testManyIDs(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	var b graph.Batch
	var ids []string
	for i := range 1500 {
		id := fmt.Sprintf("person:n%04d", i)
		ids = append(ids, id)
		if i%2 == 0 {
			b.Entities = append(b.Entities, person(id, fmt.Sprintf("Many %d", i)))
		}
	}
	b.Entities = append(b.Entities, org("org:all", "All"))
	for _, e := range b.Entities[:len(b.Entities)-1] {
		b.Links = append(b.Links, lnk("l:"+e.ID, graph.LinkMemberOf, e.ID, "org:all"))
	}
	upsert(t, s, b)
	es, err := s.Entities(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 750 || es[0].ID != "person:n0000" || es[749].ID != "person:n1498" {
		t.Errorf("Entities of 1500 ids: %d found", len(es))
	}
	deg, err := s.Degrees(ctx, ids, graph.When{})
	if err != nil {
		t.Fatal(err)
	}
	if len(deg) != 750 || deg["person:n0002"] != 1 {
		t.Errorf("Degrees of 1500 ids: %d entries", len(deg))
	}
	ls, err := s.LinksOf(ctx, ids, nil, graph.DirectionOutgoing, graph.When{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range ls {
		n += len(l)
	}
	if n != 750 {
		t.Errorf("LinksOf 1500 ids: %d links, want 750", n)
	}
	all, err := s.LinksOf(ctx, []string{"org:all"}, []graph.LinkType{graph.LinkMemberOf}, graph.DirectionIncoming, graph.When{})
	if err != nil || len(all["org:all"]) != 750 {
		t.Errorf("LinksOf a hub: %d links, %v", len(all["org:all"]), err)
	}
}
