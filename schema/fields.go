package schema

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Typed fields of kinds and link types (registry_gen.go has one method per
// field name): a field answers null, or [], on an entity whose kind does not
// declare it, and reads the value from Properties under its FtM name.

func fieldValue(fs []graph.Field, props map[string]string, name string) (graph.Field, string, bool) {
	for _, f := range fs {
		if f.Name == name {
			v, ok := props[f.Property]
			return f, v, ok && v != ""
		}
	}
	return graph.Field{}, "", false
}

func (r *entityResolver) typed(name string) (graph.Field, string, bool) {
	spec, _ := r.e.Kind.Spec()
	return fieldValue(spec.Fields, r.e.Properties, name)
}

func (r *linkResolver) typed(name string) (graph.Field, string, bool) {
	spec, _ := r.l.Type.Spec()
	return fieldValue(spec.Fields, r.l.Properties, name)
}

func typedText(_ graph.Field, v string, ok bool) *string {
	if !ok {
		return nil
	}
	return &v
}

func typedList(f graph.Field, v string, _ bool) []string { return nonNil(f.Split(v)) }

func typedNumber(_ graph.Field, v string, ok bool) *float64 {
	if !ok {
		return nil
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil // written before validation; the raw text stays in properties
	}
	return &n
}

// givenField is one typed field of an input, as the generated inputs list
// them; at most one of text, list and number is set.
type givenField struct {
	name   string
	text   *string
	list   *[]string
	number *float64
}

// applyFields writes the typed fields an input gives into props under their
// FtM names, refusing a field the kind or link type does not declare and a
// value also given as a free property. Values are checked by graph's
// validation, like any property.
func applyFields(owner string, fs []graph.Field, given []givenField, props map[string]string) (map[string]string, error) {
	for _, g := range given {
		var v string
		switch {
		case g.text != nil:
			v = *g.text
		case g.list != nil:
			v = strings.Join(*g.list, graph.ListSeparator)
		case g.number != nil:
			v = strconv.FormatFloat(*g.number, 'f', -1, 64)
		default:
			continue
		}
		f, _, _ := fieldValue(fs, nil, g.name)
		if f.Name == "" {
			return nil, fmt.Errorf("%s has no field %s: %w", owner, g.name, graph.ErrInvalid)
		}
		if _, dup := props[f.Property]; dup {
			return nil, fmt.Errorf("%s given both as a field and as property %q: %w", g.name, f.Property, graph.ErrInvalid)
		}
		if g.list != nil && len(*g.list) == 0 {
			continue
		}
		if props == nil {
			props = map[string]string{}
		}
		props[f.Property] = v
	}
	return props, nil
}
