// Package graph is Skein's domain: entities (people, organisations,
// companies), the typed links between them, sanctions designations, the
// provenance every fact carries, and the Store interface that each backend
// (graph/embedded, graph/neo4j) implements.
//
// It imports nothing of Skein's own, so every other package can depend on it.
// Behaviour that must be identical on every store (validation, limits, search
// folding and ranking, cursors, result ordering) lives here once.
package graph
