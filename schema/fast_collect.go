package schema

import (
	"cmp"
	"fmt"

	"github.com/skein-project/skein/graph"
)

// Field collection for the fast executor (fast_exec.go): the selection
// sets of a parsed query (querytext.go), with fragments expanded,
// @skip/@include applied and fields of one response name merged, as
// graphql-go's internal/exec/selected and collectFieldsToResolve do. Only
// the subset the fast executor writes is accepted; anything else returns
// errUnsure, and graphql-go executes the request.

// fastField is a field to write: its response name, its schema field, and
// the selection sets merged under it (collected later, per concrete type).
type fastField struct {
	alias, name string
	args        map[string]qValue // of the first occurrence
	sels        [][]*qSelection
	// when is the time of a sanctioned or degree field, from its
	// arguments; props the fields of a properties field's items.
	when  graph.When
	props []*fastField
}

// Fields the fast executor writes, by the type that has them.
var fastFields = map[string]map[string]bool{
	"Query":            {"neighborhood": true, "paths": true, "entity": true, "search": true, "sharedAssociates": true},
	"EntityConnection": {"nodes": true, "edges": true, "pageInfo": true, "totalCount": true, "__typename": true},
	"EntityEdge":       {"node": true, "cursor": true, "score": true, "__typename": true},
	"PageInfo":         {"hasNextPage": true, "endCursor": true, "__typename": true},
	"Property":         {"key": true, "value": true, "__typename": true},
	"Subgraph":         {"nodes": true, "links": true, "truncated": true, "__typename": true},
	"Path":             {"nodes": true, "links": true, "length": true, "__typename": true},
	"Entity": {"id": true, "kind": true, "name": true, "aliases": true, "countries": true, "description": true,
		"properties": true, "sanctioned": true, "degree": true, "__typename": true},
	"Link": {"id": true, "type": true, "source": true, "target": true, "role": true, "description": true,
		"startDate": true, "endDate": true, "weight": true, "properties": true, "__typename": true},
}

// entityKinds are graph's kinds, whose index the fast executor uses, and
// entityTypes maps the concrete types of Entity to their indexes (from
// graph's registry, of which registry.graphql is generated).
var entityKinds, entityTypes = func() ([]graph.KindSpec, map[string]int) {
	specs := graph.KindSpecs()
	types := make(map[string]int, len(specs))
	for i, k := range specs {
		types[k.GraphQLType] = i
	}
	return specs, types
}()

// kindIndexes maps the kinds to their indexes in entityKinds.
var kindIndexes = func() map[graph.Kind]int {
	m := make(map[graph.Kind]int, len(entityKinds))
	for i, k := range entityKinds {
		m[k.Kind] = i
	}
	return m
}()

// maxFastSelections bounds the selections expanded for one request,
// fragments included: far more than a real query has, and less than
// graphql-go's own bound, whose error the fast executor does not write.
const maxFastSelections = 10_000

// collector collects the selection sets of one operation.
type collector struct {
	doc      *qDocument
	vars     map[string]any // with the operation's defaults
	expanded int
	// readVar says that the collection read a variable: its plan holds
	// this request's values and is not kept (fast_exec.go).
	readVar bool
}

// unsure is a request the fast executor leaves to graphql-go.
type unsure string

func (u unsure) Error() string { return "not for the fast executor: " + string(u) }

// collect merges sels into fields of the type scope (Subgraph, Link, Entity
// or a concrete type of Entity) for an object whose concrete type is
// runtime (scope itself when not an entity), appending new response names
// to out in order.
func (c *collector) collect(scope, runtime string, sels []*qSelection, out []*fastField) ([]*fastField, error) {
	for _, s := range sels {
		c.expanded++
		if c.expanded > maxFastSelections {
			return nil, unsure("too many selections")
		}
		skip, err := c.skipped(s.dirs)
		if err != nil {
			return nil, err
		}
		if skip {
			continue
		}
		if s.name != "" {
			if !fastFields[fieldScope(scope)][s.name] {
				return nil, unsure(fmt.Sprintf("field %s.%s", scope, s.name))
			}
			if len(s.args) > 0 && scope != "Query" && s.name != "sanctioned" && s.name != "degree" {
				return nil, unsure("arguments below the root")
			}
			alias := cmp.Or(s.alias, s.name)
			i := indexOfAlias(out, alias)
			if i < 0 {
				out = append(out, &fastField{alias: alias, name: s.name, args: s.args})
				i = len(out) - 1
			} else if out[i].name != s.name {
				return nil, unsure("one response name for two fields")
			}
			if s.sel != nil {
				out[i].sels = append(out[i].sels, s.sel)
			}
			continue
		}
		on, body := s.on, s.sel
		if s.spread != "" {
			f, ok := c.doc.frags[s.spread]
			if !ok {
				return nil, unsure("an undefined fragment")
			}
			if len(f.dirs) > 0 {
				return nil, unsure("a directive on a fragment definition")
			}
			on, body = f.on, f.sel
		}
		switch {
		case on == "" || on == scope:
			// The same type: its fields are this set's.
		case scope == "Entity" && isEntityType(on):
			// A concrete type of Entity: its fields count on objects of
			// that type only.
			if on != runtime {
				if _, err := c.collect(on, on, body, nil); err != nil { // still checked
					return nil, err
				}
				continue
			}
		default:
			// graphql-go filters fragments nested in a concrete type's by
			// rules of its own: leave those to it.
			return nil, unsure("fragment on " + on + " in " + scope)
		}
		if out, err = c.collect(cmp.Or(on, scope), runtime, body, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fieldScope is the type whose fields a scope has: a concrete entity type
// has Entity's (the fast executor writes no kind's own fields).
func fieldScope(scope string) string {
	if isEntityType(scope) {
		return "Entity"
	}
	return scope
}

func isEntityType(name string) bool {
	_, ok := entityTypes[name]
	return ok
}

func indexOfAlias(fs []*fastField, alias string) int {
	for i, f := range fs {
		if f.alias == alias {
			return i
		}
	}
	return -1
}

// skipped applies @skip and @include, whose if is a Boolean literal or a
// variable holding one; anything else is left to graphql-go.
func (c *collector) skipped(dirs []qDirective) (bool, error) {
	skip := false
	for _, d := range dirs {
		if d.name != "skip" && d.name != "include" {
			return false, unsure("directive @" + d.name)
		}
		if len(d.args) != 1 {
			return false, unsure("@" + d.name + " arguments")
		}
		v, ok := d.args["if"]
		if !ok {
			return false, unsure("@" + d.name + " without if")
		}
		val, err := c.value(v)
		if err != nil {
			return false, err
		}
		b, ok := val.(bool)
		if !ok {
			return false, unsure("@" + d.name + " on a non-boolean")
		}
		if d.name == "skip" && b || d.name == "include" && !b {
			skip = true
		}
	}
	return skip, nil
}

// value is an argument's value as graphql-go hands it to its packer: a
// variable's from the request (nil when absent), or the literal's.
func (c *collector) value(v qValue) (any, error) {
	if v.nestedVar {
		return nil, unsure("a variable inside a list or object value")
	}
	if v.variable != "" {
		c.readVar = true
		return c.vars[v.variable], nil
	}
	return v.lit, nil
}

// names are the dotted paths of the fields selected under sels, as
// graphql.SelectedFieldNames lists them for the field that has them: every
// fragment included whatever its type, __typename left out, each path once.
// The collection has already checked sels.
func (c *collector) names(sels [][]*qSelection) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(prefix string, sels []*qSelection)
	walk = func(prefix string, sels []*qSelection) {
		for _, s := range sels {
			if skip, err := c.skipped(s.dirs); err != nil || skip {
				continue
			}
			switch {
			case s.name == "__typename":
			case s.name != "":
				p := s.name
				if prefix != "" {
					p = prefix + "." + s.name
				}
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
				walk(p, s.sel)
			case s.spread != "":
				walk(prefix, c.doc.frags[s.spread].sel)
			default:
				walk(prefix, s.sel)
			}
		}
	}
	for _, s := range sels {
		walk("", s)
	}
	return out
}
