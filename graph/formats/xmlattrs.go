package formats

import (
	"slices"
	"strconv"

	"github.com/skein-project/skein/graph"
)

// The XML graph formats (GEXF and GraphML) carry the same fields of an
// entity or link, with the same types and values; this table is the one
// place they are listed. GraphML declares each as a <key> ("n_" or "e_"
// and the name) and writes it as <data>; GEXF declares each as an
// <attribute> and writes it as an <attvalue>, except the native ones,
// which GEXF has attributes of its own for on <node> and <edge> (label,
// weight). The readers take every name here as a field, not a free
// property. The registry's typed fields follow these (nodeFields,
// edgeFields), each under its FtM property.

// xmlAttr is one field of a T (graph.Entity or graph.Link): its name, its
// type (string, double or boolean: both formats' word for it), whether
// GEXF carries it natively, and its value given the record's free
// properties (those that are no typed field). An empty value is not
// written.
type xmlAttr[T any] struct {
	name, typ string
	native    bool
	value     func(x *T, free map[string]string) string
}

var entityXMLAttrs = []xmlAttr[graph.Entity]{
	{"label", "string", true, func(n *graph.Entity, _ map[string]string) string { return n.Name }}, // for display; never empty, as names are not
	{"kind", "string", false, func(n *graph.Entity, _ map[string]string) string { return string(n.Kind) }},
	{"name", "string", false, func(n *graph.Entity, _ map[string]string) string { return n.Name }},
	{"aliases", "string", false, func(n *graph.Entity, _ map[string]string) string { return jsonCell(n.Aliases) }},
	{"countries", "string", false, func(n *graph.Entity, _ map[string]string) string { return jsonCell(n.Countries) }},
	{"description", "string", false, func(n *graph.Entity, _ map[string]string) string { return n.Description }},
	{"properties", "string", false, func(_ *graph.Entity, free map[string]string) string { return jsonMapCell(free) }},
	{"sources", "string", false, func(n *graph.Entity, _ map[string]string) string { return jsonCell(n.Sources) }},
	{"designations", "string", false, func(n *graph.Entity, _ map[string]string) string { return jsonCell(n.Designations) }},
	{"sanctioned", "boolean", false, func(n *graph.Entity, _ map[string]string) string { return strconv.FormatBool(n.Sanctioned()) }}, // for styling
}

var linkXMLAttrs = []xmlAttr[graph.Link]{
	{"label", "string", true, func(l *graph.Link, _ map[string]string) string { return linkLabel(l) }},
	{"type", "string", false, func(l *graph.Link, _ map[string]string) string { return string(l.Type) }},
	{"role", "string", false, func(l *graph.Link, _ map[string]string) string { return l.Role }},
	{"description", "string", false, func(l *graph.Link, _ map[string]string) string { return l.Description }},
	{"startDate", "string", false, func(l *graph.Link, _ map[string]string) string { return l.StartDate }},
	{"endDate", "string", false, func(l *graph.Link, _ map[string]string) string { return l.EndDate }},
	{"weight", "double", true, func(l *graph.Link, _ map[string]string) string { return weightCell(l.Weight) }},
	{"properties", "string", false, func(_ *graph.Link, free map[string]string) string { return jsonMapCell(free) }},
	{"sources", "string", false, func(l *graph.Link, _ map[string]string) string { return jsonCell(l.Sources) }},
}

// linkLabel is what a chart shows on a link: its type and role.
func linkLabel(l *graph.Link) string {
	if l.Role != "" {
		return string(l.Type) + " (" + l.Role + ")"
	}
	return string(l.Type)
}

// xmlAttrNames is the names of attrs and then of extra.
func xmlAttrNames[T any](attrs []xmlAttr[T], extra ...string) []string {
	out := make([]string, 0, len(attrs)+len(extra))
	for _, a := range attrs {
		out = append(out, a.name)
	}
	return append(out, extra...)
}

// sortedKeys is m's keys in order, so that typed fields are written in
// the same order every time.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
