// Package analysis answers the investigator's structural questions about a
// network — who holds it together (centrality, brokers), which clusters it
// has (communities), who is how close to a sanctioned party and through whom
// (sanctions exposure), which routes between two parties are cheapest
// (weighted paths), and what removing entities would do (disruption, key
// players, Gould–Fernandez brokerage) — once, over a graph.Subgraph snapshot that any store
// returns, so the embedded and Neo4j backends give the same answers.
// Ownership (Holdings, Owners, SanctionsOwnership) is defined here over a
// snapshot too; HoldingsIn, OwnersIn and SanctionsOwnershipIn ask a store
// that enumerates the chains itself (graph.OwnershipStore) for their
// tallies instead, and finish both roads' answers with the same code;
// SanctionsExposureIn likewise asks a graph.ExposureStore for its paths.
//
// Centrality, communities and brokers treat the snapshot as networkx does a
// Graph: undirected and simple (direction ignored, parallel links collapsed,
// self-links dropped), with networkx 3.x's default definitions and
// normalisation, so that every figure can be checked against networkx; the
// tests do exactly that on published networks. Every algorithm is written
// here over flat arrays (the index in adapter.go), since a general graph
// library's maps and interfaces cost an order of magnitude at 100k
// entities and cannot be cancelled; each long loop checks its context every
// few thousand units of work (cancel.go). The superlinear analyses have
// their limits in limits.go, one place; beyond one a request is refused,
// never answered from a sample.
package analysis
