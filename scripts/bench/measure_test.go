package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	var lats []time.Duration
	for i := 1; i <= 100; i++ {
		lats = append(lats, time.Duration(i))
	}
	if got := percentile(lats, 0.5); got != 50 {
		t.Errorf("p50 of 1..100 = %d, want 50", got)
	}
	if got := percentile(lats, 0.99); got != 99 {
		t.Errorf("p99 of 1..100 = %d, want 99", got)
	}
	if got := percentile(lats[:1], 0.99); got != 1 {
		t.Errorf("p99 of one sample = %d, want 1", got)
	}
}

func TestMeasureCountsRequestsAndErrors(t *testing.T) {
	r := measure(context.Background(), 4, budget{Duration: time.Minute, Requests: 40}, time.Second,
		func(ctx context.Context, i int) (outcome, error) {
			if i%10 == 0 {
				return outcome{}, errors.New("boom")
			}
			return outcome{Nodes: i, Truncated: i%2 == 1}, nil
		})
	if r.Requests != 40 || r.Errors != 4 {
		t.Errorf("requests %d errors %d, want 40 and 4", r.Requests, r.Errors)
	}
	if r.MaxNodes != 39 || r.Truncated != 20 {
		t.Errorf("max nodes %d truncated %d, want 39 and 20", r.MaxNodes, r.Truncated)
	}
	if r.FirstError != "boom" || r.Throughput <= 0 {
		t.Errorf("first error %q throughput %f", r.FirstError, r.Throughput)
	}
}

func TestPeerQueryCapsEveryNestedField(t *testing.T) {
	for d := 1; d <= 3; d++ {
		l := perFieldLimit(d)
		pow := func(x int) int {
			p := 1
			for range d {
				p *= x
			}
			return p
		}
		if pow(l) > nbrLimit || pow(l+1) <= nbrLimit {
			t.Errorf("depth %d: per-field limit %d is not the integer %d-th root of %d", d, l, d, nbrLimit)
		}
	}
	q := peerNbrQuery("Organization", 2, 22)
	// Organization has 3 relationship fields, each leading to a type with
	// 6 (Person) or 3 (Organization) fields: 3 + 6 + 3 + 3 nested fields.
	if n := strings.Count(q, "(limit: 22)"); n != 15 {
		t.Errorf("depth-2 organisation query has %d capped fields, want 15: %s", n, q)
	}
	if !strings.HasPrefix(q, `query($id: ID!) { organizations(where: {id: {eq: $id}})`) {
		t.Errorf("unexpected root: %s", q)
	}
}

// TestMeasureFirstByte: over HTTP, measure also reports the time to the
// answer's first byte, which never exceeds the whole request's; an op that
// makes no HTTP request leaves it zero.
func TestMeasureFirstByte(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":`))
		w.(http.Flusher).Flush() // the first byte leaves before the rest
		_, _ = w.Write([]byte(`{"x":1}}`))
	}))
	defer srv.Close()
	c := newGQLClient(srv.URL)
	r := measure(context.Background(), 2, budget{Duration: time.Minute, Requests: 20}, 10*time.Second,
		func(ctx context.Context, i int) (outcome, error) { return outcome{}, c.do(ctx, "{ x }", nil, nil) })
	if r.Errors != 0 || r.Requests != 20 {
		t.Fatalf("requests %d errors %d (%s)", r.Requests, r.Errors, r.FirstError)
	}
	if r.FirstByteP50 <= 0 || r.FirstByteP50 > r.P50 || r.FirstByteP99 > r.P99 {
		t.Errorf("first byte p50 %v p99 %v against latency p50 %v p99 %v", r.FirstByteP50, r.FirstByteP99, r.P50, r.P99)
	}
	none := measure(context.Background(), 1, budget{Duration: time.Minute, Requests: 5}, time.Second,
		func(ctx context.Context, i int) (outcome, error) { return outcome{}, nil })
	if none.FirstByteP50 != 0 || none.FirstByteP99 != 0 {
		t.Errorf("no HTTP request, yet first byte p50 %v p99 %v", none.FirstByteP50, none.FirstByteP99)
	}
}
