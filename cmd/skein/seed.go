package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/skein-project/skein/graph/embedded"
	"github.com/skein-project/skein/graph/formats"
	"github.com/skein-project/skein/seed"
)

// runSeed loads the seed dataset; loading it again changes nothing.
func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer, logger *slog.Logger) error {
	fs, sc := storeFlags("seed", stderr)
	var srv remote
	srv.bind(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if srv.enabled() {
		return seedVia(ctx, &srv, stdout)
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

// seedVia loads the seed into a scratch store, exports it as JSON and
// imports that through the server (idempotent like the local seed).
func seedVia(ctx context.Context, srv *remote, stdout io.Writer) error {
	dir, err := os.MkdirTemp("", "skein-seed-*")
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	defer os.RemoveAll(dir)
	scratch, err := embedded.Open(ctx, dir)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	defer scratch.Close()
	if err := seed.Load(ctx, scratch); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	var buf bytes.Buffer
	if err := formats.Export(ctx, scratch, formats.JSON, formats.Scope{}, &buf); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	rep, err := srv.importVia(ctx, formats.JSON, &buf)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(stdout, "seeded through %s: %d entities, %d links, %d documents written\n", srv.URL, rep.Entities, rep.Links, rep.Documents)
	return nil
}
