package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// stalledWriter is the response of a client that stops reading: Write
// blocks until the test lets it go (as a full socket buffer does, without
// end when the client never reads).
type stalledWriter struct {
	*httptest.ResponseRecorder
	writing chan struct{} // closed at the first Write
	unblock chan struct{}
	started bool
}

func (w *stalledWriter) Write(b []byte) (int, error) {
	if !w.started {
		w.started = true
		close(w.writing)
	}
	<-w.unblock
	return w.ResponseRecorder.Write(b)
}

// TestExecutionSlotsStalledReader: the execution slot is given back once
// the answer is built, before it is written, so that a client that does not
// read its answer holds no slot: with one slot, the next request runs and
// is answered while the first answer's write is stuck. (Holding the slot
// through the write would let a few such clients stop the server: the
// write waits on the client, not on the CPU.)
func TestExecutionSlotsStalledReader(t *testing.T) {
	sch, h := execSchema(t, Options{MaxExecuting: 1, Timeout: time.Minute})
	body, _ := json.Marshal(map[string]any{"query": `query($id: ID!) { entity(id: $id) { id } }`,
		"variables": map[string]any{"id": "person:burim-krasniqi"}})
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	stalled := &stalledWriter{ResponseRecorder: httptest.NewRecorder(), writing: make(chan struct{}), unblock: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sch.ServeHTTP(stalled, req)
	}()
	if id := <-h.entered; id != "person:burim-krasniqi" {
		t.Fatalf("%s entered first", id)
	}
	h.release <- struct{}{}
	<-stalled.writing // its answer is built and being written; the client reads nothing

	// The only slot is free: the next request runs and is answered while
	// the first write is still stuck.
	next := make(chan *response, 1)
	go func() {
		_, res := serveEntity(t, sch, context.Background(), "person:nusret-seferovic")
		next <- res
	}()
	// With the slot free it does not queue at all: one waiting is the
	// slot held by the stuck write (and would wait as long as it does).
	waitFor(t, "the second request enters the store or queues", func() bool { return len(h.entered) > 0 || sch.exec.Waiting() > 0 })
	if sch.exec.Waiting() > 0 {
		close(stalled.unblock) // lets the first finish, so the test ends
		t.Fatal("the next request waits for the slot of an answer that is being written to a client that does not read")
	}
	if id := <-h.entered; id != "person:nusret-seferovic" {
		t.Fatalf("%s entered second", id)
	}
	h.release <- struct{}{}
	res := <-next
	if len(res.Errors) > 0 || !strings.Contains(string(res.Data), "person:nusret-seferovic") {
		t.Errorf("second request behind a stalled reader: data %s, errors %+v", res.Data, res.Errors)
	}
	if n := sch.exec.Waiting(); n != 0 {
		t.Errorf("%d waiting for a slot while the only busy request is writing", n)
	}
	select {
	case <-done:
		t.Fatal("the stalled write returned before the client read")
	default:
	}

	// Once the client reads, the first answer is complete.
	close(stalled.unblock)
	<-done
	var first response
	if err := json.Unmarshal(stalled.Body.Bytes(), &first); err != nil || len(first.Errors) > 0 ||
		!strings.Contains(string(first.Data), "person:burim-krasniqi") {
		t.Errorf("first answer after the stall: %v: %s", err, stalled.Body.Bytes())
	}
}
