// Package synth generates deterministic synthetic criminal networks for
// benchmarks and load tests: gangs with heavy-tailed sizes and roles
// (leaders, brokers between gangs, financiers), companies in ownership
// chains with percentages (multi-level, some circular, some unknown),
// cross-border links, a few percent of designated entities, and the
// evidence kinds: identifications held by people, addresses shared by
// several parties, vessels and vehicles with operators, bank accounts with
// payments.
//
// Everything it makes is fictional and marked so (ids start with "syn:",
// designations are under the "Synthetic" regime); the same Config always
// yields the same graph, and every record is emitted once, so the counts a
// caller takes of the batches are what a store holds after upserting them.
package synth
