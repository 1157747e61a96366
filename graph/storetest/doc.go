// Package storetest is the one conformance suite every graph.Store must
// pass unchanged: Run exercises each Store method against the semantics
// documented in package graph, and checks the traversal queries against a
// plain brute-force reference on a seeded random graph, so that the
// embedded store and the Neo4j store give identical answers.
package storetest
