package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/synth"
)

// runGen loads a deterministic synthetic network into the store (for
// benchmarks and load tests; every id starts with "syn:").
func runGen(ctx context.Context, args []string, stdout, stderr io.Writer, logger *slog.Logger) error {
	fs, sc := storeFlags("gen", stderr)
	n := fs.Int("entities", 10_000, "number of entities (about 5 links each)")
	seedValue := fs.Uint64("seed", 1, "random seed: the same seed gives the same network")
	batch := fs.Int("batch", 10_000, "records per write transaction")
	force := fs.Bool("force", false, "write synthetic entities even into a store that holds real data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := sc.open(ctx, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	if !*force {
		if err := refuseRealData(ctx, store); err != nil {
			return err
		}
	}
	start := time.Now()
	var entities, links int
	w := newWriteAhead(ctx, store.Upsert)
	err = synth.Generate(ctx, synth.Config{Entities: *n, Seed: *seedValue, BatchSize: *batch}, func(b graph.Batch) error {
		entities += len(b.Entities)
		links += len(b.Links)
		return w.send(ctx, b)
	})
	if cerr := w.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	d := time.Since(start)
	fmt.Fprintf(stdout, "generated %d entities and %d links in %s (%.0f records/s)\n",
		entities, links, d.Round(time.Millisecond), float64(entities+links)/d.Seconds())
	return nil
}

// refuseRealData refuses a store holding anything but synthetic records
// (ids starting "syn:"): fictional entities must not mix with evidence.
func refuseRealData(ctx context.Context, store graph.Store) error {
	st, err := store.Stats(ctx)
	if err != nil || st.Entities == 0 {
		return err
	}
	docs, err := store.Documents(ctx)
	if err != nil {
		return err
	}
	real := 0
	for _, d := range docs {
		if !strings.HasPrefix(d.ID, "syn:") {
			real++
		}
	}
	if real == 0 {
		all, err := store.Snapshot(ctx, graph.SnapshotQuery{})
		if err != nil {
			return err
		}
		for _, e := range all.Nodes {
			if !strings.HasPrefix(e.ID, "syn:") {
				real++
			}
		}
	}
	if real > 0 {
		return fmt.Errorf("gen: the store holds %d entities, not all synthetic (the seed or imported data): "+
			"use an empty --data directory for synthetic networks, or --force to mix them in: %w", st.Entities, graph.ErrInvalid)
	}
	return nil
}
