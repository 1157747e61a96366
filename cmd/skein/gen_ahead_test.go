package main

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/skein-project/skein/graph"
)

// TestWriteAheadKeepsOrder: batches are written one at a time in the
// order sent, every one of them by close.
func TestWriteAheadKeepsOrder(t *testing.T) {
	ctx := context.Background()
	var got []string
	inFlight := 0
	w := newWriteAhead(ctx, func(_ context.Context, b graph.Batch) error {
		inFlight++
		if inFlight > 1 {
			t.Error("two batches written at once")
		}
		got = append(got, b.Entities[0].ID)
		inFlight--
		return nil
	})
	for i := range 50 {
		if err := w.send(ctx, graph.Batch{Entities: []graph.Entity{{ID: fmt.Sprint(i)}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 50 {
		t.Fatalf("wrote %d batches of 50", len(got))
	}
	for i, id := range got {
		if id != fmt.Sprint(i) {
			t.Fatalf("batch %d written as %s-th", i, id)
		}
	}
}

// TestWriteAheadStopsAtFirstError: after a write fails, no later batch is
// written, sends return the error (at the latest one batch later) and
// close returns it.
func TestWriteAheadStopsAtFirstError(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("boom")
	written := 0
	w := newWriteAhead(ctx, func(_ context.Context, b graph.Batch) error {
		written++
		if b.Entities[0].ID == "3" {
			return boom
		}
		return nil
	})
	var sendErr error
	for i := 0; i < 100 && sendErr == nil; i++ {
		sendErr = w.send(ctx, graph.Batch{Entities: []graph.Entity{{ID: fmt.Sprint(i)}}})
	}
	if !errors.Is(sendErr, boom) {
		t.Fatalf("send after the failure: %v, want boom", sendErr)
	}
	if err := w.close(); !errors.Is(err, boom) {
		t.Fatalf("close: %v, want boom", err)
	}
	if written != 4 {
		t.Fatalf("%d batches written, want the 4 up to the failing one", written)
	}
}

// TestWriteAheadHonoursCancel: a send waiting behind a slow write returns
// when its context ends.
func TestWriteAheadHonoursCancel(t *testing.T) {
	release := make(chan struct{})
	w := newWriteAhead(context.Background(), func(context.Context, graph.Batch) error {
		<-release
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	b := graph.Batch{Entities: []graph.Entity{{ID: "x"}}}
	_ = w.send(ctx, b) // being written
	_ = w.send(ctx, b) // queued
	cancel()
	if err := w.send(ctx, b); !errors.Is(err, context.Canceled) {
		t.Fatalf("send with the queue full and its context cancelled: %v", err)
	}
	close(release)
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
}
