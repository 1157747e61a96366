package main

import (
	"context"

	"github.com/skein-project/skein/graph"
)

// writeAhead writes batches with write one at a time, in the order given,
// on a goroutine of its own, so that producing the next batch overlaps
// with writing the last (generating 5.3M synthetic records took 17 s of
// an embedded import's 96 s, and of a Neo4j one's 560 s). At most one batch waits while another
// is written. The first error stops it: nothing after it is written, later
// sends return that error (the batch queued meanwhile is dropped) and so
// does close.
type writeAhead struct {
	in   chan graph.Batch
	done chan struct{}
	err  error // set by the writer before done closes
}

func newWriteAhead(ctx context.Context, write func(context.Context, graph.Batch) error) *writeAhead {
	w := &writeAhead{in: make(chan graph.Batch, 1), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for b := range w.in {
			if err := write(ctx, b); err != nil {
				w.err = err // before done closes: send and close read it after
				return
			}
		}
	}()
	return w
}

// send queues b, waiting while another batch is queued; it returns the
// writer's error once it has failed.
func (w *writeAhead) send(ctx context.Context, b graph.Batch) error {
	select {
	case <-w.done:
		return w.err
	default:
	}
	select {
	case w.in <- b:
		return nil
	case <-w.done:
		return w.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close waits for every queued batch to be written and returns the first
// error.
func (w *writeAhead) close() error {
	close(w.in)
	<-w.done
	return w.err
}
