package neo4j

import (
	"fmt"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Cypher cannot take labels or relationship types as parameters. The
// helpers here splice them in only from graph.Kinds and graph.LinkTypes,
// and panic on anything else: callers validate input first, so reaching
// the panic is a programming error, never an injection.

const searchIndex = "entity_search"

func mustType(t graph.LinkType) string {
	if !t.Valid() {
		panic(fmt.Sprintf("neo4j: unvalidated link type %q", t))
	}
	return string(t)
}

// relTypes is the type part of a relationship pattern: "" for every type,
// else ":A|B".
func relTypes(types []graph.LinkType) string {
	if len(types) == 0 {
		return ""
	}
	var parts []string
	for _, t := range types {
		parts = append(parts, mustType(t))
	}
	return ":" + strings.Join(parts, "|")
}

// linksByID is a subquery binding r to the relationship whose id is the
// variable idVar, whatever its type: one index seek per type, since
// relationship property indexes are per type.
func linksByID(idVar string) string {
	var b strings.Builder
	b.WriteString("CALL { WITH " + idVar + " ")
	for i, t := range graph.LinkTypes {
		if i > 0 {
			b.WriteString(" UNION ALL WITH " + idVar + " ")
		}
		fmt.Fprintf(&b, "MATCH ()-[r:%s {id: %s}]->() RETURN r", mustType(t), idVar)
	}
	b.WriteString(" }")
	return b.String()
}

// setKindLabel replaces the kind label of node variable n by the one named
// by the string expression kindExpr.
func setKindLabel(n, kindExpr string) string {
	var b strings.Builder
	b.WriteString("REMOVE " + n)
	for _, k := range graph.Kinds {
		b.WriteString(":" + k.Label())
	}
	for _, k := range graph.Kinds {
		fmt.Fprintf(&b, " FOREACH (_ IN CASE WHEN %s = '%s' THEN [1] ELSE [] END | SET %s:%s)", kindExpr, k, n, k.Label())
	}
	return b.String()
}

// createLink creates relationship (a)-[:type]->(b) with property map
// propsExpr, the type named by the string expression typeExpr.
func createLink(a, b, typeExpr, propsExpr string) string {
	var sb strings.Builder
	for i, t := range graph.LinkTypes {
		if i > 0 {
			sb.WriteString(" ")
		}
		fmt.Fprintf(&sb, "FOREACH (_ IN CASE WHEN %s = '%s' THEN [1] ELSE [] END | CREATE (%s)-[r:%s]->(%s) SET r = %s)",
			typeExpr, mustType(t), a, t, b, propsExpr)
	}
	return sb.String()
}

// kindStrings is a kind filter parameter: null (not an empty list) for no
// filter.
func kindStrings(ks []graph.Kind) any {
	if len(ks) == 0 {
		return nil
	}
	out := make([]any, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

func anyStrings(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
