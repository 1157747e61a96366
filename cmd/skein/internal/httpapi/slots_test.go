package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skein-project/skein/cmd/skein/internal/audit"
	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/seed"
)

// gatedStore holds every Snapshot (a GraphQL analysis) and every
// Candidates (a match) until the test lets them go, and counts how many
// are held at once.
type gatedStore struct {
	graph.Store
	entered       chan string
	release       chan struct{}
	running, peak atomic.Int64
}

func (g *gatedStore) hold(what string) {
	n := g.running.Add(1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			break
		}
	}
	g.entered <- what
	<-g.release
	g.running.Add(-1)
}

func (g *gatedStore) Snapshot(ctx context.Context, q graph.SnapshotQuery) (graph.Subgraph, error) {
	g.hold("snapshot")
	return g.Store.Snapshot(ctx, q)
}

func (g *gatedStore) Candidates(ctx context.Context, qs []graph.CandidateQuery) ([][]graph.Entity, error) {
	g.hold("candidates")
	return g.Store.Candidates(ctx, qs)
}

// slotsApp serves the application over a gated seeded store with two
// analysis slots.
func slotsApp(t *testing.T, timeout time.Duration) (*gatedStore, string, func()) {
	t.Helper()
	s := teststores.Embedded(t)
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	trail, err := audit.Open(filepath.Join(t.TempDir(), "audit.log"), audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { trail.Close() })
	g := &gatedStore{Store: s, entered: make(chan string, 64), release: make(chan struct{})}
	h, err := New(g, Options{Timeout: timeout, Audit: trail, MaxAnalyses: 2})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	var once sync.Once
	release := func() { once.Do(func() { close(g.release) }) }
	t.Cleanup(srv.Close)
	t.Cleanup(release) // runs first: no request is left blocked
	return g, srv.URL, release
}

// post sends body to url and returns the status and the code of the
// answer (the REST error's, or the first GraphQL error's).
func post(t *testing.T, url, contentType, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, contentType, strings.NewReader(body))
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct {
		Code   string
		Errors []struct{ Extensions struct{ Code string } }
	}
	if resp.Header.Get("Content-Type") != "application/x-ndjson" {
		_ = json.NewDecoder(bytes.NewReader(b)).Decode(&e)
	}
	if e.Code == "" && len(e.Errors) > 0 {
		e.Code = e.Errors[0].Extensions.Code
	}
	return resp.StatusCode, e.Code
}

const (
	slotsMatch    = `{"key":"k","names":["Nusret Seferovic"]}` + "\n"
	slotsAnalysis = `{"query":"{ centrality(metric: DEGREE) { score } }"}`
)

// TestMatchTakesAnalysisSlots: POST /api/match runs in the analysis slots
// GraphQL's analyses run in, one limit for both: with two slots held by
// GraphQL analyses a match waits, and gets TIMEOUT once its deadline
// passes, without reaching the store; with two held by matches a GraphQL
// analysis does the same; four of them at once never hold more than two,
// and all are served once the first finish.
func TestMatchTakesAnalysisSlots(t *testing.T) {
	g, url, release := slotsApp(t, time.Minute)
	var wg sync.WaitGroup
	statuses := make([]int, 4)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				statuses[i], _ = post(t, url+"/api/match", "application/x-ndjson", slotsMatch)
			} else {
				statuses[i], _ = post(t, url+"/graphql", "application/json", slotsAnalysis)
			}
		}()
	}
	<-g.entered
	<-g.entered
	select {
	case what := <-g.entered:
		release()
		wg.Wait()
		t.Fatalf("a third analysis (%s) reached the store while two held the two slots", what)
	case <-time.After(300 * time.Millisecond):
	}
	release()
	wg.Wait()
	for i, st := range statuses {
		if st != http.StatusOK {
			t.Errorf("request %d: status %d, want 200", i, st)
		}
	}
	if p := g.peak.Load(); p != 2 {
		t.Errorf("at most %d analyses reached the store at once, want 2 (the slots)", p)
	}

	for _, held := range []struct{ url, contentType, body, waiting string }{
		{"/graphql", "application/json", slotsAnalysis, "/api/match"},
		{"/api/match", "application/x-ndjson", slotsMatch, "/graphql"},
	} {
		g, url, release := slotsApp(t, 2*time.Second)
		for range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); post(t, url+held.url, held.contentType, held.body) }()
		}
		<-g.entered
		<-g.entered
		var status int
		var code string
		if held.waiting == "/api/match" {
			status, code = post(t, url+"/api/match", "application/x-ndjson", slotsMatch)
		} else {
			status, code = post(t, url+"/graphql", "application/json", slotsAnalysis)
		}
		if code != graph.CodeTimeout || (held.waiting == "/api/match" && status != http.StatusGatewayTimeout) {
			t.Errorf("%s waiting while %s holds both slots: status %d code %q, want %s", held.waiting, held.url, status, code, graph.CodeTimeout)
		}
		if n := g.running.Load(); n != 2 {
			t.Errorf("%s waiting: %d requests at the store, want the 2 that hold the slots", held.waiting, n)
		}
		release()
		wg.Wait()
	}
}
