package schema

import (
	"context"
	"fmt"
	"strings"

	graphql "github.com/graph-gophers/graphql-go"
	"github.com/graph-gophers/graphql-go/ast"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"
)

// gqlSchema is graphql-go's schema whose validation errors about a field
// of an input object given in a variable are said in the request's terms.
// graphql-go checks such a field as if it were a variable itself: for
// {"q": [{"name": "x"}]} against [MatchQuery!]! it answers, besides the
// unknown field, `Variable "names" has invalid value null` located at the
// field's line in the schema's SDL, a variable and a document the client
// never wrote. Those errors are rewritten to name the client's variable,
// where in its value the field is and which input type requires it, at
// the variable's definition; their rule, and so their code (codeErrors),
// stays. Every other error is left as it is.
type gqlSchema struct {
	*graphql.Schema
	// fieldAt is every input object field by its place in the SDL.
	fieldAt map[gqlerrors.Location]inputField
}

type inputField struct {
	obj *ast.InputObject
	def *ast.InputValueDefinition
}

func newGQLSchema(s *graphql.Schema) *gqlSchema {
	g := &gqlSchema{Schema: s, fieldAt: map[gqlerrors.Location]inputField{}}
	for _, t := range s.AST().Types {
		if obj, ok := t.(*ast.InputObject); ok {
			for _, f := range obj.Values {
				g.fieldAt[f.Loc] = inputField{obj: obj, def: f}
			}
		}
	}
	return g
}

// Exec is graphql.Schema.Exec with its variable errors rewritten.
func (g *gqlSchema) Exec(ctx context.Context, query, operation string, vars map[string]any) *graphql.Response {
	resp := g.Schema.Exec(ctx, query, operation, vars)
	resp.Errors = g.varErrors(query, vars, resp.Errors)
	return resp
}

// ValidateWithVariables is graphql.Schema.ValidateWithVariables with its
// variable errors rewritten.
func (g *gqlSchema) ValidateWithVariables(query string, vars map[string]any) []*gqlerrors.QueryError {
	return g.varErrors(query, vars, g.Schema.ValidateWithVariables(query, vars))
}

// varErrors rewrites the errors graphql-go made about input object fields
// as if they were variables (see gqlSchema).
func (g *gqlSchema) varErrors(query string, vars map[string]any, errs []*gqlerrors.QueryError) []*gqlerrors.QueryError {
	var doc *qDocument
	parsed := false
	places := map[string][]fieldPlace{}
	used := map[string]int{}
	for i, e := range errs {
		f, ok := g.fieldError(e)
		if !ok {
			continue
		}
		if !parsed {
			parsed = true
			if d, err := parseQuery(query); err == nil {
				doc = d
			}
		}
		name := f.obj.Name + "." + f.def.Name.Name
		// The field itself is null or missing, or something within its value is wrong.
		itself := strings.HasPrefix(e.Message, fmt.Sprintf("Variable %q has invalid value null.\nExpected type %q,", f.def.Name.Name, f.def.Type.String()))
		key := fmt.Sprint(name, itself)
		if _, ok := places[key]; !ok {
			places[key] = g.placesOf(doc, vars, f, itself)
		}
		// graphql-go reports each place once, in the order of the
		// variables and their values, as placesOf lists them.
		var at *fieldPlace
		if k := used[key]; k < len(places[key]) {
			at = &places[key][k]
		}
		used[key]++
		rest := e.Message[strings.IndexByte(e.Message, '\n')+1:]
		out := *e
		out.Locations = nil
		switch {
		case at == nil:
			out.Message = fmt.Sprintf("A variable has an invalid value.\nIn field %q: %s", name, rest)
		case itself && at.present:
			out.Message = fmt.Sprintf("Variable %q has invalid value%s.\nField %q of required type %q is null.", at.variable, at.where(""), name, f.def.Type.String())
		case itself:
			out.Message = fmt.Sprintf("Variable %q has invalid value%s.\nField %q of required type %q was not provided.", at.variable, at.where(""), name, f.def.Type.String())
		default:
			out.Message = fmt.Sprintf("Variable %q has invalid value%s.\n%s", at.variable, at.where(f.def.Name.Name), rest)
		}
		if at != nil {
			if loc, ok := varLocation(query, at.variable); ok {
				out.Locations = []gqlerrors.Location{loc}
			}
		}
		errs[i] = &out
	}
	return errs
}

// fieldError reports whether e is graphql-go's error about an input
// object field taken for a variable: a variable rule's error at a field's
// place in the SDL, naming that field.
func (g *gqlSchema) fieldError(e *gqlerrors.QueryError) (inputField, bool) {
	if e.Rule != "VariablesOfCorrectType" || len(e.Locations) != 1 {
		return inputField{}, false
	}
	f, ok := g.fieldAt[e.Locations[0]]
	if !ok || !strings.HasPrefix(e.Message, fmt.Sprintf("Variable %q has invalid ", f.def.Name.Name)) || !strings.Contains(e.Message, "\n") {
		return inputField{}, false
	}
	return f, true
}

// fieldPlace is an object of an input type within a variable's value.
type fieldPlace struct {
	variable string
	path     string // the object's place: q[0].owner
	present  bool   // the field is there (with null)
}

// where is " at" the place of the object, or of its field when field is
// not "", within the variable's value; "" for the value itself.
func (p *fieldPlace) where(field string) string {
	path := strings.TrimPrefix(p.path, p.variable)
	if field != "" {
		path += "." + field
	}
	if path == "" {
		return ""
	}
	return " at " + p.variable + path
}

// placesOf lists, in the order graphql-go validates them (operations, their
// variables, their values depth first), the objects of f's input type
// whose field f is null or missing (itself) or holds an invalid value.
func (g *gqlSchema) placesOf(doc *qDocument, vars map[string]any, f inputField, itself bool) []fieldPlace {
	if doc == nil {
		return nil
	}
	var out []fieldPlace
	for _, op := range doc.ops {
		for _, v := range op.varTypes {
			g.walkVar(v.typ, vars[v.name], v.name, func(m map[string]any, obj *ast.InputObject, path string) {
				if obj != f.obj {
					return
				}
				val, present := m[f.def.Name.Name]
				if itself && val == nil || !itself && val != nil && !validInput(f.def.Type, val) {
					out = append(out, fieldPlace{variable: v.name, path: path, present: present})
				}
			})
		}
	}
	return out
}

// walkVar calls visit with every input object in val, a value of the
// declared type t, and its path.
func (g *gqlSchema) walkVar(t *qType, val any, path string, visit func(map[string]any, *ast.InputObject, string)) {
	switch {
	case val == nil:
	case t.elem != nil:
		eachItem(val, path, func(x any, p string) { g.walkVar(t.elem, x, p, visit) })
	default:
		walkInput(g.AST().Types[t.name], val, path, visit)
	}
}

func walkInput(t ast.Type, val any, path string, visit func(map[string]any, *ast.InputObject, string)) {
	if val == nil {
		return
	}
	switch t := t.(type) {
	case *ast.NonNull:
		walkInput(t.OfType, val, path, visit)
	case *ast.List:
		eachItem(val, path, func(x any, p string) { walkInput(t.OfType, x, p, visit) })
	case *ast.InputObject:
		m, ok := val.(map[string]any)
		if !ok {
			return
		}
		visit(m, t, path)
		for _, f := range t.Values {
			walkInput(f.Type, m[f.Name.Name], path+"."+f.Name.Name, visit)
		}
	}
}

// validInput reports whether val passes graphql-go's check of a
// variable's value of type t (varcheck.go lists its rules): no null where
// t is non-null, list items one by one (a single value stands for a list
// of one), enum values among the enum's, input objects as maps of their
// fields only, each valid; scalars are left to execution.
func validInput(t ast.Type, val any) bool {
	if nn, ok := t.(*ast.NonNull); ok {
		return val != nil && validInput(nn.OfType, val)
	}
	if val == nil {
		return true
	}
	switch t := t.(type) {
	case *ast.List:
		ok := true
		eachItem(val, "", func(x any, _ string) { ok = ok && validInput(t.OfType, x) })
		return ok
	case *ast.EnumTypeDefinition:
		e, _ := val.(string)
		for _, v := range t.EnumValuesDefinition {
			if v.EnumValue == e {
				return true
			}
		}
		return false
	case *ast.InputObject:
		m, ok := val.(map[string]any)
		if !ok {
			return false
		}
		for k := range m {
			if t.Values.Get(k) == nil {
				return false
			}
		}
		for _, f := range t.Values {
			if !validInput(f.Type, m[f.Name.Name]) {
				return false
			}
		}
	}
	return true
}

// eachItem calls fn with each item of a list value and its path; a single
// value stands for a list of one, as input coercion allows.
func eachItem(val any, path string, fn func(any, string)) {
	list, ok := val.([]any)
	if !ok {
		fn(val, path)
		return
	}
	for i, x := range list {
		fn(x, fmt.Sprintf("%s[%d]", path, i))
	}
}

// varLocation is the place of the definition of variable name in the
// query text: the "$" of "$name" followed by ":".
func varLocation(query, name string) (gqlerrors.Location, bool) {
	for from := 0; ; {
		i := strings.Index(query[from:], "$"+name)
		if i < 0 {
			return gqlerrors.Location{}, false
		}
		i += from
		end := i + 1 + len(name)
		from = end
		if end < len(query) && isNameByte(query[end]) {
			continue
		}
		rest := strings.TrimLeft(query[end:], " \t\r\n,")
		if !strings.HasPrefix(rest, ":") {
			continue
		}
		line := 1 + strings.Count(query[:i], "\n")
		col := i - strings.LastIndexByte(query[:i], '\n')
		return gqlerrors.Location{Line: line, Column: col}, true
	}
}
