package schema

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/seed"
)

// TestExecutionSlotsOverNeo4j: over a real Neo4j, the bound skein serve
// takes there by default (DefaultMaxExecutingRemote) lets exactly that many
// requests into the store at once. One more waits outside the store until
// a slot is given back; one whose deadline passes while it waits is
// answered TIMEOUT without having run; the held ones then finish with
// Neo4j's answers.
func TestExecutionSlotsOverNeo4j(t *testing.T) {
	s := teststores.Neo4j(t)
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	n := DefaultMaxExecutingRemote()
	h := &heldEntities{Store: s, entered: make(chan string, n+2), release: make(chan struct{}, n+2)}
	sch, err := New(h, Options{MaxExecuting: n, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"person:burim-krasniqi", "person:nusret-seferovic"}
	type answer struct {
		id  string
		res *response
	}
	answers := make(chan answer, n+1)
	serve := func(id string) {
		go func() {
			_, res := serveEntity(t, sch, context.Background(), id)
			answers <- answer{id, res}
		}()
	}
	for i := range n {
		serve(ids[i%2])
	}
	for range n {
		<-h.entered
	}

	// Every slot is taken: the next request waits, outside the store.
	serve(ids[0])
	waitFor(t, "the request past the bound waits", func() bool { return sch.exec.Waiting() == 1 })
	noneEntered(t, h, "every slot was taken")

	t.Run("a waiter past its deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		status, res := serveEntity(t, sch, ctx, ids[1])
		if got := res.codes(); !slices.Equal(got, []string{CodeTimeout}) || !strings.Contains(res.Errors[0].Message, "until its time limit passed") {
			t.Errorf("codes %v, errors %+v; want TIMEOUT, time limit passed while waiting", got, res.Errors)
		}
		if status != http.StatusOK || res.Data != nil {
			t.Errorf("status %d, data %s; want 200 and no data (it never ran)", status, res.Data)
		}
		noneEntered(t, h, "it waited for a slot")
		if w := sch.exec.Waiting(); w != 1 {
			t.Errorf("%d waiting after the deadline passed, want the one without a deadline", w)
		}
	})

	// One slot given back: the waiter enters, and still no more than n.
	h.release <- struct{}{}
	if id := <-h.entered; id != ids[0] {
		t.Errorf("%s entered, want the waiter %s", id, ids[0])
	}
	noneEntered(t, h, "the slot went to the one waiter")
	for range n {
		h.release <- struct{}{}
	}
	for range n + 1 {
		a := <-answers
		if len(a.res.Errors) > 0 || !strings.Contains(string(a.res.Data), a.id) {
			t.Errorf("%s: data %s, errors %+v", a.id, a.res.Data, a.res.Errors)
		}
	}
}
