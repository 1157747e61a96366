package formats

import (
	"fmt"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Format names an import/export file format.
type Format string

// Formats supported by Export; CanRead tells which Import accepts.
const (
	GraphML Format = "graphml" // GraphML 1.0 (yEd, Gephi, networkx, Cytoscape)
	GEXF    Format = "gexf"    // GEXF 1.3 (Gephi), dynamic when dated
	CSV     Format = "csv"     // zip of documents.csv, nodes.csv, links.csv (neo4j-admin headers)
	FtM     Format = "ftm"     // FollowTheMoney entities, one JSON object a line
	Cypher  Format = "cypher"  // Cypher script that MERGEs the subgraph into Neo4j
	JSON    Format = "json"    // Skein's own shape: {"documents","entities","links"}
	ANX     Format = "anx"     // i2 Analyst's Notebook exchange XML
)

// Formats lists every format in a stable order.
func Formats() []Format {
	return []Format{GraphML, GEXF, CSV, FtM, Cypher, JSON, ANX}
}

// ParseFormat parses a format name case-insensitively; a few common aliases
// (a file extension, "followthemoney", "i2") are accepted too.
func ParseFormat(s string) (Format, error) {
	v := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "."))
	switch v {
	case "graphml", "gexf", "csv", "ftm", "cypher", "json", "anx":
		return Format(v), nil
	case "zip":
		return CSV, nil
	case "followthemoney", "jsonl", "ndjson":
		return FtM, nil
	case "cql":
		return Cypher, nil
	case "i2":
		return ANX, nil
	}
	return "", fmt.Errorf("unknown format %q (want one of %s): %w", s, formatList(), graph.ErrInvalid)
}

func formatList() string {
	var names []string
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// ContentType is the MIME type of an export in this format.
func (f Format) ContentType() string {
	switch f {
	case GraphML:
		return "application/graphml+xml"
	case GEXF:
		return "application/gexf+xml"
	case CSV:
		return "application/zip"
	case FtM:
		return "application/x-ndjson"
	case Cypher:
		return "application/x-cypher-query; charset=utf-8"
	case JSON:
		return "application/json"
	case ANX:
		return "application/xml"
	}
	return "application/octet-stream"
}

// FileExtension is the conventional file name extension, with its dot.
func (f Format) FileExtension() string {
	switch f {
	case GraphML:
		return ".graphml"
	case GEXF:
		return ".gexf"
	case CSV:
		return ".zip"
	case FtM:
		return ".ftm.json"
	case Cypher:
		return ".cypher"
	case JSON:
		return ".json"
	case ANX:
		return ".anx"
	}
	return ""
}

// CanRead reports whether Import accepts the format: the formats that carry
// the whole model, and GEXF (entities and links: it has no place for
// documents). Cypher and ANX are export-only.
func (f Format) CanRead() bool {
	switch f {
	case GraphML, GEXF, CSV, FtM, JSON:
		return true
	}
	return false
}

// Valid reports whether f is one of Formats.
func (f Format) Valid() bool {
	for _, v := range Formats() {
		if f == v {
			return true
		}
	}
	return false
}

// FormatOf tells a file's format from its name: the extensions of
// FileExtension (including the two-part ".ftm.json", which must not be
// taken for JSON), plus ".jsonl", ".ndjson", ".ijson" (FtM) and ".cql"
// (Cypher). A bare ".xml" is ambiguous and not recognised.
func FormatOf(filename string) (Format, bool) {
	name := strings.ToLower(filename)
	for _, f := range []Format{FtM, GraphML, GEXF, CSV, Cypher, JSON, ANX} { // FtM before JSON
		if strings.HasSuffix(name, f.FileExtension()) {
			return f, true
		}
	}
	for ext, f := range map[string]Format{".jsonl": FtM, ".ndjson": FtM, ".ijson": FtM, ".cql": Cypher} {
		if strings.HasSuffix(name, ext) {
			return f, true
		}
	}
	return "", false
}
