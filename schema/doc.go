// Package schema is Skein's GraphQL API: the SDL in *.graphql (one file per
// area, embedded and joined once), the resolvers over a graph.Store, and a
// GraphQL-over-HTTP handler that cmd/skein mounts at /graphql. The link
// analysis fields (centrality, communities, brokers, sanctions exposure,
// weighted paths) run graph/analysis over a store snapshot.
//
// Resolvers batch sibling lookups (see loader.go) so that a request costs a
// bounded number of store round trips whatever the size of its result.
//
// graphql-go parses and validates every request. A query whose root fields
// are neighborhood, paths, entity, search or sharedAssociates and which
// selects only plain fields of subgraphs, paths, search connections
// (edges, pageInfo, totalCount), entities and links (and properties,
// sanctioned, the root entity's degree) is executed by the fast executor
// (fast_exec.go),
// which writes the answer straight from the store's, byte for byte what
// graphql-go would write (fast_diff_test.go); graphql-go executes
// everything else.
//
// Every error in a response carries extensions.code: NOT_FOUND (the field is
// null, HTTP 200), BAD_USER_INPUT, TOO_COMPLEX (query depth, cost and
// aliases, measured before execution (complexity.go); query text, body,
// hops, page and result sizes over their limits), TIMEOUT (the per-request
// time limit, which also cancels the store's work), UNAVAILABLE,
// UNAUTHENTICATED and FORBIDDEN (from Options.Authorize), METHOD_NOT_ALLOWED
// (a mutation over GET, HTTP 405), GRAPHQL_PARSE_FAILED and
// GRAPHQL_VALIDATION_FAILED, and INTERNAL_SERVER_ERROR for bugs, whose
// details are logged rather than returned.
package schema
