// Package httpapi is Skein's HTTP application: the router (health, GraphQL,
// REST export/import, the audit trail, the embedded UI), access control
// (bearer tokens, roles, the browser sign-in), per-token rate limits and the
// audit of every request. cmd/skein's main only parses flags and wires a
// store, an audit log and this handler into a server.
package httpapi
