package neo4j

import (
	"encoding/json"
	"fmt"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
)

// Map projections that return exactly the stored fields of a record, so
// the bulky searchText never travels back.
const (
	entityProj = " {.id, .kind, .name, .aliases, .countries, .description, .properties, .sources, .designations}"
	docProj    = " {.id, .title, .publisher, .url, .published, .license, .path}"
)

// linkProj projects relationship variable v with its type and endpoints.
func linkProj(v string) string {
	return v + " {.id, .role, .description, .startDate, .endDate, .weight, .properties, .sources, type: type(" + v +
		"), source: startNode(" + v + ").id, target: endNode(" + v + ").id}"
}

// entityProjOf is entityProj cut to what sel selects: id, kind unless sel
// leaves it out, then the selected fields.
func entityProjOf(sel graph.Selection) string {
	if !sel.Partial {
		return entityProj
	}
	b := " {.id"
	if sel.Kinds() {
		b += ", .kind"
	}
	for _, p := range []struct {
		part graph.EntityParts
		prop string
	}{
		{graph.EntityName, "name"}, {graph.EntityAliases, "aliases"}, {graph.EntityCountries, "countries"},
		{graph.EntityDescription, "description"}, {graph.EntityProperties, "properties"},
		{graph.EntitySources, "sources"}, {graph.EntityDesignations, "designations"},
	} {
		if sel.HasEntity(p.part) {
			b += ", ." + p.prop
		}
	}
	return b + "}"
}

// linkProjOf is linkProj cut to what sel selects: id, type and endpoints,
// then the selected fields.
func linkProjOf(v string, sel graph.Selection) string {
	if !sel.Partial {
		return linkProj(v)
	}
	b := v + " {.id"
	for _, p := range []struct {
		part  graph.LinkParts
		props string
	}{
		{graph.LinkRole, ".role"}, {graph.LinkDescription, ".description"}, {graph.LinkDates, ".startDate, .endDate"},
		{graph.LinkWeight, ".weight"}, {graph.LinkProperties, ".properties"}, {graph.LinkSources, ".sources"},
	} {
		if sel.HasLink(p.part) {
			b += ", " + p.props
		}
	}
	return b + ", type: type(" + v + "), source: startNode(" + v + ").id, target: endNode(" + v + ").id}"
}

// entityProps is the property map of an entity node. Empty values are nil
// so that SET n = props removes them.
func entityProps(e *graph.Entity) (map[string]any, error) {
	props, err := jsonOrNil(e.Properties, len(e.Properties))
	if err != nil {
		return nil, err
	}
	sources, err := jsonOrNil(e.Sources, len(e.Sources))
	if err != nil {
		return nil, err
	}
	desigs, err := jsonOrNil(e.Designations, len(e.Designations))
	if err != nil {
		return nil, err
	}
	out := indexedText(e)
	for k, v := range map[string]any{
		"id":           e.ID,
		"kind":         string(e.Kind),
		"name":         e.Name,
		"aliases":      listOrNil(e.Aliases),
		"countries":    listOrNil(e.Countries),
		"description":  stringOrNil(e.Description),
		"properties":   props,
		"sources":      sources,
		"designations": desigs,
	} {
		out[k] = v
	}
	return out, nil
}

// linkProps is the property map of a link relationship (type and endpoints
// are the relationship's own).
func linkProps(l *graph.Link) (map[string]any, error) {
	props, err := jsonOrNil(l.Properties, len(l.Properties))
	if err != nil {
		return nil, err
	}
	sources, err := jsonOrNil(l.Sources, len(l.Sources))
	if err != nil {
		return nil, err
	}
	var weight any
	if l.Weight != 0 {
		weight = l.Weight
	}
	out := dateProps(l)
	for k, v := range map[string]any{
		"id":          l.ID,
		"role":        stringOrNil(l.Role),
		"description": stringOrNil(l.Description),
		"startDate":   stringOrNil(l.StartDate),
		"endDate":     stringOrNil(l.EndDate),
		"weight":      weight,
		"properties":  props,
		"sources":     sources,
	} {
		out[k] = v
	}
	if l.Type == graph.LinkOwns {
		out["percentage"] = percentageProp(l)
	}
	return out, nil
}

func docProps(d *graph.Document) map[string]any {
	return map[string]any{
		"id": d.ID, "title": d.Title, "publisher": d.Publisher, "url": d.URL,
		"published": d.Published, "license": d.License, "path": d.Path,
	}
}

func jsonOrNil(v any, n int) (any, error) {
	if n == 0 {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return string(b), nil
}

func listOrNil(xs []string) any {
	if len(xs) == 0 {
		return nil
	}
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func stringOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// decodeEntity reads an entity from an entityProj map.
func decodeEntity(v any) (graph.Entity, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return graph.Entity{}, fmt.Errorf("neo4j: entity record is %T", v)
	}
	e := graph.Entity{
		ID:          str(m["id"]),
		Kind:        graph.Kind(str(m["kind"])),
		Name:        str(m["name"]),
		Aliases:     strs(m["aliases"]),
		Countries:   strs(m["countries"]),
		Description: str(m["description"]),
	}
	if err := unjson(m["properties"], &e.Properties); err != nil {
		return e, fmt.Errorf("neo4j: entity %q properties: %w", e.ID, err)
	}
	if err := unjson(m["sources"], &e.Sources); err != nil {
		return e, fmt.Errorf("neo4j: entity %q sources: %w", e.ID, err)
	}
	if err := unjson(m["designations"], &e.Designations); err != nil {
		return e, fmt.Errorf("neo4j: entity %q designations: %w", e.ID, err)
	}
	return e, nil
}

// decodeLink reads a link from a linkProj map.
func decodeLink(v any) (graph.Link, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return graph.Link{}, fmt.Errorf("neo4j: link record is %T", v)
	}
	l := graph.Link{
		ID:          str(m["id"]),
		Type:        graph.LinkType(str(m["type"])),
		Source:      str(m["source"]),
		Target:      str(m["target"]),
		Role:        str(m["role"]),
		Description: str(m["description"]),
		StartDate:   str(m["startDate"]),
		EndDate:     str(m["endDate"]),
		Weight:      number(m["weight"]),
	}
	if err := unjson(m["properties"], &l.Properties); err != nil {
		return l, fmt.Errorf("neo4j: link %q properties: %w", l.ID, err)
	}
	if err := unjson(m["sources"], &l.Sources); err != nil {
		return l, fmt.Errorf("neo4j: link %q sources: %w", l.ID, err)
	}
	return l, nil
}

func decodeDocument(v any) (graph.Document, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return graph.Document{}, fmt.Errorf("neo4j: document record is %T", v)
	}
	return graph.Document{
		ID: str(m["id"]), Title: str(m["title"]), Publisher: str(m["publisher"]), URL: str(m["url"]),
		Published: str(m["published"]), License: str(m["license"]), Path: str(m["path"]),
	}, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	xs, _ := v.([]any)
	if len(xs) == 0 {
		return nil
	}
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, str(x))
	}
	return out
}

// number reads a Cypher number, integer or float.
func number(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return 0
}

func integer(v any) int {
	n, _ := v.(int64)
	return int(n)
}

func unjson(v any, dst any) error {
	s, ok := v.(string)
	if !ok || s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), dst)
}

// get returns the value of key in a record, or nil.
func get(r *neo4jdrv.Record, key string) any {
	v, _ := r.Get(key)
	return v
}

type neo4jRecord = neo4jdrv.Record

func asList(v any) []any {
	xs, _ := v.([]any)
	return xs
}
