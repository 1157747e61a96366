package formats

import (
	"io"
	"strconv"

	"github.com/skein-project/skein/graph"
)

// GEXF 1.3 for Gephi (export only): nodes first, then edges, as the format
// requires. Node attributes: kind, name, aliases, countries, description,
// sanctioned (boolean), properties, sources, designations; edge attributes:
// type, role, description, startDate, endDate, properties, sources. Lists
// and structs are JSON strings. The edge label is the type plus role, and
// the weight is written only when the link has one.

const gexfHeader = `<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">
  <meta>
    <creator>Skein</creator>
    <description>Skein subgraph export</description>
  </meta>
  <graph defaultedgetype="directed" mode="static">
`

var (
	gexfNodeAttrs = [][2]string{
		{"kind", "string"}, {"name", "string"}, {"aliases", "string"}, {"countries", "string"},
		{"description", "string"}, {"sanctioned", "boolean"}, {"properties", "string"},
		{"sources", "string"}, {"designations", "string"},
	}
	gexfEdgeAttrs = [][2]string{
		{"type", "string"}, {"role", "string"}, {"description", "string"}, {"startDate", "string"},
		{"endDate", "string"}, {"properties", "string"}, {"sources", "string"},
	}
)

type gexfEncoder struct {
	x     *xmlWriter
	phase int // 0 nothing, 2 nodes, 3 edges
}

func newGEXFEncoder(w io.Writer) *gexfEncoder { return &gexfEncoder{x: newXMLWriter(w)} }

func (e *gexfEncoder) enter(p int) {
	x := e.x
	if e.phase == 0 && p >= 2 {
		x.raw(gexfHeader)
		for _, class := range []struct {
			name  string
			attrs [][2]string
		}{{"node", gexfNodeAttrs}, {"edge", gexfEdgeAttrs}} {
			x.raw(`    <attributes class="` + class.name + `" mode="static">` + "\n")
			for _, a := range class.attrs {
				x.raw("      <attribute")
				x.attr("id", a[0])
				x.attr("title", a[0])
				x.attr("type", a[1])
				x.raw("/>\n")
			}
			x.raw("    </attributes>\n")
		}
		x.raw("    <nodes>\n")
		e.phase = 2
	}
	if e.phase == 2 && p == 3 {
		x.raw("    </nodes>\n    <edges>\n")
		e.phase = 3
	}
}

// documents have no place in GEXF; sources keep their document ids.
func (e *gexfEncoder) document(*graph.Document) error { return nil }

func (e *gexfEncoder) attvalues(pairs ...string) {
	e.x.raw("        <attvalues>\n")
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			continue
		}
		e.x.raw("          <attvalue")
		e.x.attr("for", pairs[i])
		e.x.attr("value", pairs[i+1])
		e.x.raw("/>\n")
	}
	e.x.raw("        </attvalues>\n")
}

func (e *gexfEncoder) entity(n *graph.Entity) error {
	e.enter(2)
	e.x.raw("      <node")
	e.x.attr("id", n.ID)
	e.x.attr("label", n.Name)
	e.x.raw(">\n")
	e.attvalues(
		"kind", string(n.Kind), "name", n.Name, "aliases", jsonCell(n.Aliases),
		"countries", jsonCell(n.Countries), "description", n.Description,
		"sanctioned", strconv.FormatBool(n.Sanctioned()), "properties", jsonMapCell(n.Properties),
		"sources", jsonCell(n.Sources), "designations", jsonCell(n.Designations),
	)
	e.x.raw("      </node>\n")
	return e.x.err
}

func (e *gexfEncoder) link(l *graph.Link) error {
	e.enter(3)
	e.x.raw("      <edge")
	e.x.attr("id", l.ID)
	e.x.attr("source", l.Source)
	e.x.attr("target", l.Target)
	e.x.attr("label", linkLabel(l))
	if l.Weight != 0 {
		e.x.attr("weight", strconv.FormatFloat(l.Weight, 'g', -1, 64))
	}
	e.x.raw(">\n")
	e.attvalues(
		"type", string(l.Type), "role", l.Role, "description", l.Description,
		"startDate", l.StartDate, "endDate", l.EndDate,
		"properties", jsonMapCell(l.Properties), "sources", jsonCell(l.Sources),
	)
	e.x.raw("      </edge>\n")
	return e.x.err
}

func (e *gexfEncoder) close() error {
	e.enter(3)
	e.x.raw("    </edges>\n  </graph>\n</gexf>\n")
	return e.x.flush()
}
