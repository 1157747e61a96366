// Package neo4j is the graph.Store backed by a Neo4j 5 server through the
// official Go driver (neo4j-go-driver v5).
//
// Entities are nodes labelled :Entity plus their kind's label (Person,
// Organization, Company); links are relationships whose type is the link
// type, each carrying a unique id property; documents are :Document nodes.
// Nested values (sources, designations, free properties) are stored as JSON
// strings, since Neo4j properties cannot hold maps. Every query is
// parameterised: labels and relationship types, which Cypher cannot take as
// parameters, are spliced in only from the validated enumerations
// graph.Kinds and graph.LinkTypes.
//
// Traversals run a bounded number of queries inside one read transaction
// (one per BFS layer) and finish in Go with the shared helpers of package
// graph, so answers equal those of the embedded store; search asks the
// full-text index for candidates and ranks them with graph.MatchScore.
package neo4j
