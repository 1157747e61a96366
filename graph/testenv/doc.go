// Package testenv is the one place where a test says it needs something
// the machine may lack: a program (java, chromium), a Python module
// (followthemoney, networkx), a service (Neo4j) or a build step (the UI).
// Outside CI such a test skips and says what is missing and how to get
// it; under CI=true it fails with the same words, so a CI run never passes
// by skipping a real check.
//
// It imports nothing of ours, so a test in any package (graph, formats,
// ui, seed, cmd) can use it.
package testenv
