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

// latinIndex is the full-text index over latinText, the transliterated
// tokens of names written in Cyrillic or Greek (graph.LatinText), which
// screening's blocking asks beside searchIndex.
const latinIndex = "entity_latin"

// identifierIndex is the full-text index over idText, the entity's
// identifiers (graph.EntityIdentifiers) joined by spaces.
const identifierIndex = "entity_identifiers"

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
	return "CALL { WITH " + idVar + " " + perLinkType(" UNION ALL WITH "+idVar+" ", func(_ int, t string) string {
		return fmt.Sprintf("MATCH ()-[r:%s {id: %s}]->() RETURN r", t, idVar)
	}) + " }"
}

// perLinkType joins one branch per link type, in the order of
// graph.LinkTypes, with sep: the UNION ALL queries that reach a
// relationship of any type, since relationship indexes are per type.
// branch gets the type's position and its relationship type, from the
// registry.
func perLinkType(sep string, branch func(i int, t string) string) string {
	parts := make([]string, len(graph.LinkTypes))
	for i, lt := range graph.LinkTypes {
		parts[i] = branch(i, mustType(lt))
	}
	return strings.Join(parts, sep)
}

// setKindLabel gives node variable n the label of kind k and removes the
// other kinds' labels.
func setKindLabel(n string, k graph.Kind) string {
	if !k.Valid() {
		panic(fmt.Sprintf("neo4j: unvalidated kind %q", k))
	}
	var b strings.Builder
	b.WriteString("REMOVE " + n)
	for _, o := range graph.Kinds {
		if o != k {
			b.WriteString(":" + o.Label())
		}
	}
	b.WriteString(" SET " + n + ":" + k.Label())
	return b.String()
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

// distinct is xs without repeats, in first-seen order, as a parameter.
func distinct(xs []string) []any {
	seen := make(map[string]bool, len(xs))
	out := make([]any, 0, len(xs))
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
