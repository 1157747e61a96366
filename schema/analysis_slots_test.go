package schema

import (
	"context"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/seed"
)

// gatedStore holds every Snapshot until the test lets it go, and records
// how many ran at once.
type gatedStore struct {
	graph.Store
	entered       chan struct{}
	release       chan struct{}
	running, peak atomic.Int64
}

func (g *gatedStore) Snapshot(ctx context.Context, q graph.SnapshotQuery) (graph.Subgraph, error) {
	n := g.running.Add(1)
	defer g.running.Add(-1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			break
		}
	}
	g.entered <- struct{}{}
	<-g.release
	return g.Store.Snapshot(ctx, q)
}

// TestAnalysisSlots: with two analysis slots, four concurrent analyses
// of different kinds never have more than two snapshots loading at once;
// all four are served once the first ones finish; and one waiting for a
// slot past its deadline gets TIMEOUT.
func TestAnalysisSlots(t *testing.T) {
	s := teststores.Embedded(t)
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	g := &gatedStore{Store: s, entered: make(chan struct{}, 8), release: make(chan struct{})}
	sch, err := New(g, Options{MaxAnalyses: 2, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	srv := &server{t: t, url: serveSchema(t, sch)}
	var once sync.Once
	release := func() { once.Do(func() { close(g.release) }) }
	defer release() // before the server closes, so that no request is left blocked

	queries := []string{
		`{ centrality(metric: DEGREE) { score } }`,
		`{ communities { id } }`,
		`{ brokers { articulationPoints { id } } }`,
		`{ keyPlayers(k: 1) { fragmentation } }`,
	}
	var wg sync.WaitGroup
	codes := make([][]string, len(queries))
	for i, q := range queries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = srv.post(q, nil).codes()
		}()
	}
	// Two snapshots start; the other two analyses wait for a slot.
	<-g.entered
	<-g.entered
	select {
	case <-g.entered:
		release()
		wg.Wait()
		t.Fatal("a third analysis loaded its snapshot while two were running with two slots")
	case <-time.After(300 * time.Millisecond):
	}
	release()
	wg.Wait()
	for i, c := range codes {
		if len(c) != 0 {
			t.Errorf("%s: errors %v, want none", queries[i], c)
		}
	}
	if p := g.peak.Load(); p != 2 {
		t.Errorf("at most %d snapshots ran at once, want 2 (the slots)", p)
	}

	// Both slots taken by analyses that never finish: a third one times out
	// waiting, without ever loading its snapshot.
	g2 := &gatedStore{Store: s, entered: make(chan struct{}, 8), release: make(chan struct{})}
	sch2, err := New(g2, Options{MaxAnalyses: 2, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv2 := &server{t: t, url: serveSchema(t, sch2)}
	var once2 sync.Once
	release2 := func() { once2.Do(func() { close(g2.release) }) }
	defer release2()
	for range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); srv2.post(queries[0], nil) }()
	}
	<-g2.entered
	<-g2.entered
	got := srv2.post(queries[1], nil).codes()
	if len(got) != 1 || got[0] != CodeTimeout {
		t.Errorf("an analysis waiting for a slot past its deadline: codes %v, want [%s]", got, CodeTimeout)
	}
	if n := g2.running.Load(); n != 2 {
		t.Errorf("%d snapshots running, want the 2 that hold the slots", n)
	}
	release2()
	wg.Wait()
}

func serveSchema(t testing.TB, sch *Schema) string {
	hs := httptest.NewServer(sch)
	t.Cleanup(hs.Close)
	return hs.URL
}
