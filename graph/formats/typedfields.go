package formats

import (
	"slices"

	"github.com/skein-project/skein/graph"
)

// The registry's typed fields (graph.Field) are columns or attributes of
// their own in every tabular and graph format, under their FtM property,
// and are not repeated in the free properties.

// typedFields lists the typed fields of the kinds (or link types), one per
// property, in registry order.
func typedFields(links bool) []graph.Field {
	var all [][]graph.Field
	if links {
		for _, s := range graph.LinkSpecs() {
			all = append(all, s.Fields)
		}
	} else {
		for _, s := range graph.KindSpecs() {
			all = append(all, s.Fields)
		}
	}
	var out []graph.Field
	for _, fs := range all {
		for _, f := range fs {
			if !slices.ContainsFunc(out, func(g graph.Field) bool { return g.Property == f.Property }) {
				out = append(out, f)
			}
		}
	}
	return out
}

var (
	nodeFields = typedFields(false)
	edgeFields = typedFields(true)
)

// splitTyped separates an entity's or link's properties into its typed
// fields (property -> value) and the free rest.
func splitTyped(fs []graph.Field, props map[string]string) (typed, free map[string]string) {
	for k, v := range props {
		if slices.ContainsFunc(fs, func(f graph.Field) bool { return f.Property == k }) {
			if typed == nil {
				typed = map[string]string{}
			}
			typed[k] = v
			continue
		}
		if free == nil {
			free = map[string]string{}
		}
		free[k] = v
	}
	return typed, free
}

func attrType(f graph.Field) string {
	if f.Type == graph.ValueNumber && !f.List {
		return "double"
	}
	return "string"
}
