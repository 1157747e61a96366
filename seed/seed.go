package seed

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/skein-project/skein/graph"
)

// The data file is embedded as a string (immutable), the sources as an
// embed.FS, so the package holds no mutable state.
var (
	//go:embed dataset.json
	datasetJSON string

	//go:embed sources
	sourcesFS embed.FS
)

// Dataset returns the seed graph, decoded afresh on every call so callers may
// modify it. It is validated and in normal form (graph.Batch.Normalize).
func Dataset() (graph.Batch, error) {
	var b graph.Batch
	dec := json.NewDecoder(strings.NewReader(datasetJSON))
	// A misspelt field would otherwise be dropped silently, losing a fact.
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return graph.Batch{}, fmt.Errorf("seed: decode dataset.json: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return graph.Batch{}, fmt.Errorf("seed: dataset.json: data after the top-level object")
	}
	if err := b.Normalize(); err != nil {
		return graph.Batch{}, fmt.Errorf("seed: dataset.json: %w", err)
	}
	return b, nil
}

// Load writes the seed graph into s in one Upsert. Every record is written
// by id, so loading again changes nothing (it restores seed records that
// were edited since).
func Load(ctx context.Context, s graph.Store) error {
	b, err := Dataset()
	if err != nil {
		return err
	}
	if err := s.Upsert(ctx, b); err != nil {
		return fmt.Errorf("seed: load: %w", err)
	}
	return nil
}

// Sources returns the source documents of the seed, rooted at seed/sources
// (the text files and NOTICE with their attribution).
func Sources() fs.FS {
	sub, err := fs.Sub(sourcesFS, "sources")
	if err != nil {
		// fs.Sub fails only on an invalid path, and "sources" is valid.
		panic(err)
	}
	return sub
}

// Source returns the bytes of one source file. name is relative to
// seed/sources ("uk-gim-sanctions-2025-10-23.txt") or a graph.Document's
// Path ("sources/uk-gim-sanctions-2025-10-23.txt"). An unknown name is
// graph.ErrNotFound.
func Source(name string) ([]byte, error) {
	name = strings.TrimPrefix(name, "sources/")
	if !fs.ValidPath(name) || name == "." {
		return nil, fmt.Errorf("seed: source %q: %w", name, graph.ErrNotFound)
	}
	data, err := fs.ReadFile(Sources(), name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("seed: source %q: %w", name, graph.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("seed: source %q: %w", name, err)
	}
	return data, nil // embed.FS hands out a fresh copy
}
