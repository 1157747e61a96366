package neo4j

import (
	"fmt"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Column projections: a neighbourhood's nodes and links come as a few
// parallel lists, one per property, instead of one map or list per
// record. A large answer (a hub's neighbourhood: hundreds of nodes, over a
// thousand links) is mostly these values, and a column costs the server
// and the driver one list for all the records instead of one each, and no
// key per value. A link's source is its position in the node list, which
// the server has at hand (no property read) and the driver decodes as a
// small integer instead of a string; its target is the target node's
// internal id (id(c)), which the server has at hand too, matched in Go
// against the nodes' internal ids (one column, nodeKeys), where the
// target's id property would cost the server a read per link (1,823 on
// the 30,000-entity fixture's hub) and the driver a string; a caller that
// reads only the links' ids (graph.Selection.LinkIDsOnly) gets no type and
// ends at all, two reads per link the server skips. entityColumns and decodeNodeColumns
// (linkColumns and decodeLinkColumns) take the columns from entityCols
// (linkCols), so that they agree on the order.

// entityCols are the entity properties a neighbourhood returns beside id
// and kind, each when the selection has its part.
var entityCols = []struct {
	part graph.EntityParts
	prop string
	set  func(e *graph.Entity, v any) error
}{
	{graph.EntityName, "name", func(e *graph.Entity, v any) error { e.Name = str(v); return nil }},
	{graph.EntityAliases, "aliases", func(e *graph.Entity, v any) error { e.Aliases = strs(v); return nil }},
	{graph.EntityCountries, "countries", func(e *graph.Entity, v any) error { e.Countries = strs(v); return nil }},
	{graph.EntityDescription, "description", func(e *graph.Entity, v any) error { e.Description = str(v); return nil }},
	{graph.EntityProperties, "properties", func(e *graph.Entity, v any) error { return unjson(v, &e.Properties) }},
	{graph.EntitySources, "sources", func(e *graph.Entity, v any) error { return unjson(v, &e.Sources) }},
	{graph.EntityDesignations, "designations", func(e *graph.Entity, v any) error { return unjson(v, &e.Designations) }},
}

// linkCols are the link properties a neighbourhood returns beside id,
// type, source and target, each when the selection has its part (dates
// are two). Every one is a string or a number, for which a missing value
// reads as the zero value does: collect drops nulls, so a column holds
// zero instead, the column's length stays the link count, and the answer
// is the same.
var linkCols = []struct {
	part graph.LinkParts
	prop string
	zero string // Cypher literal for a missing value
	set  func(l *graph.Link, v any) error
}{
	{graph.LinkRole, "role", "''", func(l *graph.Link, v any) error { l.Role = str(v); return nil }},
	{graph.LinkDescription, "description", "''", func(l *graph.Link, v any) error { l.Description = str(v); return nil }},
	{graph.LinkDates, "startDate", "''", func(l *graph.Link, v any) error { l.StartDate = str(v); return nil }},
	{graph.LinkDates, "endDate", "''", func(l *graph.Link, v any) error { l.EndDate = str(v); return nil }},
	{graph.LinkWeight, "weight", "0", func(l *graph.Link, v any) error { l.Weight = number(v); return nil }},
	{graph.LinkProperties, "properties", "''", func(l *graph.Link, v any) error { return unjson(v, &l.Properties) }},
	{graph.LinkSources, "sources", "''", func(l *graph.Link, v any) error { return unjson(v, &l.Sources) }},
}

// entityColumns is the RETURN items of the node columns of list variable
// keep: ids, kinds unless sel leaves them out, then one column per property
// sel selects (everything when it is not partial).
func entityColumns(keep string, sel graph.Selection) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[e IN %s | e.id] AS ids", keep)
	if sel.Kinds() {
		fmt.Fprintf(&b, ", [e IN %s | e.kind] AS kinds", keep)
	}
	for _, c := range entityCols {
		if sel.HasEntity(c.part) {
			fmt.Fprintf(&b, ", [e IN %s | e.%s] AS e_%s", keep, c.prop, c.prop)
		}
	}
	return b.String()
}

// nodeKeys is the RETURN item of the internal ids of the nodes of list
// variable keep, when sel reads the links' ends (else nothing): the keys
// by which decodeLinkColumns finds each link's target (linkColumns' ltgt).
// id() is deprecated in Neo4j 5 because an internal id may be reused once
// its node is deleted; here it is only a key between two columns of one
// answer, read in one transaction. elementId, its replacement, is a string
// of some 40 bytes: on the hub it cost the server and the driver more than
// the id property it would replace.
func nodeKeys(keep string, sel graph.Selection) string {
	if !sel.LinkEnds() {
		return ""
	}
	return fmt.Sprintf(", [e IN %s | id(e)] AS nkeys", keep)
}

// linkColumns is the aggregation of relationship variable r, from the
// node at position variable i to node variable c, into the link columns:
// lid, then when sel needs the ends ltype, lsrc (positions) and ltgt
// (internal ids, see nodeKeys), then one column per property sel selects.
func linkColumns(r, i, c string, sel graph.Selection) string {
	var b strings.Builder
	fmt.Fprintf(&b, "collect(%s.id) AS lid", r)
	if sel.LinkEnds() {
		fmt.Fprintf(&b, ", collect(type(%[1]s)) AS ltype, collect(%[2]s) AS lsrc, collect(id(%[3]s)) AS ltgt", r, i, c)
	}
	for _, col := range linkCols {
		if sel.HasLink(col.part) {
			fmt.Fprintf(&b, ", collect(coalesce(%s.%s, %s)) AS l_%s", r, col.prop, col.zero, col.prop)
		}
	}
	return b.String()
}

// linkColumnNames is the variables linkColumns binds, for a RETURN.
func linkColumnNames(sel graph.Selection) string {
	names := []string{"lid"}
	if sel.LinkEnds() {
		names = append(names, "ltype", "lsrc", "ltgt")
	}
	for _, col := range linkCols {
		if sel.HasLink(col.part) {
			names = append(names, "l_"+col.prop)
		}
	}
	return strings.Join(names, ", ")
}

// column returns the list in record r under key, failing unless it has n
// values.
func column(r *neo4jRecord, key string, n int) ([]any, error) {
	xs := asList(get(r, key))
	if len(xs) != n {
		return nil, fmt.Errorf("neo4j: column %s: %d values, want %d", key, len(xs), n)
	}
	return xs, nil
}

// decodeNodeColumns reads the entities of entityColumns' columns made with sel.
func decodeNodeColumns(r *neo4jRecord, sel graph.Selection) ([]graph.Entity, error) {
	ids := asList(get(r, "ids"))
	out := make([]graph.Entity, len(ids))
	for i := range out {
		out[i].ID = str(ids[i])
	}
	if sel.Kinds() {
		kinds, err := column(r, "kinds", len(ids))
		if err != nil {
			return nil, err
		}
		for i := range out {
			out[i].Kind = graph.Kind(str(kinds[i]))
		}
	}
	for _, c := range entityCols {
		if !sel.HasEntity(c.part) {
			continue
		}
		xs, err := column(r, "e_"+c.prop, len(ids))
		if err != nil {
			return nil, err
		}
		for i, x := range xs {
			if err := c.set(&out[i], x); err != nil {
				return nil, fmt.Errorf("neo4j: entity %q %s: %w", out[i].ID, c.prop, err)
			}
		}
	}
	return out, nil
}

// idAt is a link id and its position in the columns.
type idAt struct {
	id string
	at int
}

// sortedLinkIDs returns the link ids of record r in order, with each one's
// position in the columns when positions is set (nil otherwise: a caller
// reading no other column needs none). Sorting (id, position) pairs moves
// a few words, not records, and compares strings held in place rather
// than behind the column's interfaces.
func sortedLinkIDs(r *neo4jRecord, positions bool) ([]string, []int) {
	col := asList(get(r, "lid"))
	if !positions {
		ids := make([]string, len(col))
		for i, x := range col {
			ids[i] = str(x)
		}
		slices.Sort(ids)
		return ids, nil
	}
	keys := make([]idAt, len(col))
	for i, x := range col {
		keys[i] = idAt{str(x), i}
	}
	slices.SortFunc(keys, func(a, b idAt) int { return strings.Compare(a.id, b.id) })
	ids, order := make([]string, len(keys)), make([]int, len(keys))
	for k, key := range keys {
		ids[k], order[k] = key.id, key.at
	}
	return ids, order
}

// columnar reports whether a caller selecting sel reads the links as
// graph.LinkColumns: it asks so, and reads nothing of them beyond what the
// columns hold.
func columnar(sel graph.Selection) bool { return sel.Partial && sel.LinkColumns && sel.Link == 0 }

// decodeLinkColumns reads the links of linkColumns' columns made with sel,
// whose sources are positions in nodes, ordered by id: as records, or as
// graph.LinkColumns when sel is columnar.
func decodeLinkColumns(r *neo4jRecord, nodes []graph.Entity, sel graph.Selection) ([]graph.Link, *graph.LinkColumns, error) {
	// Positions are needed for any column beyond the ids.
	ids, order := sortedLinkIDs(r, sel.LinkEnds() || sel.Link != 0)
	n := len(ids)
	var cols *graph.LinkColumns
	var out []graph.Link
	if columnar(sel) {
		cols = &graph.LinkColumns{IDs: ids}
	} else {
		out = make([]graph.Link, n)
		for k, id := range ids {
			out[k].ID = id
		}
	}
	if sel.LinkEnds() {
		types, err := column(r, "ltype", n)
		if err != nil {
			return nil, nil, err
		}
		srcs, err := column(r, "lsrc", n)
		if err != nil {
			return nil, nil, err
		}
		tgts, err := column(r, "ltgt", n)
		if err != nil {
			return nil, nil, err
		}
		keys, err := column(r, "nkeys", len(nodes))
		if err != nil {
			return nil, nil, err
		}
		at := make(map[int64]int, len(keys))
		for p, k := range keys {
			key, _ := k.(int64)
			at[key] = p
		}
		if cols != nil {
			cols.Types, cols.Sources, cols.Targets = make([]graph.LinkType, n), make([]string, n), make([]string, n)
		}
		for k, i := range order {
			src, _ := srcs[i].(int64)
			if src < 0 || src >= int64(len(nodes)) {
				return nil, nil, fmt.Errorf("neo4j: link %q: source %v of %d nodes", ids[k], srcs[i], len(nodes))
			}
			key, _ := tgts[i].(int64)
			tgt, ok := at[key]
			if !ok {
				return nil, nil, fmt.Errorf("neo4j: link %q: target %v not among the nodes", ids[k], tgts[i])
			}
			if cols != nil {
				cols.Types[k], cols.Sources[k], cols.Targets[k] = graph.LinkType(str(types[i])), nodes[src].ID, nodes[tgt].ID
			} else {
				out[k].Type, out[k].Source, out[k].Target = graph.LinkType(str(types[i])), nodes[src].ID, nodes[tgt].ID
			}
		}
	}
	if cols != nil {
		return nil, cols, nil
	}
	for _, c := range linkCols {
		if !sel.HasLink(c.part) {
			continue
		}
		xs, err := column(r, "l_"+c.prop, n)
		if err != nil {
			return nil, nil, err
		}
		for k, i := range order {
			if err := c.set(&out[k], xs[i]); err != nil {
				return nil, nil, fmt.Errorf("neo4j: link %q %s: %w", out[k].ID, c.prop, err)
			}
		}
	}
	return out, nil, nil
}
