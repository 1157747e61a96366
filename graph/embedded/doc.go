// Package embedded is Skein's default graph store: the whole graph held in
// memory with integer-interned adjacency lists and an inverted index of
// folded name tokens, made durable with bbolt (one fsynced transaction per
// write, committed before memory changes), so an investigator needs nothing
// but the skein binary and a data directory.
//
// Records are stored in a compact binary encoding (codec.go) so that a
// million entities and five million links load with one sequential scan at
// start-up, and memory keeps them in that encoding (entities whole, links
// without their type and endpoints, which the slots hold), decoding only
// what a query returns: about 660 MB of heap for 1M entities and 4.3M
// links. Many readers and one writer may use a Store concurrently.
package embedded
