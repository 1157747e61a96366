package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/skein-project/skein/seed"
)

// runSeed loads the seed dataset; loading it again changes nothing.
func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer, logger *slog.Logger) error {
	fs, sc := storeFlags("seed", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := sc.open(ctx, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := seed.Load(ctx, store); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	st, err := store.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded: the store holds %d entities and %d links\n", st.Entities, st.Links)
	return nil
}
