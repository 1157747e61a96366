package formats

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// GraphML 1.0 as yEd, Gephi, Cytoscape and networkx read it: typed <key>
// declarations (attr.type string, double or boolean), one <node> per
// entity, one directed <edge> per link (its id attribute is the link id).
//
// Node data: label (the name, for display), kind, name, aliases,
// countries, description, properties, sources, designations, sanctioned
// (boolean, for styling). Edge data: label (the type, plus the role),
// type, role, description, startDate, endDate, weight (double; absent when
// unweighted), properties, sources. List and struct fields are JSON strings.
// Typed fields of the registry have keys of their own (graphMLFieldKeys)
// and are not repeated in properties.
// The documents the sources cite are a JSON array in the graph's data
// "documents". The reader also takes GraphML from other tools: unknown node
// and edge attributes become free properties, a node without "name" is
// named by its "label", an edge without "type" is LINKED_TO.

const graphMLHeader = `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
`

type graphMLKey struct {
	id, domain, name, typ string
}

// graphMLKeys declares the graph's documents and the fields of
// xmlattrs.go's table, "n_" or "e_" and the name.
var graphMLKeys = func() []graphMLKey {
	keys := []graphMLKey{{"g_documents", "graph", "documents", "string"}}
	for _, a := range entityXMLAttrs {
		keys = append(keys, graphMLKey{"n_" + a.name, "node", a.name, a.typ})
	}
	for _, a := range linkXMLAttrs {
		keys = append(keys, graphMLKey{"e_" + a.name, "edge", a.name, a.typ})
	}
	return keys
}()

// graphMLFieldKeys declares every typed field of the registry as a key of
// its own, named by its FtM property: double for numbers, string otherwise
// (GraphML 1.0 has no date type: dates are ISO 8601 text at the source's
// precision).
var graphMLFieldKeys = func() []graphMLKey {
	var keys []graphMLKey
	for _, f := range nodeFields {
		keys = append(keys, graphMLKey{"n_" + f.Property, "node", f.Property, attrType(f)})
	}
	for _, f := range edgeFields {
		keys = append(keys, graphMLKey{"e_" + f.Property, "edge", f.Property, attrType(f)})
	}
	return keys
}()

// graphMLData writes the fields of r, then its typed fields, with prefix
// ("n_" or "e_") before their names.
func graphMLData[T any](e *graphMLEncoder, prefix string, attrs []xmlAttr[T], r *T, free, typed map[string]string) {
	for _, a := range attrs {
		e.data(prefix+a.name, a.value(r, free))
	}
	for _, k := range sortedKeys(typed) {
		e.data(prefix+k, typed[k])
	}
}

type graphMLEncoder struct {
	x     *xmlWriter
	phase int // 0 nothing, 1 documents, 2 nodes, 3 edges
}

func newGraphMLEncoder(w io.Writer) *graphMLEncoder {
	return &graphMLEncoder{x: newXMLWriter(w)}
}

func (e *graphMLEncoder) enter(p int) {
	x := e.x
	for e.phase < p {
		switch e.phase {
		case 0:
			x.raw(graphMLHeader)
			for _, k := range append(slices.Clone(graphMLKeys), graphMLFieldKeys...) {
				x.raw("  <key")
				x.attr("id", k.id)
				x.attr("for", k.domain)
				x.attr("attr.name", k.name)
				x.attr("attr.type", k.typ)
				x.raw("/>\n")
			}
			x.raw(`  <graph id="skein" edgedefault="directed">` + "\n")
			x.raw(`    <data key="g_documents">[`)
		case 1:
			x.raw("]</data>\n")
		}
		e.phase++
	}
}

func (e *graphMLEncoder) data(key, value string) {
	if value == "" {
		return
	}
	e.x.raw(`      <data key="` + key + `">`)
	e.x.text(value)
	e.x.raw("</data>\n")
}

func (e *graphMLEncoder) document(d *graph.Document) error {
	if e.phase == 1 {
		e.x.text(",")
	}
	e.enter(1)
	e.x.text(jsonString(d))
	return e.x.err
}

func (e *graphMLEncoder) entity(n *graph.Entity) error {
	e.enter(2)
	e.x.raw("    <node")
	e.x.attr("id", n.ID)
	e.x.raw(">\n")
	spec, _ := n.Kind.Spec()
	typed, free := splitTyped(spec.Fields, n.Properties)
	graphMLData(e, "n_", entityXMLAttrs, n, free, typed)
	e.x.raw("    </node>\n")
	return e.x.err
}

func (e *graphMLEncoder) link(l *graph.Link) error {
	e.enter(3)
	e.x.raw("    <edge")
	e.x.attr("id", l.ID)
	e.x.attr("source", l.Source)
	e.x.attr("target", l.Target)
	e.x.raw(">\n")
	spec, _ := l.Type.Spec()
	typed, free := splitTyped(spec.Fields, l.Properties)
	graphMLData(e, "e_", linkXMLAttrs, l, free, typed)
	e.x.raw("    </edge>\n")
	return e.x.err
}

func (e *graphMLEncoder) close() error {
	e.enter(3)
	e.x.raw("  </graph>\n</graphml>\n")
	return e.x.flush()
}

// graphMLItem is a node or edge being read.
type graphMLItem struct {
	line  int
	edge  bool
	attrs map[string]string // id, source, target
	data  map[string]string // attr.name -> value
}

func decodeGraphML(ctx context.Context, data []byte, c *collector) error {
	keys := map[string]graphMLKey{} // key id -> declaration
	var stack []*graphMLItem        // open nodes and edges
	var dataKey string              // key of the open <data>, if any
	var text strings.Builder
	dataDepth := 0
	return xmlScan(ctx, data, c, "graphml", func(tok xml.Token, line int) bool {
		switch t := tok.(type) {
		case xml.StartElement:
			if dataDepth > 0 { // markup inside <data> (yEd graphics): skip
				dataDepth++
				return true
			}
			switch t.Name.Local {
			case "key":
				k := graphMLKey{domain: "all"}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "yfiles.type":
						k.typ = "yfiles" // yEd graphics and URLs, not data
					case "id":
						k.id = a.Value
					case "for":
						k.domain = a.Value
					case "attr.name":
						k.name = a.Value
					case "attr.type":
						k.typ = a.Value
					}
				}
				if k.name == "" {
					k.name = k.id
				}
				keys[k.id] = k
			case "node", "edge":
				it := &graphMLItem{line: line, edge: t.Name.Local == "edge", attrs: map[string]string{}, data: map[string]string{}}
				for _, a := range t.Attr {
					it.attrs[a.Name.Local] = a.Value
				}
				stack = append(stack, it)
			case "data":
				dataKey = ""
				for _, a := range t.Attr {
					if a.Name.Local == "key" {
						dataKey = a.Value
					}
				}
				dataDepth = 1
				text.Reset()
			}
		case xml.CharData:
			if dataDepth == 1 {
				text.Write(t)
			}
		case xml.EndElement:
			if dataDepth > 0 {
				dataDepth--
				if dataDepth > 0 {
					return true
				}
				k, ok := keys[dataKey]
				if !ok {
					c.bad(line, "<data> refers to undeclared key %q", dataKey)
					return true
				}
				if len(stack) == 0 {
					if k.name == "documents" {
						graphMLDocuments(c, line, text.String())
					}
					return true
				}
				if k.typ != "yfiles" {
					stack[len(stack)-1].data[k.name] = text.String()
				}
				return true
			}
			if t.Name.Local == "node" || t.Name.Local == "edge" {
				it := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if it.edge {
					graphMLLink(c, it)
				} else {
					graphMLEntity(c, it)
				}
			}
		}
		return true
	})
}

func graphMLDocuments(c *collector, line int, s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	var docs []graph.Document
	if err := json.Unmarshal([]byte(s), &docs); err != nil {
		c.bad(line, "graph data documents is not a JSON array of documents: %v", err)
		return
	}
	for _, d := range docs {
		c.document(line, d)
	}
}

// The attributes a reader takes as fields, not free properties.
var (
	graphMLNodeFields = xmlAttrNames(entityXMLAttrs)
	graphMLEdgeFields = xmlAttrNames(linkXMLAttrs, "id")
)

// jsonField decodes a JSON-valued attribute; absent or empty leaves v.
func jsonField(c *collector, line int, data map[string]string, name string, v any) bool {
	return jsonValue(c, line, "attribute", name, data[name], v)
}

func freeAttributes(props map[string]string, data map[string]string, known []string) map[string]string {
	for k, v := range data {
		if slices.Contains(known, k) {
			continue
		}
		if props == nil {
			props = map[string]string{}
		}
		if _, ok := props[k]; !ok {
			props[k] = v
		}
	}
	return props
}

func graphMLEntity(c *collector, it *graphMLItem) {
	d := it.data
	e := graph.Entity{ID: it.attrs["id"], Name: d["name"], Description: d["description"]}
	if e.Name == "" {
		e.Name = d["label"]
	}
	k, err := graph.ParseKind(d["kind"])
	if err != nil {
		c.bad(it.line, "node %q: %s", e.ID, message(err))
		return
	}
	e.Kind = k
	ok := jsonField(c, it.line, d, "aliases", &e.Aliases) &&
		jsonField(c, it.line, d, "countries", &e.Countries) &&
		jsonField(c, it.line, d, "properties", &e.Properties) &&
		jsonField(c, it.line, d, "sources", &e.Sources) &&
		jsonField(c, it.line, d, "designations", &e.Designations)
	if !ok {
		return
	}
	e.Properties = freeAttributes(e.Properties, d, graphMLNodeFields)
	c.entity(it.line, e)
}

func graphMLLink(c *collector, it *graphMLItem) {
	d := it.data
	l := graph.Link{
		ID: it.attrs["id"], Source: it.attrs["source"], Target: it.attrs["target"],
		Role: d["role"], Description: d["description"], StartDate: d["startDate"], EndDate: d["endDate"],
		Type: graph.LinkLinkedTo,
	}
	if s := d["type"]; s != "" {
		t, err := graph.ParseLinkType(s)
		if err != nil {
			c.bad(it.line, "edge %q: %s", l.ID, message(err))
			return
		}
		l.Type = t
	}
	var ok bool
	if l.Weight, ok = weightValue(c, it.line, "edge", l.ID, d["weight"]); !ok {
		return
	}
	ok = jsonField(c, it.line, d, "properties", &l.Properties) &&
		jsonField(c, it.line, d, "sources", &l.Sources)
	if !ok {
		return
	}
	l.Properties = freeAttributes(l.Properties, d, graphMLEdgeFields)
	c.link(it.line, l)
}
