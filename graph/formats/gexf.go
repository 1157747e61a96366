package formats

import (
	"context"
	"encoding/xml"
	"io"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// GEXF 1.3 for Gephi: nodes first, then edges, as the format requires.
// Node and edge attributes are the fields of xmlattrs.go's table (kind,
// name, ... sanctioned; type, role, ... sources), the label and weight
// natively. Lists and structs are JSON strings. Every typed field of the registry is an
// attribute of its own, titled by its FtM property (birthDate, imoNumber,
// percentage, amount...; double for numbers, string otherwise: GEXF has no
// date type networkx reads), and is not repeated in properties. The edge
// label is the type plus role, and the weight is written only when the
// link has one.
//
// When anything is dated the graph is dynamic (timeformat="date"): an edge
// spans start (the first day of its startDate) to end (the last day of its
// endDate), either open; a node spans its birthDate or incorporationDate
// to its dissolutionDate where it has them. The exact dates, at the
// source's precision, stay in the startDate/endDate attributes and the
// typed fields, which is what the reader takes back.
//
// The reader takes GEXF 1.2 and 1.3 from Skein and from other tools (see
// graphMLEntity/graphMLLink, which it shares with GraphML): attributes by
// title; an edge's start and end are its dates when it has no startDate and
// endDate attributes and the graph's timeformat is a date; a node's start
// and end become the free properties start and end. Documents have no
// place in GEXF: sources keep their document ids.

const gexfHeader = `<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">
  <meta>
    <creator>Skein</creator>
    <description>Skein subgraph export</description>
  </meta>
`

// gexfAttrs declares the attributes of one class: the non-native ones of
// the table (xmlattrs.go), then the typed fields.
func gexfAttrs[T any](attrs []xmlAttr[T], fields []graph.Field) [][2]string {
	var out [][2]string
	for _, a := range attrs {
		if !a.native {
			out = append(out, [2]string{a.name, a.typ})
		}
	}
	for _, f := range fields {
		out = append(out, [2]string{f.Property, attrType(f)})
	}
	return out
}

// gexfNative writes the native attributes of r (label, weight) on its
// element.
func gexfNative[T any](x *xmlWriter, attrs []xmlAttr[T], r *T, free map[string]string) {
	for _, a := range attrs {
		if !a.native {
			continue
		}
		if v := a.value(r, free); v != "" {
			x.attr(a.name, v)
		}
	}
}

// gexfAttvalues writes the other attributes of r, then its typed fields.
func gexfAttvalues[T any](x *xmlWriter, attrs []xmlAttr[T], r *T, free, typed map[string]string) {
	x.raw("        <attvalues>\n")
	for _, a := range attrs {
		if !a.native {
			gexfAttvalue(x, a.name, a.value(r, free))
		}
	}
	for _, k := range sortedKeys(typed) {
		gexfAttvalue(x, k, typed[k])
	}
	x.raw("        </attvalues>\n")
}

func gexfAttvalue(x *xmlWriter, k, v string) {
	if v == "" {
		return
	}
	x.raw("          <attvalue")
	x.attr("for", k)
	x.attr("value", v)
	x.raw("/>\n")
}

// The typed fields that give a node its interval.
var (
	gexfNodeStart = []string{"birthDate", "incorporationDate"}
	gexfNodeEnd   = []string{"dissolutionDate"}
)

// nodeSpan is a node's interval from its typed date fields.
func nodeSpan(x *graph.Entity) (start, end string) {
	for _, p := range gexfNodeStart {
		if start = firstDay(x.Properties[p]); start != "" {
			break
		}
	}
	for _, p := range gexfNodeEnd {
		if end = lastDay(x.Properties[p]); end != "" {
			break
		}
	}
	return start, end
}

type gexfEncoder struct {
	x       *xmlWriter
	phase   int // 0 nothing, 2 nodes, 3 edges
	dynamic bool
}

func newGEXFEncoder(w io.Writer) *gexfEncoder { return &gexfEncoder{x: newXMLWriter(w)} }

// prepare makes the graph dynamic when any node or edge has an interval.
func (e *gexfEncoder) prepare(b *graph.Batch) {
	for i := range b.Entities {
		if s, en := nodeSpan(&b.Entities[i]); s != "" || en != "" {
			e.dynamic = true
			return
		}
	}
	for _, l := range b.Links {
		if l.StartDate != "" || l.EndDate != "" {
			e.dynamic = true
			return
		}
	}
}

func (e *gexfEncoder) enter(p int) {
	x := e.x
	if e.phase == 0 && p >= 2 {
		x.raw(gexfHeader)
		if e.dynamic {
			x.raw(`  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">` + "\n")
		} else {
			x.raw(`  <graph defaultedgetype="directed" mode="static">` + "\n")
		}
		for _, class := range []struct {
			name  string
			attrs [][2]string
		}{{"node", gexfAttrs(entityXMLAttrs, nodeFields)}, {"edge", gexfAttrs(linkXMLAttrs, edgeFields)}} {
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

func (e *gexfEncoder) document(*graph.Document) error { return nil }

func (e *gexfEncoder) span(start, end string) {
	if !e.dynamic {
		return
	}
	if start != "" {
		e.x.attr("start", start)
	}
	if end != "" {
		e.x.attr("end", end)
	}
}

func (e *gexfEncoder) entity(n *graph.Entity) error {
	e.enter(2)
	spec, _ := n.Kind.Spec()
	typed, free := splitTyped(spec.Fields, n.Properties)
	e.x.raw("      <node")
	e.x.attr("id", n.ID)
	gexfNative(e.x, entityXMLAttrs, n, free)
	e.span(nodeSpan(n))
	e.x.raw(">\n")
	gexfAttvalues(e.x, entityXMLAttrs, n, free, typed)
	e.x.raw("      </node>\n")
	return e.x.err
}

func (e *gexfEncoder) link(l *graph.Link) error {
	e.enter(3)
	spec, _ := l.Type.Spec()
	typed, free := splitTyped(spec.Fields, l.Properties)
	e.x.raw("      <edge")
	e.x.attr("id", l.ID)
	e.x.attr("source", l.Source)
	e.x.attr("target", l.Target)
	gexfNative(e.x, linkXMLAttrs, l, free)
	e.span(firstDay(l.StartDate), lastDay(l.EndDate))
	e.x.raw(">\n")
	gexfAttvalues(e.x, linkXMLAttrs, l, free, typed)
	e.x.raw("      </edge>\n")
	return e.x.err
}

func (e *gexfEncoder) close() error {
	e.enter(3)
	e.x.raw("    </edges>\n  </graph>\n</gexf>\n")
	return e.x.flush()
}

func decodeGEXF(ctx context.Context, data []byte, c *collector) error {
	titles := map[string]map[string]string{"node": {}, "edge": {}} // class -> attribute id -> title
	class := ""
	timeformat := ""
	var it *graphMLItem
	return xmlScan(ctx, data, c, "gexf", func(tok xml.Token, line int) bool {
		switch t := tok.(type) {
		case xml.StartElement:
			attrs := map[string]string{}
			for _, a := range t.Attr {
				attrs[a.Name.Local] = a.Value
			}
			switch t.Name.Local {
			case "graph":
				timeformat = attrs["timeformat"]
			case "attributes":
				class = attrs["class"]
				if titles[class] == nil {
					titles[class] = map[string]string{}
				}
			case "attribute":
				title := attrs["title"]
				if title == "" {
					title = attrs["id"]
				}
				titles[class][attrs["id"]] = title
			case "node", "edge":
				if it != nil { // a nested node (GEXF hierarchy): not supported
					c.bad(line, "nested <%s> inside %q is not supported", t.Name.Local, it.attrs["id"])
					return false
				}
				it = &graphMLItem{line: line, edge: t.Name.Local == "edge", attrs: attrs, data: map[string]string{}}
			case "attvalue":
				if it == nil {
					return true
				}
				cl := "node"
				if it.edge {
					cl = "edge"
				}
				title, ok := titles[cl][attrs["for"]]
				if !ok {
					c.bad(line, "<attvalue> refers to undeclared %s attribute %q", cl, attrs["for"])
					return true
				}
				it.data[title] = attrs["value"]
			}
		case xml.EndElement:
			if (t.Name.Local == "node" || t.Name.Local == "edge") && it != nil {
				gexfItem(c, it, timeformat)
				it = nil
			}
		}
		return true
	})
}

// gexfItem turns a node or edge into the shape the GraphML reader takes.
func gexfItem(c *collector, it *graphMLItem, timeformat string) {
	start, end := it.attrs["start"], it.attrs["end"]
	if !it.edge {
		if it.data["name"] == "" && it.attrs["label"] != "" {
			it.data["label"] = it.attrs["label"]
		}
		// Skein's own spans come from typed fields; other tools' are kept.
		derived := slices.ContainsFunc(append(slices.Clone(gexfNodeStart), gexfNodeEnd...), func(p string) bool { return it.data[p] != "" })
		if !derived {
			for k, v := range map[string]string{"start": start, "end": end} {
				if v != "" {
					if _, taken := it.data[k]; !taken {
						it.data[k] = v
					}
				}
			}
		}
		graphMLEntity(c, it)
		return
	}
	if w := it.attrs["weight"]; w != "" {
		it.data["weight"] = w
	}
	isDate := timeformat == "date" || timeformat == "dateTime" || timeformat == "datetime"
	_, hasStart := it.data["startDate"]
	_, hasEnd := it.data["endDate"]
	if isDate && !hasStart && !hasEnd {
		it.data["startDate"] = gexfDate(start)
		it.data["endDate"] = gexfDate(end)
	} else if !isDate {
		for k, v := range map[string]string{"start": start, "end": end} {
			if v != "" {
				it.data[k] = v
			}
		}
	}
	graphMLLink(c, it)
}

// gexfDate cuts a GEXF dateTime to its day.
func gexfDate(s string) string {
	if i := strings.IndexByte(s, 'T'); i >= 0 {
		return s[:i]
	}
	return s
}
