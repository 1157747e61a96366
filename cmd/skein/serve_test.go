package main

import (
	"testing"

	"github.com/skein-project/skein/schema"
)

// TestMaxExecuting: unset, the embedded store takes the schema's default
// (one request per core) and Neo4j a few per core; a value given is kept.
func TestMaxExecuting(t *testing.T) {
	for _, tc := range []struct {
		kind     string
		given    int
		want     int
		whatWant string
	}{
		{"embedded", 0, 0, "the schema's default"},
		{"neo4j", 0, schema.DefaultMaxExecutingRemote(), "the schema's default for a database server"},
		{"neo4j", -1, -1, "no bound, as asked"},
		{"neo4j", 3, 3, "the value given"},
		{"embedded", -1, -1, "the value given"},
		{"embedded", 5, 5, "the value given"},
	} {
		cfg := serveConfig{Store: storeConfig{Kind: tc.kind}, MaxExecuting: tc.given}
		if got := maxExecuting(cfg); got != tc.want {
			t.Errorf("%s with --max-executing %d: %d, want %d (%s)", tc.kind, tc.given, got, tc.want, tc.whatWant)
		}
	}
}
