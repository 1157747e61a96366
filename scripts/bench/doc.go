// Command bench measures Skein side by side with its baselines in one run
// and writes BENCHMARKS.md: it generates a synthetic criminal network
// (graph/synth), imports it into the embedded store and into Neo4j with
// `skein gen`, serves both with `skein serve`, and times the same read
// operations through Skein's GraphQL API, as hand-written Cypher through
// neo4j-go-driver on the same Neo4j, and through the @neo4j/graphql peer
// server (scripts/bench/peer) on the same Neo4j. scripts/bench.sh starts
// Neo4j and the run; `make bench` calls it.
package main
