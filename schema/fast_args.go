package schema

import (
	"fmt"

	"github.com/graph-gophers/graphql-go"
	"github.com/graph-gophers/graphql-go/ast"

	"github.com/skein-project/skein/graph"
)

// Arguments of the fast executor's root fields, coerced as graphql-go's
// packer coerces them into the resolvers' argument structs: the same Go
// types (graphql.NullInt, graphql.ID, dateScalar) decode the same values
// with their own UnmarshalGraphQL, an argument left out takes the SDL's
// default, a single value stands for a one-item list. A value the packer
// would refuse (its error is written before execution, in a way of its
// own) makes the request graphql-go's.

// rootDefaults are the SDL defaults of the Query fields' arguments, as
// graphql-go deserializes them.
type rootDefaults map[string]map[string]any

func newRootDefaults(s *ast.Schema) rootDefaults {
	out := rootDefaults{}
	q, ok := s.RootOperationTypes["query"].(*ast.ObjectTypeDefinition)
	if !ok {
		return out
	}
	for _, f := range q.Fields {
		m := map[string]any{}
		for _, a := range f.Arguments {
			if a.Default != nil {
				m[a.Name.Name] = a.Default.Deserialize(nil)
			}
		}
		out[f.Name] = m
	}
	return out
}

// argValues are a field's arguments, given or defaulted: a name is
// present when the packer would see it.
func (c *collector) argValues(field string, args map[string]qValue, known []string, defaults rootDefaults) (map[string]any, error) {
	out := map[string]any{}
	for name, v := range args {
		if !contains(known, name) {
			return nil, unsure(fmt.Sprintf("argument %s of %s", name, field))
		}
		val, err := c.value(v)
		if err != nil {
			return nil, err
		}
		out[name] = val
	}
	for name, def := range defaults[field] {
		if _, ok := out[name]; !ok {
			out[name] = def
		}
	}
	return out, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// entityArgOf packs the argument of entity.
func (c *collector) entityArgOf(args map[string]qValue, defaults rootDefaults) (graphql.ID, error) {
	var id graphql.ID
	vals, err := c.argValues("entity", args, []string{"id"}, defaults)
	if err != nil {
		return id, err
	}
	if v, ok := vals["id"]; !ok || v == nil || id.UnmarshalGraphQL(v) != nil {
		return id, unsure("id")
	}
	return id, nil
}

// pathsArgsOf packs the arguments of paths.
func (c *collector) pathsArgsOf(args map[string]qValue, defaults rootDefaults) (pathsArgs, error) {
	var a pathsArgs
	vals, err := c.argValues("paths", args, []string{"from", "to", "maxHops", "linkTypes", "limit", "weighted", "asOf", "during", "chronological"}, defaults)
	if err != nil {
		return a, err
	}
	for name, dst := range map[string]*graphql.ID{"from": &a.From, "to": &a.To} {
		if v, ok := vals[name]; !ok || v == nil || dst.UnmarshalGraphQL(v) != nil {
			return a, unsure(name)
		}
	}
	for name, dst := range map[string]*graphql.NullInt{"maxHops": &a.MaxHops, "limit": &a.Limit} {
		if v, ok := vals[name]; ok {
			if err := dst.UnmarshalGraphQL(v); err != nil {
				return a, unsure(name)
			}
		}
	}
	for name, dst := range map[string]*graphql.NullBool{"weighted": &a.Weighted, "chronological": &a.Chronological} {
		if v, ok := vals[name]; ok {
			if err := dst.UnmarshalGraphQL(v); err != nil {
				return a, unsure(name)
			}
		}
	}
	if a.LinkTypes, err = enumList(vals, "linkTypes", func(s string) bool { return graph.LinkType(s).Valid() }); err != nil {
		return a, err
	}
	a.AsOf, a.During, err = whenArgsOf(vals)
	return a, err
}

// whenArgsOf packs the asOf and during arguments.
func whenArgsOf(vals map[string]any) (*dateScalar, *dateRangeInput, error) {
	asOf, err := dateArg(vals["asOf"])
	if err != nil {
		return nil, nil, err
	}
	v := vals["during"]
	if v == nil {
		return asOf, nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, nil, unsure("during")
	}
	for k := range m {
		if k != "from" && k != "to" {
			return nil, nil, unsure("during." + k)
		}
	}
	during := &dateRangeInput{}
	if during.From, err = dateArg(m["from"]); err != nil {
		return nil, nil, err
	}
	if during.To, err = dateArg(m["to"]); err != nil {
		return nil, nil, err
	}
	return asOf, during, nil
}

// neighborhoodArgsOf packs the arguments of neighborhood.
func (c *collector) neighborhoodArgsOf(args map[string]qValue, defaults rootDefaults) (neighborhoodArgs, error) {
	var a neighborhoodArgs
	vals, err := c.argValues("neighborhood", args, []string{"id", "depth", "linkTypes", "kinds", "limit", "asOf", "during"}, defaults)
	if err != nil {
		return a, err
	}
	id, ok := vals["id"]
	if !ok || id == nil || a.ID.UnmarshalGraphQL(id) != nil {
		return a, unsure("id")
	}
	for name, dst := range map[string]*graphql.NullInt{"depth": &a.Depth, "limit": &a.Limit} {
		if v, ok := vals[name]; ok {
			if err := dst.UnmarshalGraphQL(v); err != nil {
				return a, unsure(name)
			}
		}
	}
	if a.LinkTypes, err = enumList(vals, "linkTypes", func(s string) bool { return graph.LinkType(s).Valid() }); err != nil {
		return a, err
	}
	if a.Kinds, err = enumList(vals, "kinds", func(s string) bool { return graph.Kind(s).Valid() }); err != nil {
		return a, err
	}
	a.AsOf, a.During, err = whenArgsOf(vals)
	return a, err
}

// enumList packs a nullable list of enum values, each one valid.
func enumList(vals map[string]any, name string, valid func(string) bool) (*[]string, error) {
	v := vals[name]
	if v == nil {
		return nil, nil
	}
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	out := make([]string, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok || !valid(s) {
			return nil, unsure(name)
		}
		out[i] = s
	}
	return &out, nil
}

// dateArg packs a nullable Date.
func dateArg(v any) (*dateScalar, error) {
	if v == nil {
		return nil, nil
	}
	d := new(dateScalar)
	if err := d.UnmarshalGraphQL(v); err != nil {
		return nil, unsure("a Date")
	}
	return d, nil
}

// searchArgsOf packs the arguments of search.
func (c *collector) searchArgsOf(args map[string]qValue, defaults rootDefaults) (searchArgs, error) {
	var a searchArgs
	vals, err := c.argValues("search", args, []string{"query", "kinds", "first", "after"}, defaults)
	if err != nil {
		return a, err
	}
	q, ok := vals["query"].(string)
	if !ok {
		return a, unsure("query")
	}
	a.Query = q
	if v, ok := vals["first"]; ok {
		if err := a.First.UnmarshalGraphQL(v); err != nil {
			return a, unsure("first")
		}
	}
	switch v := vals["after"].(type) {
	case nil:
	case string:
		a.After = &v
	default:
		return a, unsure("after")
	}
	a.Kinds, err = enumList(vals, "kinds", func(s string) bool { return graph.Kind(s).Valid() })
	return a, err
}

// sharedArgsOf packs the arguments of sharedAssociates.
func (c *collector) sharedArgsOf(args map[string]qValue, defaults rootDefaults) (sharedArgs, error) {
	var a sharedArgs
	vals, err := c.argValues("sharedAssociates", args, []string{"ids", "depth", "asOf", "during"}, defaults)
	if err != nil {
		return a, err
	}
	v, ok := vals["ids"]
	if !ok || v == nil {
		return a, unsure("ids")
	}
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	a.IDs = make([]graphql.ID, len(items))
	for i, it := range items {
		if it == nil || a.IDs[i].UnmarshalGraphQL(it) != nil {
			return a, unsure("ids")
		}
	}
	if v, ok := vals["depth"]; ok {
		if err := a.Depth.UnmarshalGraphQL(v); err != nil {
			return a, unsure("depth")
		}
	}
	a.AsOf, a.During, err = whenArgsOf(vals)
	return a, err
}
