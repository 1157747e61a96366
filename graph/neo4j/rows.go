package neo4j

import (
	"fmt"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Row projections: a record as a list of its values in a fixed order
// instead of a map. A large answer (a hub's neighbourhood: hundreds of
// nodes, over a thousand links) is mostly these records, and a list costs
// the server and the driver no key per value: no key string written,
// read, allocated and looked up for every field of every record.
// entityRowOf and decodeEntityRow (linkRowOf and decodeLinkRow) must agree
// on the order, which both take from entityCols (linkCols).

// entityCols are the entity properties a row carries after id and kind,
// each when the selection has its part.
var entityCols = []struct {
	part graph.EntityParts
	prop string
}{
	{graph.EntityName, "name"}, {graph.EntityAliases, "aliases"}, {graph.EntityCountries, "countries"},
	{graph.EntityDescription, "description"}, {graph.EntityProperties, "properties"},
	{graph.EntitySources, "sources"}, {graph.EntityDesignations, "designations"},
}

// linkCols are the link properties a row carries after id, type, source
// and target, each when the selection has its part (dates are two).
var linkCols = []struct {
	part  graph.LinkParts
	props []string
}{
	{graph.LinkRole, []string{"role"}}, {graph.LinkDescription, []string{"description"}},
	{graph.LinkDates, []string{"startDate", "endDate"}}, {graph.LinkWeight, []string{"weight"}},
	{graph.LinkProperties, []string{"properties"}}, {graph.LinkSources, []string{"sources"}},
}

// entityRowOf is the row of node variable v: id, kind, then what sel
// selects (everything when it is not partial).
func entityRowOf(v string, sel graph.Selection) string {
	var b strings.Builder
	b.WriteString("[" + v + ".id, " + v + ".kind")
	for _, c := range entityCols {
		if sel.HasEntity(c.part) {
			b.WriteString(", " + v + "." + c.prop)
		}
	}
	b.WriteString("]")
	return b.String()
}

// linkRowOf is the row of relationship variable r from node variable a to
// node variable c: id, type, source and target ids, then what sel selects.
// The ends are the pattern's variables, which the query has bound already.
func linkRowOf(r, a, c string, sel graph.Selection) string {
	var b strings.Builder
	b.WriteString("[" + r + ".id, type(" + r + "), " + a + ".id, " + c + ".id")
	for _, col := range linkCols {
		if sel.HasLink(col.part) {
			for _, p := range col.props {
				b.WriteString(", " + r + "." + p)
			}
		}
	}
	b.WriteString("]")
	return b.String()
}

// decodeEntityRow reads an entity from an entityRowOf row made with sel.
func decodeEntityRow(v any, sel graph.Selection) (graph.Entity, error) {
	row, ok := v.([]any)
	if !ok || len(row) < 2 {
		return graph.Entity{}, fmt.Errorf("neo4j: entity row is %T", v)
	}
	e := graph.Entity{ID: str(row[0]), Kind: graph.Kind(str(row[1]))}
	i := 2
	for _, c := range entityCols {
		if !sel.HasEntity(c.part) {
			continue
		}
		if i >= len(row) {
			return e, fmt.Errorf("neo4j: entity %q row has %d values", e.ID, len(row))
		}
		x := row[i]
		i++
		var err error
		switch c.part {
		case graph.EntityName:
			e.Name = str(x)
		case graph.EntityAliases:
			e.Aliases = strs(x)
		case graph.EntityCountries:
			e.Countries = strs(x)
		case graph.EntityDescription:
			e.Description = str(x)
		case graph.EntityProperties:
			err = unjson(x, &e.Properties)
		case graph.EntitySources:
			err = unjson(x, &e.Sources)
		case graph.EntityDesignations:
			err = unjson(x, &e.Designations)
		}
		if err != nil {
			return e, fmt.Errorf("neo4j: entity %q %s: %w", e.ID, c.prop, err)
		}
	}
	return e, nil
}

// decodeLinkRow reads a link from a linkRowOf row made with sel.
func decodeLinkRow(v any, sel graph.Selection) (graph.Link, error) {
	row, ok := v.([]any)
	if !ok || len(row) < 4 {
		return graph.Link{}, fmt.Errorf("neo4j: link row is %T", v)
	}
	l := graph.Link{ID: str(row[0]), Type: graph.LinkType(str(row[1])), Source: str(row[2]), Target: str(row[3])}
	i := 4
	for _, c := range linkCols {
		if !sel.HasLink(c.part) {
			continue
		}
		if i+len(c.props) > len(row) {
			return l, fmt.Errorf("neo4j: link %q row has %d values", l.ID, len(row))
		}
		x := row[i]
		i += len(c.props)
		var err error
		switch c.part {
		case graph.LinkRole:
			l.Role = str(x)
		case graph.LinkDescription:
			l.Description = str(x)
		case graph.LinkDates:
			l.StartDate, l.EndDate = str(x), str(row[i-1])
		case graph.LinkWeight:
			switch w := x.(type) {
			case float64:
				l.Weight = w
			case int64:
				l.Weight = float64(w)
			}
		case graph.LinkProperties:
			err = unjson(x, &l.Properties)
		case graph.LinkSources:
			err = unjson(x, &l.Sources)
		}
		if err != nil {
			return l, fmt.Errorf("neo4j: link %q %s: %w", l.ID, c.props[0], err)
		}
	}
	return l, nil
}
