package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/seed"
)

// heldEntities holds every Entity call until the test lets it go, and
// says which id entered, in order.
type heldEntities struct {
	graph.Store
	entered chan string
	release chan struct{}
}

func (h *heldEntities) Entity(ctx context.Context, id string) (graph.Entity, error) {
	h.entered <- id
	<-h.release
	return h.Store.Entity(ctx, id)
}

// execSchema is a schema over the seeded embedded store whose Entity
// calls are held, with opts.
func execSchema(t *testing.T, opts Options) (*Schema, *heldEntities) {
	t.Helper()
	s := teststores.Embedded(t)
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	h := &heldEntities{Store: s, entered: make(chan string, 8), release: make(chan struct{}, 8)}
	sch, err := New(h, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sch, h
}

// serveEntity serves `entity(id)` through the handler with ctx, and
// returns the decoded response.
func serveEntity(t *testing.T, sch *Schema, ctx context.Context, id string) (int, *response) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": `query($id: ID!) { entity(id: $id) { id } }`, "variables": map[string]any{"id": id}})
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	sch.ServeHTTP(rec, req)
	var out response
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Errorf("response is not JSON: %v: %s", err, rec.Body.Bytes())
	}
	return rec.Code, &out
}

// waitFor polls until cond holds; the test's own deadline bounds it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		if t.Context().Err() != nil {
			t.Fatalf("gave up waiting until %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// noneEntered checks that no request is in the store.
func noneEntered(t *testing.T, h *heldEntities, while string) {
	t.Helper()
	select {
	case id := <-h.entered:
		t.Fatalf("%s reached the store while %s", id, while)
	default:
	}
}

// TestExecutionSlotsFirstComeFirstServed: with one execution slot, a
// request that arrives while another executes waits, outside the store,
// and the waiters run one at a time in the order they arrived.
func TestExecutionSlotsFirstComeFirstServed(t *testing.T) {
	sch, h := execSchema(t, Options{MaxExecuting: 1, Timeout: time.Minute})
	ids := []string{"person:burim-krasniqi", "person:nusret-seferovic", "person:burim-krasniqi"}
	var wg sync.WaitGroup
	got := make([]*response, len(ids))
	start := func(i int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, got[i] = serveEntity(t, sch, context.Background(), ids[i])
		}()
	}
	start(0)
	if id := <-h.entered; id != ids[0] {
		t.Fatalf("%s entered first", id)
	}
	// The second and the third queue behind the first, in that order.
	start(1)
	waitFor(t, "the second request waits", func() bool { return sch.exec.Waiting() == 1 })
	start(2)
	waitFor(t, "the third request waits", func() bool { return sch.exec.Waiting() == 2 })
	noneEntered(t, h, "the first held the only slot")

	order := []string{ids[0]}
	for range ids {
		h.release <- struct{}{} // lets the one in the store finish
		if len(order) < len(ids) {
			order = append(order, <-h.entered)
		}
	}
	wg.Wait()
	if !slices.Equal(order, ids) {
		t.Errorf("served in the order %v, want arrival order %v", order, ids)
	}
	for i, res := range got {
		if len(res.Errors) > 0 || !strings.Contains(string(res.Data), ids[i]) {
			t.Errorf("request %d: data %s, errors %+v", i, res.Data, res.Errors)
		}
	}
	if n := sch.exec.Waiting(); n != 0 {
		t.Errorf("%d still waiting", n)
	}
}

// TestExecutionSlotsWaiterLeaves: a waiting request whose client goes away
// or whose deadline passes leaves the queue without running, answered
// TIMEOUT with what happened, and the slot is still served to the next.
func TestExecutionSlotsWaiterLeaves(t *testing.T) {
	sch, h := execSchema(t, Options{MaxExecuting: 1, Timeout: time.Minute})
	first := make(chan *response, 1)
	go func() {
		_, res := serveEntity(t, sch, context.Background(), "person:burim-krasniqi")
		first <- res
	}()
	<-h.entered

	t.Run("cancelled by its client", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan *response, 1)
		go func() {
			_, res := serveEntity(t, sch, ctx, "person:nusret-seferovic")
			done <- res
		}()
		waitFor(t, "the request waits", func() bool { return sch.exec.Waiting() == 1 })
		cancel()
		res := <-done
		if got := res.codes(); !slices.Equal(got, []string{CodeTimeout}) || !strings.Contains(res.Errors[0].Message, "cancelled while it waited") {
			t.Errorf("codes %v, errors %+v; want TIMEOUT, cancelled while waiting", got, res.Errors)
		}
		if n := sch.exec.Waiting(); n != 0 {
			t.Errorf("%d still waiting after the client went away", n)
		}
		noneEntered(t, h, "it had left the queue")
	})

	t.Run("past its deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		status, res := serveEntity(t, sch, ctx, "person:nusret-seferovic")
		if got := res.codes(); !slices.Equal(got, []string{CodeTimeout}) || !strings.Contains(res.Errors[0].Message, "until its time limit passed") {
			t.Errorf("codes %v, errors %+v; want TIMEOUT, time limit passed while waiting", got, res.Errors)
		}
		if status != http.StatusOK || res.Data != nil {
			t.Errorf("status %d, data %s; want 200 and no data (it never ran)", status, res.Data)
		}
		if n := sch.exec.Waiting(); n != 0 {
			t.Errorf("%d still waiting after the deadline", n)
		}
		noneEntered(t, h, "it had left the queue")
	})

	// The held one finishes; the slot then serves the next request.
	h.release <- struct{}{}
	if res := <-first; len(res.Errors) > 0 {
		t.Fatalf("first request: %+v", res.Errors)
	}
	h.release <- struct{}{}
	if _, res := serveEntity(t, sch, context.Background(), "person:nusret-seferovic"); len(res.Errors) > 0 ||
		!strings.Contains(string(res.Data), "person:nusret-seferovic") {
		t.Errorf("after the waiters left: data %s, errors %+v", res.Data, res.Errors)
	}
	if id := <-h.entered; id != "person:nusret-seferovic" {
		t.Errorf("%s entered", id)
	}
}

// TestExecutionSlotsRefusedDoNotQueue: the cost check comes before the
// queue, so fan-out is refused TOO_COMPLEX at once even while every slot
// is taken.
func TestExecutionSlotsRefusedDoNotQueue(t *testing.T) {
	sch, h := execSchema(t, Options{MaxExecuting: 1, Timeout: time.Minute})
	done := make(chan struct{})
	go func() {
		defer close(done)
		serveEntity(t, sch, context.Background(), "person:burim-krasniqi")
	}()
	<-h.entered
	defer func() { h.release <- struct{}{}; <-done }()

	q := `{ neighborhood(id: "person:burim-krasniqi", depth: 2, limit: 5000) { nodes { links { target { links { id } } } } } }`
	body, _ := json.Marshal(map[string]any{"query": q})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	sch.ServeHTTP(rec, req) // returns without a slot
	var res response
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if got := res.codes(); !slices.Equal(got, []string{CodeTooComplex}) {
		t.Errorf("codes %v, want [TOO_COMPLEX]: %s", got, rec.Body.Bytes())
	}
}

// TestExecutionSlotsAnalysisGivesBack: a request that starts an analysis
// gives its execution slot back (the analysis slots bound it), so that a
// read does not wait behind it.
func TestExecutionSlotsAnalysisGivesBack(t *testing.T) {
	s := teststores.Embedded(t)
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	g := &gatedStore{Store: s, entered: make(chan struct{}, 1), release: make(chan struct{})}
	// Were the slot kept, the read would wait out its time limit.
	sch, err := New(g, Options{MaxExecuting: 1, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := &server{t: t, url: serveSchema(t, sch)}
	done := make(chan []string, 1)
	go func() { done <- srv.post(`{ centrality(metric: DEGREE) { score } }`, nil).codes() }()
	<-g.entered // the analysis is loading its snapshot
	res := srv.post(`{ entity(id: "person:burim-krasniqi") { id } }`, nil)
	close(g.release)
	if len(res.Errors) > 0 || !strings.Contains(string(res.Data), "person:burim-krasniqi") {
		t.Errorf("read while an analysis ran: data %s, errors %+v", res.Data, res.Errors)
	}
	if codes := <-done; len(codes) > 0 {
		t.Errorf("analysis: %v", codes)
	}
}
