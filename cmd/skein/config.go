package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/embedded"
	"github.com/skein-project/skein/graph/neo4j"
)

// storeConfig holds the settings every subcommand shares.
type storeConfig struct {
	Kind  string // embedded or neo4j
	Data  string // embedded store directory
	Neo4j neo4j.Config
}

// bind registers the store flags with defaults from the environment.
func (c *storeConfig) bind(fs *flag.FlagSet) {
	fs.StringVar(&c.Kind, "store", envOr("SKEIN_STORE", "embedded"), "store backend: embedded or neo4j (SKEIN_STORE)")
	fs.StringVar(&c.Data, "data", envOr("SKEIN_DATA", "data"), "data directory of the embedded store (SKEIN_DATA)")
	c.Neo4j = neo4j.Config{
		URI:      envOr("NEO4J_URI", "bolt://127.0.0.1:7687"),
		Username: envOr("NEO4J_USERNAME", "neo4j"),
		Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"),
	}
}

// storeFlags starts the flag set of a subcommand that works on a store.
func storeFlags(name string, stderr io.Writer) (*flag.FlagSet, *storeConfig) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	sc := &storeConfig{}
	sc.bind(fs)
	return fs, sc
}

// open opens the configured store.
func (c *storeConfig) open(ctx context.Context, logger *slog.Logger) (graph.Store, error) {
	switch c.Kind {
	case "embedded":
		dir, err := filepath.Abs(c.Data)
		if err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
		logger.Info("opening embedded store", "dir", dir)
		st, err := embedded.Open(ctx, dir)
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("the data directory %s is held by another process, most likely a running `skein serve`: "+
				"stop it, or send this work through it with --server http://ADDR (and --token TOKEN if it has tokens): %w", dir, graph.ErrUnavailable)
		}
		return st, err
	case "neo4j":
		cfg := c.Neo4j
		cfg.Logger = logger
		logger.Info("connecting to neo4j", "uri", cfg.URI, "user", cfg.Username)
		return neo4j.Open(ctx, cfg)
	}
	return nil, fmt.Errorf("unknown store %q (want embedded or neo4j)", c.Kind)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
