// Package formats reads and writes Skein subgraphs in the file formats that
// analysts move between tools: GraphML (yEd, Gephi, networkx), GEXF 1.3
// (Gephi), a CSV zip that `neo4j-admin database import` also accepts,
// FollowTheMoney JSON lines (Aleph, OpenSanctions), a Cypher script, Skein's
// own JSON and i2 Analyst's Notebook exchange XML (ANX).
//
// Writers stream: Export takes a snapshot from the store and hands every
// document, entity and link to the format's encoder one at a time, in that
// order, and encoders keep no per-entity state beyond what their format
// needs. Readers (JSON, FtM, CSV, GraphML: the formats that carry the whole
// model) hold at most MaxImportBytes of input, validate every record first
// and report every bad row with its line number (*ImportError); Import then
// writes the whole file in one Store.Upsert, so a file is imported entirely
// or not at all, and re-importing it is idempotent because records are
// keyed by id.
//
// Conventions for fields a format has no slot for are documented beside
// each format (see ftm.go, csv.go, graphml.go).
package formats
