// Command skein is Skein's one binary: `serve` runs the HTTP server (UI,
// GraphQL, export/import), `seed` loads the seed dataset, `import` and
// `export` move subgraphs in and out in the formats analysts use.
//
// This package keeps only flags and wiring: every subcommand takes the same
// store settings (--store, --data and the NEO4J_* environment), parsed once
// in config.go; serve.go opens the store and the audit log and mounts the
// HTTP application of internal/httpapi. The audit trail itself is
// internal/audit.
package main
