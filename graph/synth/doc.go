// Package synth generates deterministic synthetic criminal networks for
// benchmarks and load tests: gangs with heavy-tailed sizes and roles
// (leaders, brokers between gangs, financiers), companies in ownership
// chains, cross-border links and a few percent of designated entities.
//
// Everything it makes is fictional and marked so (ids start with "syn:",
// designations are under the "Synthetic" regime); the same Config always
// yields the same graph.
package synth
