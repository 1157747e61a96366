// Command skein is Skein's one binary: `serve` runs the HTTP server (UI,
// GraphQL, export/import), `seed` loads the seed dataset, `import` and
// `export` move subgraphs in and out in the formats analysts use.
//
// Every subcommand takes the same store settings (--store, --data and the
// NEO4J_* environment), parsed once in config.go.
package main
