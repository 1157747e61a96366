// Package neo4j is the graph.Store backed by a Neo4j 5 server through the
// official Go driver (neo4j-go-driver v5).
//
// Entities are nodes labelled :Entity plus their kind's label (Person,
// Organization, Company); links are relationships whose type is the link
// type, each carrying a unique id property; documents are :Document nodes.
// Nested values (sources, designations, free properties) are stored as JSON
// strings, since Neo4j properties cannot hold maps; what queries filter or
// compute on is kept beside them as plain properties: a link's dates as
// native dates (dates.go), an OWNS link's stated percentage as a float
// and an entity's designation spans as day numbers (ownership.go), with
// start-up migrations for databases written before. Every query is
// parameterised: labels and relationship types, which Cypher cannot take as
// parameters, are spliced in only from the validated enumerations
// graph.Kinds and graph.LinkTypes.
//
// Traversals run a bounded number of queries inside one read transaction
// (one per BFS layer) and finish in Go with the shared helpers of package
// graph, so answers equal those of the embedded store; search asks the
// full-text index for candidates and ranks them with graph.MatchScore.
// Ownership chains (graph.OwnershipStore) are one query each, tallied by
// the server; graph/analysis finishes the answer from the tallies. So is
// sanctions exposure (graph.ExposureStore, exposure.go): the chosen
// shortest path to every designated entity nearby, from one ALL SHORTEST
// pattern.
package neo4j
