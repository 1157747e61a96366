// Package schema is Skein's GraphQL API: the SDL in *.graphql (one file per
// area, embedded and joined once), the resolvers over a graph.Store, and a
// GraphQL-over-HTTP handler that cmd/skein mounts at /graphql.
//
// Resolvers batch sibling lookups (see loader.go) so that a request costs a
// bounded number of store round trips whatever the size of its result.
package schema
