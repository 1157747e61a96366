package schema

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/graph-gophers/graphql-go/ast"

	"github.com/skein-project/skein/graph"
)

// Query cost. Every selected field costs 1; the selections under a list
// field cost once per item the list may hold:
//   - the field's first, limit or top argument when it has one, or the
//     number of ids when it takes ids;
//   - the size argument of its parent when the parent is a page (search,
//     neighborhood); for a depth-1 neighbourhood of an entity the store
//     knows, at most its degree plus one, when the limit alone would refuse
//     the query (so a large limit on an ordinary entity is admitted);
//   - Entity.links without first: the entities' degrees, as the store counts
//     them, for the entities a query names at its root (entity, entities);
//     deeper, the largest of those degrees or DefaultListSize;
//   - a fixed bound where the schema fixes one (a path's nodes and links,
//     introspection's lists, from the schema's own size);
//   - DefaultValueListSize for lists of values stored with their parent
//     (sources, designations, properties): they need no store work, and
//     their size is what was stored;
//   - else DefaultListSize.
// So costs multiply down nested lists, as the work and the response do.
// Introspection costs like any other field. Aliases are counted over the
// operation with its fragments expanded. An estimate can miss (a hub
// reached through a nested link); Options.MaxResponseBytes bounds the
// response while it is built, whatever the estimate said.

// Defaults of Options.MaxCost and Options.MaxAliases, and the sizes assumed
// for lists without a size argument.
const (
	// DefaultMaxCost is high enough for a full-detail neighbourhood at the
	// default limit (about 60,000) and the full introspection query; as
	// with GitHub's node limit, the response cap bounds the rest.
	DefaultMaxCost       = 200_000
	DefaultMaxAliases    = 30
	DefaultListSize      = 20
	DefaultValueListSize = 5
)

// sizeArgs are the arguments that bound the length of a field's list.
var sizeArgs = []string{"first", "limit", "top"}

// valueTypes are the object types whose lists are stored with their parent.
var valueTypes = []string{"SourceRef", "Designation", "Property", "KindCount", "LinkTypeCount"}

// fieldInfo is what the cost needs to know of a field of the schema.
type fieldInfo struct {
	typ     string // named type, lists and non-null unwrapped
	list    bool
	sizeArg string // the argument that bounds the list, if any
	sizeDef int    // its default value
	ids     bool   // takes ids: [ID!]: one item per id
	bound   int64  // a fixed bound of the list's length, 0 when none
	most    int64  // for one __type: the longest such list of any type
	values  bool   // a list of values stored with the parent
	degree  bool   // Entity.links: as long as the entity's degree
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
			fi.values = fi.list && slices.Contains(valueTypes, fi.typ)
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
	m.setBound("Path", "nodes", graph.MaxHops+1)
	m.setBound("Path", "links", graph.MaxHops)
	for typ, fm := range m {
		if fi, ok := fm["links"]; ok && fi.typ == "Link" && implementsEntity(s, typ) {
			fi.degree = true
			fm["links"] = fi
		}
	}
	m.introspection(s)
	return m
}

func implementsEntity(s *ast.Schema, typ string) bool {
	switch t := s.Types[typ].(type) {
	case *ast.InterfaceTypeDefinition:
		return t.Name == "Entity"
	case *ast.ObjectTypeDefinition:
		return slices.ContainsFunc(t.Interfaces, func(i *ast.InterfaceTypeDefinition) bool { return i.Name == "Entity" })
	}
	return false
}

func (m costModel) setBound(typ, field string, n int64) {
	if fi, ok := m[typ][field]; ok {
		fi.bound = n
		m[typ][field] = fi
	}
}

func (m costModel) setMost(typ, field string, n int) {
	if fi, ok := m[typ][field]; ok {
		fi.most = int64(max(n, 1))
		m[typ][field] = fi
	}
}

// introspection gives introspection's root fields and bounds its lists by
// the schema's size: the number of types and directives, and the mean
// number of fields, arguments, enum values ... of the types that have them,
// so that the introspection query costs about what it returns; the one
// type __type returns costs the longest of each.
func (m costModel) introspection(s *ast.Schema) {
	var fields, args, withFields, ifaces, objects, possible, abstract, enums, enumTypes, inputs, inputTypes, dirArgs int
	var mostFields, mostEnums, mostInputs, mostPossible int
	for _, t := range s.Types {
		switch t := t.(type) {
		case *ast.ObjectTypeDefinition:
			mostFields = max(mostFields, len(t.Fields))
		case *ast.InterfaceTypeDefinition:
			mostFields = max(mostFields, len(t.Fields))
			mostPossible = max(mostPossible, len(t.PossibleTypes))
		case *ast.Union:
			mostPossible = max(mostPossible, len(t.UnionMemberTypes))
		case *ast.EnumTypeDefinition:
			mostEnums = max(mostEnums, len(t.EnumValuesDefinition))
		case *ast.InputObject:
			mostInputs = max(mostInputs, len(t.Values))
		}
	}
	m.setMost("__Type", "fields", mostFields)
	m.setMost("__Type", "enumValues", mostEnums)
	m.setMost("__Type", "inputFields", mostInputs)
	m.setMost("__Type", "possibleTypes", mostPossible)
	for _, t := range s.Types {
		switch t := t.(type) {
		case *ast.ObjectTypeDefinition:
			withFields++
			objects++
			fields += len(t.Fields)
			ifaces += len(t.Interfaces)
			for _, f := range t.Fields {
				args += len(f.Arguments)
			}
		case *ast.InterfaceTypeDefinition:
			withFields++
			abstract++
			fields += len(t.Fields)
			possible += len(t.PossibleTypes)
			for _, f := range t.Fields {
				args += len(f.Arguments)
			}
		case *ast.Union:
			abstract++
			possible += len(t.UnionMemberTypes)
		case *ast.EnumTypeDefinition:
			enumTypes++
			enums += len(t.EnumValuesDefinition)
		case *ast.InputObject:
			inputTypes++
			inputs += len(t.Values)
		}
	}
	for _, d := range s.Directives {
		dirArgs += len(d.Arguments)
	}
	mean := func(n, d int) int64 { return int64(max(1, (n+max(d, 1)-1)/max(d, 1))) }
	m["Query"]["__schema"] = fieldInfo{typ: "__Schema"}
	m["Query"]["__type"] = fieldInfo{typ: "__Type"}
	m.setBound("__Schema", "types", int64(max(1, len(s.Types))))
	m.setBound("__Schema", "directives", int64(max(1, len(s.Directives))))
	m.setBound("__Type", "fields", mean(fields, withFields))
	m.setBound("__Type", "interfaces", mean(ifaces, objects))
	m.setBound("__Type", "possibleTypes", mean(possible, abstract))
	m.setBound("__Type", "enumValues", mean(enums, enumTypes))
	m.setBound("__Type", "inputFields", mean(inputs, inputTypes))
	m.setBound("__Field", "args", mean(args, fields))
	m.setBound("__Directive", "args", mean(dirArgs, len(s.Directives)))
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
	// rootLinks: the query lists the links of entities it names at its
	// root, whose degrees the store can tell.
	rootLinks bool
	// rootNeighborhood: the query has a depth-1 neighbourhood of an entity
	// it names, whose degree bounds the neighbourhood's size.
	rootNeighborhood bool
}

var errNoOperation = errors.New("no such operation")

// degreesFunc returns the degrees of the entities of ids that exist.
type degreesFunc func(ids []string) (map[string]int, error)

// measureQuery measures the operation of doc that a request runs; degrees,
// when set, tells the degrees of the entities the query names at its root.
func (m costModel) measureQuery(doc *qDocument, operationName string, vars map[string]any, degrees degreesFunc) (measure, error) {
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
	w := &costWalk{model: m, doc: doc, op: op, vars: vars, memo: map[string]measure{}, active: map[string]bool{},
		nested: DefaultListSize}
	if root == "Query" && degrees != nil {
		if err := w.rootDegrees(op.sel, degrees); err != nil {
			return measure{}, err
		}
	}
	return w.selections(root, op.sel, level{})
}

type costWalk struct {
	model  costModel
	doc    *qDocument
	op     *qOperation
	vars   map[string]any
	memo   map[string]measure // by fragment and level
	active map[string]bool    // fragments being expanded, to catch cycles
	degree map[string]int     // degrees of the entities named at the root
	nested int64              // the length assumed for deeper Entity.links
}

// level is what a selection set inherits from its field: the page size of
// its lists (0 when none) and the length of Entity.links on its entities.
type level struct {
	size  int64
	links int64
	root  bool // the entities named at the root
	one   bool // the one type __type returns
}

// rootDegrees asks the store for the degrees of the entities the root
// fields entity, entities and depth-1 neighborhood name, in one call. Only
// the first two set the length assumed for deeper links: a neighbourhood's
// nodes are the root's neighbours, whose degrees the root's says nothing of.
func (w *costWalk) rootDegrees(sel []*qSelection, degrees degreesFunc) error {
	var named, ids []string
	for _, s := range sel {
		named = append(named, w.rootIDs(s)...)
		ids = append(ids, w.neighborhoodRoot(s)...)
	}
	ids = append(ids, named...)
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	d, err := degrees(slices.Compact(ids))
	if err != nil {
		return err
	}
	w.degree = d
	for _, id := range named {
		w.nested = max(w.nested, int64(min(d[id], graph.MaxLinksFirst)))
	}
	return nil
}

// neighborhoodRoot returns the id of a depth-1 neighborhood root field.
func (w *costWalk) neighborhoodRoot(s *qSelection) []string {
	if s.name != "neighborhood" {
		return nil
	}
	depth, ok := w.intArg(s.args, "depth")
	if !ok {
		depth = graph.DefaultDepth
	}
	if id, ok := w.stringArg(s.args, "id"); ok && depth == 1 {
		return []string{id}
	}
	return nil
}

// rootIDs returns the ids a root field entity or entities names.
func (w *costWalk) rootIDs(s *qSelection) []string {
	switch s.name {
	case "entity":
		if id, ok := w.stringArg(s.args, "id"); ok {
			return []string{id}
		}
	case "entities":
		ids, _ := w.stringsArg(s.args, "ids")
		return ids
	}
	return nil
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

// selections measures a selection set on type typ at level lv.
func (w *costWalk) selections(typ string, sel []*qSelection, lv level) (measure, error) {
	var total measure
	for _, s := range sel {
		var m measure
		var err error
		switch {
		case s.spread != "":
			m, err = w.fragment(s.spread, lv)
		case s.name == "":
			on := typ
			if s.on != "" {
				on = s.on
			}
			m, err = w.selections(on, s.sel, lv)
		default:
			m, err = w.field(typ, s, lv)
		}
		if err != nil {
			return measure{}, err
		}
		total.cost = satAdd(total.cost, m.cost)
		total.aliases = satAdd(total.aliases, m.aliases)
		total.rootLinks = total.rootLinks || m.rootLinks
		total.rootNeighborhood = total.rootNeighborhood || m.rootNeighborhood
	}
	return total, nil
}

func (w *costWalk) fragment(name string, lv level) (measure, error) {
	key := fmt.Sprintf("%s|%d|%d|%t|%t", name, lv.size, lv.links, lv.root, lv.one)
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
	m, err := w.selections(f.on, f.sel, lv)
	delete(w.active, name)
	if err != nil {
		return measure{}, err
	}
	w.memo[key] = m
	return m, nil
}

func (w *costWalk) field(typ string, s *qSelection, lv level) (measure, error) {
	m := measure{cost: 1}
	if s.alias != "" {
		m.aliases = 1
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
	mult, inner := int64(1), level{links: w.nested}
	switch {
	case fi.list && n > 0:
		mult = n
	case fi.degree:
		mult = cmp.Or(lv.links, w.nested)
	case lv.one && fi.most > 0:
		mult = fi.most
	case fi.bound > 0:
		mult = fi.bound
	case fi.list && lv.size > 0:
		mult = lv.size
	case fi.values:
		mult = DefaultValueListSize
	case fi.list:
		mult = DefaultListSize
	case n > 0:
		inner.size = n // a page: its lists hold n items
	}
	inner.one = typ == "Query" && s.name == "__type"
	if ids := w.neighborhoodRoot(s); typ == "Query" && len(ids) == 1 {
		m.rootNeighborhood = true
		if d, ok := w.degree[ids[0]]; ok && inner.size > 0 {
			inner.size = min(inner.size, int64(d)+1)
		}
	}
	if typ == "Query" && (s.name == "entity" || s.name == "entities") {
		inner.root = true
		if ids := w.rootIDs(s); len(ids) > 0 && w.degree != nil {
			inner.links = w.meanDegree(ids)
		}
	}
	in, err := w.selections(fi.typ, s.sel, inner)
	if err != nil {
		return measure{}, err
	}
	m.cost = satAdd(m.cost, satMul(mult, in.cost))
	m.aliases = satAdd(m.aliases, in.aliases)
	m.rootLinks = in.rootLinks || fi.degree && lv.root
	m.rootNeighborhood = m.rootNeighborhood || in.rootNeighborhood
	return m, nil
}

// meanDegree is the mean degree of ids, rounded up, at least 1 and at most
// the links an entity lists: the cost of n entities' links is n times it,
// since the cost of each entity grows linearly with its links.
func (w *costWalk) meanDegree(ids []string) int64 {
	var sum int64
	for _, id := range ids {
		sum += int64(min(w.degree[id], graph.MaxLinksFirst))
	}
	n := int64(len(ids))
	return max(1, (sum+n-1)/n)
}

// stringArg reads a string argument given literally or by a variable.
func (w *costWalk) stringArg(args map[string]qValue, name string) (string, bool) {
	v, ok := args[name]
	if !ok {
		return "", false
	}
	if v.variable != "" {
		if x, ok := w.vars[v.variable].(string); ok {
			return x, true
		}
		v, ok = w.op.vars[v.variable]
		if !ok {
			return "", false
		}
	}
	if v.str == nil {
		return "", false
	}
	return *v.str, true
}

// stringsArg reads the strings of a list argument given literally or by a
// variable.
func (w *costWalk) stringsArg(args map[string]qValue, name string) ([]string, bool) {
	v, ok := args[name]
	if !ok {
		return nil, false
	}
	if v.variable != "" {
		if x, ok := w.vars[v.variable].([]any); ok {
			var out []string
			for _, e := range x {
				if s, ok := e.(string); ok {
					out = append(out, s)
				}
			}
			return out, true
		}
		v, ok = w.op.vars[v.variable]
		if !ok {
			return nil, false
		}
	}
	return v.strs, v.list >= 0
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
