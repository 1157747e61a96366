package schema

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/graph-gophers/graphql-go/ast"

	"github.com/skein-project/skein/graph"
)

// Query cost. Every selected field costs 1; the selections under a list
// field cost once per item the list may hold: the field's first, limit or
// top argument when it has one, the number of ids when it takes ids, the
// size argument of its parent when the parent is a page (search, neighborhood)
// and else DefaultListSize. So costs multiply down nested lists, as the work
// and the response do. Introspection fields cost 1 whatever they select:
// they read the schema, which is small and fixed. Aliases are counted over
// the operation with its fragments expanded.

// Defaults of Options.MaxCost and Options.MaxAliases, and the size assumed
// for a list field without a size argument.
const (
	DefaultMaxCost    = 50_000
	DefaultMaxAliases = 30
	DefaultListSize   = 20
)

// boundedLists are list fields whose length the domain bounds, costed at
// that bound instead of DefaultListSize: a Path has at most graph.MaxHops
// links (every path the API returns: paths, exposures, ownership chains).
var boundedLists = map[string]map[string]int64{
	"Path": {"nodes": graph.MaxHops + 1, "links": graph.MaxHops},
}

// sizeArgs are the arguments that bound the length of a field's list.
var sizeArgs = []string{"first", "limit", "top"}

// fieldInfo is what the cost needs to know of a field of the schema.
type fieldInfo struct {
	typ     string // named type, lists and non-null unwrapped
	list    bool
	sizeArg string // the argument that bounds the list, if any
	sizeDef int    // its default value
	ids     bool   // takes ids: [ID!]: one item per id
}

// costModel indexes the fields of the schema's object and interface types.
type costModel map[string]map[string]fieldInfo

func newCostModel(s *ast.Schema) costModel {
	m := costModel{}
	add := func(typ string, fields ast.FieldsDefinition) {
		fm := make(map[string]fieldInfo, len(fields))
		for _, f := range fields {
			fi := fieldInfo{}
			fi.typ, fi.list = unwrapType(f.Type)
			for _, a := range f.Arguments {
				name := a.Name.Name
				for _, s := range sizeArgs {
					if name != s {
						continue
					}
					fi.sizeArg = s
					if pv, ok := a.Default.(*ast.PrimitiveValue); ok {
						fi.sizeDef, _ = strconv.Atoi(pv.Text)
					}
				}
				if name == "ids" {
					fi.ids = true
				}
			}
			fm[f.Name] = fi
		}
		m[typ] = fm
	}
	for name, t := range s.Types {
		switch t := t.(type) {
		case *ast.ObjectTypeDefinition:
			add(name, t.Fields)
		case *ast.InterfaceTypeDefinition:
			add(name, t.Fields)
		}
	}
	return m
}

// unwrapType returns the named type under lists and non-null, and whether
// there is a list.
func unwrapType(t ast.Type) (name string, list bool) {
	for {
		switch w := t.(type) {
		case *ast.NonNull:
			t = w.OfType
		case *ast.List:
			list = true
			t = w.OfType
		case ast.NamedType:
			return w.TypeName(), list
		default:
			return "", list
		}
	}
}

// measure is the cost and alias count of one operation.
type measure struct {
	cost    int64
	aliases int64
}

var errNoOperation = errors.New("no such operation")

// measureQuery measures the operation of doc that a request runs.
func (m costModel) measureQuery(doc *qDocument, operationName string, vars map[string]any) (measure, error) {
	var op *qOperation
	for _, o := range doc.ops {
		if o.name == operationName || operationName == "" && len(doc.ops) == 1 {
			op = o
			break
		}
	}
	if op == nil {
		return measure{}, errNoOperation
	}
	root := map[string]string{"query": "Query", "mutation": "Mutation"}[op.kind]
	if root == "" {
		return measure{}, fmt.Errorf("%s operations: %w", op.kind, errNoOperation)
	}
	w := &costWalk{model: m, doc: doc, op: op, vars: vars, memo: map[string]measure{}, active: map[string]bool{}}
	return w.selections(root, op.sel, 0)
}

type costWalk struct {
	model  costModel
	doc    *qDocument
	op     *qOperation
	vars   map[string]any
	memo   map[string]measure // by fragment and inherited size
	active map[string]bool    // fragments being expanded, to catch cycles
}

// saturated keeps sums and products of costs from overflowing; any cost
// this large is refused anyway.
const saturated = math.MaxInt64 / 4

func satAdd(a, b int64) int64 { return min(a+b, saturated) }

func satMul(a, b int64) int64 {
	if a != 0 && b > saturated/a {
		return saturated
	}
	return min(a*b, saturated)
}

// selections measures a selection set on type typ; size is the page size
// that typ's list fields inherit (0 when none).
func (w *costWalk) selections(typ string, sel []*qSelection, size int64) (measure, error) {
	var total measure
	for _, s := range sel {
		var m measure
		var err error
		switch {
		case s.spread != "":
			m, err = w.fragment(s.spread, size)
		case s.name == "":
			on := typ
			if s.on != "" {
				on = s.on
			}
			m, err = w.selections(on, s.sel, size)
		default:
			m, err = w.field(typ, s, size)
		}
		if err != nil {
			return measure{}, err
		}
		total.cost = satAdd(total.cost, m.cost)
		total.aliases = satAdd(total.aliases, m.aliases)
	}
	return total, nil
}

func (w *costWalk) fragment(name string, size int64) (measure, error) {
	key := name + "|" + strconv.FormatInt(size, 10)
	if m, ok := w.memo[key]; ok {
		return m, nil
	}
	f, ok := w.doc.frags[name]
	if !ok {
		return measure{}, fmt.Errorf("unknown fragment %s", name)
	}
	if w.active[name] {
		return measure{}, fmt.Errorf("fragment %s spreads itself", name)
	}
	w.active[name] = true
	m, err := w.selections(f.on, f.sel, size)
	delete(w.active, name)
	if err != nil {
		return measure{}, err
	}
	w.memo[key] = m
	return m, nil
}

func (w *costWalk) field(typ string, s *qSelection, size int64) (measure, error) {
	m := measure{cost: 1}
	if s.alias != "" {
		m.aliases = 1
	}
	if strings.HasPrefix(s.name, "__") {
		return m, nil // introspection: bounded by the schema
	}
	fi, ok := w.model[typ][s.name]
	if !ok || len(s.sel) == 0 {
		// A leaf, or a field graphql-go's validation will refuse.
		return m, nil
	}
	n := int64(0)
	if fi.sizeArg != "" {
		n = int64(fi.sizeDef)
		if v, ok := w.intArg(s.args, fi.sizeArg); ok {
			n = v
		}
	} else if fi.ids {
		if v, ok := w.listArg(s.args, "ids"); ok {
			n = v
		}
	}
	mult, pass := int64(1), int64(0)
	switch {
	case fi.list && n > 0:
		mult = n
	case fi.list && boundedLists[typ][s.name] > 0:
		mult = boundedLists[typ][s.name]
	case fi.list && size > 0:
		mult = size
	case fi.list:
		mult = DefaultListSize
	case n > 0:
		pass = n // a page: its lists hold n items
	}
	inner, err := w.selections(fi.typ, s.sel, pass)
	if err != nil {
		return measure{}, err
	}
	m.cost = satAdd(m.cost, satMul(mult, inner.cost))
	m.aliases = satAdd(m.aliases, inner.aliases)
	return m, nil
}

// intArg reads an integer argument given literally or by a variable (from
// the request, else the variable's default).
func (w *costWalk) intArg(args map[string]qValue, name string) (int64, bool) {
	v, ok := args[name]
	if !ok {
		return 0, false
	}
	if v.variable != "" {
		switch x := w.vars[v.variable].(type) {
		case float64:
			return int64(max(min(x, saturated), 0)), true
		case int:
			return int64(x), true
		}
		v, ok = w.op.vars[v.variable]
		if !ok {
			return 0, false
		}
	}
	if v.integer == nil {
		return 0, false
	}
	return *v.integer, true
}

// listArg reads the length of a list argument given literally or by a
// variable.
func (w *costWalk) listArg(args map[string]qValue, name string) (int64, bool) {
	v, ok := args[name]
	if !ok {
		return 0, false
	}
	if v.variable != "" {
		if x, ok := w.vars[v.variable].([]any); ok {
			return int64(len(x)), true
		}
		v, ok = w.op.vars[v.variable]
		if !ok {
			return 0, false
		}
	}
	if v.list < 0 {
		return 0, false
	}
	return int64(v.list), true
}
