package schema

import (
	"context"
	"encoding/json"
	"runtime/debug"
	"sync"

	"github.com/graph-gophers/graphql-go"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"

	"github.com/skein-project/skein/graph"
)

// The fast executor. graphql-go executes every field of every item
// through reflection, a buffer, a path segment and a tracer call: for a
// hub neighbourhood of 500 nodes and their links that is about 20 times
// what encoding/json takes to write the same answer (BENCHMARKS.md,
// "GraphQL execution"). The requests that make large answers, a
// neighbourhood selecting entities' and links' plain fields, are written
// here straight from the store's answer, with the same bytes graphql-go
// writes (fast_diff_test.go runs generated queries through both).
//
// graphql-go still validates every request, and executes every request
// whose operation holds anything outside that subset: the fast executor
// refuses (ok false) whenever it is not sure, before or after the store
// call, and only answers a request graphql-go finds valid.

// fastExec answers the request when the fast executor can; doc is the
// request's document as checkComplexity parsed it.
func (s *Schema) fastExec(ctx context.Context, req httpRequest, doc *qDocument) (*graphql.Response, bool) {
	if s.noFast || doc == nil || doc.unsupported != "" || !ascii(req.Query) {
		return nil, false
	}
	plan, err := s.planFast(doc, req)
	if err != nil {
		return nil, false
	}
	// A text graphql-go has found valid needs only its variables checked;
	// when that check is not sure, graphql-go validates it all again.
	if !s.validText(doc, req.Query) || !s.varsValid(doc, req.Variables) {
		if errs := s.gql.ValidateWithVariables(req.Query, req.Variables); len(errs) > 0 {
			return nil, false // graphql-go reports them
		}
	}
	resp, err := s.runFast(ctx, plan)
	if err != nil {
		return nil, false
	}
	s.fastRuns.Add(1)
	return resp, true
}

// ascii reports whether the query text is ASCII. graphql-go's lexer reads
// the text through Unicode normalization (NFC), which this package's
// parser does not: a non-ASCII string literal could differ between them.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// fastPlan is what the fast executor runs: its root fields, in order.
type fastPlan struct {
	roots []*rootPlan
}

// rootPlan is one root field: neighborhood, paths, entity, search or
// sharedAssociates, with its arguments and the fields of its Subgraph,
// Paths, Entity, EntityConnection or entities.
type rootPlan struct {
	field     *fastField
	neighbors neighborhoodArgs
	paths     pathsArgs
	search    searchArgs
	shared    sharedArgs
	entity    graphql.ID
	sel       graph.Selection
	skipTotal bool              // search: totalCount is not read
	sub       *subgraphFields   // neighborhood, paths
	conn      *connectionFields // search
	ent       byKind            // entity, sharedAssociates
}

// nullable reports whether the root field's type is nullable: a failed
// entity is null, any other failed root field nulls the data.
func (rp *rootPlan) nullable() bool { return rp.field.name == "entity" }

// planFast collects the operation the request runs, or says why not. The
// plan of an operation whose collection read no variable (no @skip or
// @include on one, no variable in a field's arguments below the root) is
// kept on its document (doccache.go keeps the document): a later request
// with the same text then evaluates only its root fields' arguments.
func (s *Schema) planFast(doc *qDocument, req httpRequest) (*fastPlan, error) {
	var op *qOperation
	switch {
	case req.OperationName == "" && len(doc.ops) == 1:
		op = doc.ops[0]
	case req.OperationName != "":
		for _, o := range doc.ops {
			if o.name == req.OperationName {
				op = o
			}
		}
	}
	if op == nil || op.kind != "query" {
		return nil, unsure("the operation")
	}
	// The variables with the operation's defaults, as graphql-go fills them.
	c := &collector{doc: doc, vars: make(map[string]any, len(req.Variables)+len(op.vars))}
	for k, v := range req.Variables {
		c.vars[k] = v
	}
	for name, def := range op.vars {
		if _, ok := c.vars[name]; !ok {
			if def.variable != "" || def.nestedVar {
				return nil, unsure("a variable's default")
			}
			c.vars[name] = def.lit
		}
	}
	if kept := doc.plans.get(op); kept != nil {
		p := &fastPlan{roots: make([]*rootPlan, len(kept.roots))}
		for i, rp := range kept.roots {
			own := *rp // the fields are shared, read only; the arguments are this request's
			if err := c.rootArgs(&own, s.defaults); err != nil {
				return nil, err
			}
			p.roots[i] = &own
		}
		return p, nil
	}
	roots, err := c.collect("Query", "Query", op.sel, nil)
	if err != nil {
		return nil, err
	}
	if len(roots) == 0 {
		return nil, unsure("no root field")
	}
	p := &fastPlan{}
	for _, f := range roots {
		rp := &rootPlan{field: f}
		if err := c.rootArgs(rp, s.defaults); err != nil {
			return nil, err
		}
		scope := "Subgraph"
		switch f.name {
		case "paths":
			scope = "Path"
		case "entity":
			rp.ent, err = c.entityFields(f.sels, true)
		case "sharedAssociates":
			rp.sel = entitiesSelectionOf(c.names(f.sels))
			rp.ent, err = c.entityFields(f.sels, false)
			rp.sel.NoKinds = err == nil && rp.ent.kindless()
		case "search":
			names := c.names(f.sels)
			rp.skipTotal, rp.sel = !selects(names, "totalCount"), searchSelectionOfNames(names)
			rp.conn, err = c.connectionFields(f.sels)
			rp.sel.NoKinds = err == nil && rp.conn.kindless()
		}
		if err != nil {
			return nil, err
		}
		if f.name == "neighborhood" || f.name == "paths" {
			rp.sel = selectionOfNames(c.names(f.sels))
			if rp.sub, err = c.subgraphFields(scope, f.sels); err != nil {
				return nil, err
			}
			rp.sel.NoKinds = rp.sub.kindless()
			// The writer reads a neighbourhood's links and nodes as
			// columns too (fast_write.go's subgraph).
			rp.sel.LinkColumns = f.name == "neighborhood"
			rp.sel.NodeColumns = rp.sel.LinkColumns
		}
		p.roots = append(p.roots, rp)
	}
	if !c.readVar {
		doc.plans.keep(op, p)
	}
	return p, nil
}

// rootArgs evaluates a root field's arguments into its plan. The
// variables they read do not count in collector.readVar: they are
// evaluated for every request.
func (c *collector) rootArgs(rp *rootPlan, d rootDefaults) error {
	read := c.readVar
	defer func() { c.readVar = read }()
	var err error
	f := rp.field
	switch f.name {
	case "neighborhood":
		rp.neighbors, err = c.neighborhoodArgsOf(f.args, d)
	case "paths":
		rp.paths, err = c.pathsArgsOf(f.args, d)
	case "entity":
		rp.entity, err = c.entityArgOf(f.args, d)
	case "sharedAssociates":
		rp.shared, err = c.sharedArgsOf(f.args, d)
	case "search":
		rp.search, err = c.searchArgsOf(f.args, d)
	default:
		err = unsure("root field " + f.name)
	}
	return err
}

// keptPlans are the plans of a document's operations that read no
// variable but in their root fields' arguments. Safe for concurrent use.
type keptPlans struct {
	mu    sync.Mutex
	plans map[*qOperation]*fastPlan
}

func (k *keptPlans) get(op *qOperation) *fastPlan {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.plans[op]
}

func (k *keptPlans) keep(op *qOperation, p *fastPlan) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.plans == nil {
		k.plans = make(map[*qOperation]*fastPlan, 1)
	}
	k.plans[op] = p
}

// subgraphFields collects the selection sets of a subgraph or a path
// (scope), and those of its nodes (for every kind) and links.
func (c *collector) subgraphFields(scope string, sels [][]*qSelection) (*subgraphFields, error) {
	sf := &subgraphFields{nodes: map[*fastField]byKind{}, links: map[*fastField]*linkFields{}}
	var err error
	for _, set := range sels {
		if sf.fields, err = c.collect(scope, scope, set, sf.fields); err != nil {
			return nil, err
		}
	}
	for _, f := range sf.fields {
		switch f.name {
		case "nodes":
			if sf.nodes[f], err = c.entityFields(f.sels, false); err != nil {
				return nil, err
			}
		case "links":
			lf := &linkFields{ends: map[*fastField]byKind{}}
			for _, set := range f.sels {
				if lf.fields, err = c.collect("Link", "Link", set, lf.fields); err != nil {
					return nil, err
				}
			}
			for _, g := range lf.fields {
				if g.name == "source" || g.name == "target" {
					if lf.ends[g], err = c.entityFields(g.sels, false); err != nil {
						return nil, err
					}
				} else if err := c.fieldExtras(g, false); err != nil {
					return nil, err
				}
			}
			sf.links[f] = lf
		}
	}
	return sf, nil
}

// entityFields collects an entity's selection sets for every kind;
// degree is allowed only on the entity root (whose group is itself).
func (c *collector) entityFields(sels [][]*qSelection, degree bool) (byKind, error) {
	out := make(byKind, len(entityKinds))
	if c.kindBlind(sels) {
		// Every kind collects the same fields: collect them once, and count
		// the selections as often as the kinds would have.
		before := c.expanded
		fs, err := c.kindFields(sels, entityKinds[0].GraphQLType, degree)
		if err != nil {
			return nil, err
		}
		c.expanded += (len(entityKinds) - 1) * (c.expanded - before)
		if c.expanded > maxFastSelections {
			return nil, unsure("too many selections")
		}
		for i := range out {
			out[i] = fs
		}
		return out, nil
	}
	for i, k := range entityKinds {
		fs, err := c.kindFields(sels, k.GraphQLType, degree)
		if err != nil {
			return nil, err
		}
		out[i] = fs
	}
	return out, nil
}

// kindFields collects an entity's selection sets for one concrete type.
func (c *collector) kindFields(sels [][]*qSelection, runtime string, degree bool) ([]*fastField, error) {
	var fs []*fastField
	var err error
	for _, set := range sels {
		if fs, err = c.collect("Entity", runtime, set, fs); err != nil {
			return nil, err
		}
	}
	for _, f := range fs {
		if err := c.fieldExtras(f, degree); err != nil {
			return nil, err
		}
	}
	return fs, nil
}

// kindBlind reports whether sels select the same fields whatever the
// entity's kind: no fragment in them, at any depth collect reaches at
// this level, is on a concrete type. Fragments on other types are
// reported not blind too, so that collect refuses them kind by kind as
// before; so is a document whose fragments expand past collect's bound
// (a cycle, a fragment bomb): the walk is bounded like collect.
func (c *collector) kindBlind(sels [][]*qSelection) bool {
	visited := 0
	var blind func(set []*qSelection) bool
	blind = func(set []*qSelection) bool {
		for _, s := range set {
			if visited++; visited > maxFastSelections {
				return false
			}
			if s.name != "" {
				continue
			}
			on, body := s.on, s.sel
			if s.spread != "" {
				f, ok := c.doc.frags[s.spread]
				if !ok {
					return false
				}
				on, body = f.on, f.sel
			}
			if on != "" && on != "Entity" || !blind(body) {
				return false
			}
		}
		return true
	}
	for _, set := range sels {
		if !blind(set) {
			return false
		}
	}
	return true
}

// fieldExtras reads what a field of an entity or link needs besides its
// name: the time of sanctioned and degree, the items' fields of
// properties; a selection below any other is not the fast executor's.
func (c *collector) fieldExtras(f *fastField, degree bool) error {
	switch f.name {
	case "sanctioned", "degree":
		if f.name == "degree" && !degree {
			return unsure("degree below the root")
		}
		known := []string{"asOf"}
		if f.name == "degree" {
			known = append(known, "during")
		}
		vals, err := c.argValues(f.name, f.args, known, nil)
		if err != nil {
			return err
		}
		asOf, during, err := whenArgsOf(vals)
		if err != nil {
			return err
		}
		f.when = whenOf(asOf, during)
		if f.name == "sanctioned" && f.when.Check("sanctioned") != nil {
			return unsure("a sanctioned date graphql-go reports per entity")
		}
		return nil
	case "properties":
		var err error
		for _, set := range f.sels {
			if f.props, err = c.collect("Property", "Property", set, f.props); err != nil {
				return err
			}
		}
		return nil
	}
	if len(f.sels) > 0 {
		return unsure("a selection below an entity's field")
	}
	return nil
}

// rootResult is what a root field's resolver returned.
type rootResult struct {
	sg      graph.Subgraph
	ps      []graph.Path
	found   graph.SearchResult
	es      []graph.Entity // sharedAssociates
	entity  *entityResolver
	degrees map[*fastField]int32
	failed  bool
}

// runFast runs the plan: each root field's resolver as graphql-go would
// call it (budget charged first, a panic answered as panicHandler does),
// then the answer written. graphql-go runs root fields at once, and lists
// their errors as they come; here they come in field order.
func (s *Schema) runFast(ctx context.Context, p *fastPlan) (resp *graphql.Response, err error) {
	req := requestOf(ctx)
	rootCharge := 0
	for _, rp := range p.roots {
		rootCharge += len(rp.field.name) + fieldBytes
	}
	req.budget.charge(rootCharge)
	defer func() {
		if v := recover(); v != nil {
			// A bug of the fast executor: graphql-go answers instead.
			s.log.ErrorContext(ctx, "graphql: fast executor panic, graphql-go answers", "panic", v, "stack", string(debug.Stack()))
			resp, err = nil, unsure("a panic")
		}
		if err != nil {
			req.budget.refund(rootCharge) // graphql-go charges it again
		}
	}()
	if ctx.Err() != nil {
		return ctxResponse(ctx), nil
	}
	results := make([]rootResult, len(p.roots))
	var errs []*gqlerrors.QueryError
	null := false // a non-null root field failed: data is null
	size := 64
	for i, rp := range p.roots {
		res, qe, err := s.callFast(ctx, rp)
		if err != nil {
			return nil, err
		}
		if qe != nil {
			errs = append(errs, qe)
			res.failed = true
			null = null || !rp.nullable()
		}
		results[i] = res
		switch rp.field.name {
		case "paths":
			size += pathsSize(res.ps)
		case "neighborhood":
			size += sizeOf(&res.sg, rp.sub)
		case "search":
			size += connectionSize(&res.found)
		case "sharedAssociates":
			size += entitiesSize(res.es, rp.ent)
		}
	}
	if ctx.Err() != nil {
		return ctxResponse(ctx), nil
	}
	// The answer is written even when data is null: graphql-go executes
	// (and charges) every root field before it nulls the data.
	w := &fastWriter{buf: s.buffer(size), nodeIdx: &s.nodeIdx}
	w.buf = append(w.buf, '{')
	for i, rp := range p.roots {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.buf = append(w.buf, '"')
		w.buf = append(w.buf, rp.field.alias...)
		w.buf = append(w.buf, '"', ':')
		w.kindless = rp.sel.Partial && rp.sel.NoKinds
		res := &results[i]
		switch {
		case res.failed:
			w.buf = append(w.buf, "null"...)
		case rp.field.name == "entity":
			k, ok := kindIndexes[res.entity.e.Kind]
			if !ok {
				return nil, unsure("an entity of a kind the schema lacks")
			}
			w.degrees = res.degrees
			w.entity(node{e: &res.entity.e, kind: k}, rp.ent)
		case rp.field.name == "paths":
			err = w.paths(res.ps, rp.sub)
		case rp.field.name == "search":
			err = w.connection(&res.found, rp.conn)
		case rp.field.name == "sharedAssociates":
			err = w.entityList(res.es, rp.ent)
		default:
			err = w.subgraph(&res.sg, rp.sub)
		}
		if err != nil {
			return nil, err
		}
	}
	w.buf = append(w.buf, '}')
	req.budget.charge(w.charge)
	if ctx.Err() != nil {
		return ctxResponse(ctx), nil
	}
	if null {
		s.putBuffer(w.buf)
		return &graphql.Response{Data: json.RawMessage("null"), Errors: errs}, nil
	}
	return &graphql.Response{Data: w.buf, Errors: errs}, nil
}

// callFast calls a root field's resolver, turning its error or panic into
// the error graphql-go would report for the field. For the entity root it
// also resolves the degree fields, and leaves the request to graphql-go
// (err) when one fails: graphql-go runs an entity's fields at once.
func (s *Schema) callFast(ctx context.Context, rp *rootPlan) (res rootResult, qe *gqlerrors.QueryError, err error) {
	path := []any{rp.field.alias}
	defer func() {
		if v := recover(); v != nil {
			(&panicLogger{log: s.log}).LogPanic(ctx, v)
			qe = panicHandler{}.MakePanicError(ctx, v)
			qe.Path = path
		}
	}()
	var rerr error
	switch rp.field.name {
	case "paths":
		res.ps, rerr = s.res.paths(ctx, rp.paths, rp.sel)
	case "entity":
		res.entity, rerr = s.res.Entity(ctx, struct{ ID graphql.ID }{rp.entity})
	case "search":
		res.found, rerr = s.res.search(ctx, rp.search, rp.skipTotal, rp.sel)
	case "sharedAssociates":
		res.es, rerr = s.res.sharedAssociates(ctx, rp.shared, rp.sel)
	default:
		res.sg, rerr = s.res.neighborhood(ctx, rp.neighbors, rp.sel)
	}
	if rerr != nil {
		qe = gqlerrors.Errorf("%s", rerr)
		qe.Path = path
		qe.ResolverError = rerr
		if ex, ok := rerr.(interface{ Extensions() map[string]any }); ok {
			qe.Extensions = ex.Extensions()
		}
		return res, qe, nil
	}
	if res.entity != nil {
		k, ok := kindIndexes[res.entity.e.Kind]
		if !ok {
			return res, nil, unsure("an entity of a kind the schema lacks")
		}
		for _, f := range rp.ent[k] {
			if f.name != "degree" {
				continue
			}
			d, err := res.entity.g.degree(ctx, res.entity.e.ID, f.when) // as entityResolver.Degree
			if err != nil {
				return res, nil, unsure("a degree that failed")
			}
			if res.degrees == nil {
				res.degrees = map[*fastField]int32{}
			}
			res.degrees[f] = int32(d)
		}
	}
	return res, nil, nil
}

// ctxResponse is graphql-go's answer when the request's context ended
// during execution.
func ctxResponse(ctx context.Context) *graphql.Response {
	return &graphql.Response{Errors: []*gqlerrors.QueryError{gqlerrors.Errorf("%s", ctx.Err())}}
}

// Answers are written into buffers reused from one request to the next:
// a hub answer is hundreds of kilobytes, whose allocation and collection
// cost about as much as writing it. ServeHTTP gives each back once it has
// written it.

// maxPooledAnswer bounds the buffers kept for reuse.
const maxPooledAnswer = 4 << 20

// buffer returns an empty buffer of at least n bytes.
func (s *Schema) buffer(n int) []byte {
	if bp, ok := s.bufs.Get().(*[]byte); ok && cap(*bp) >= n {
		return (*bp)[:0]
	}
	return make([]byte, 0, n)
}

// putBuffer takes back a buffer buffer returned, once written.
func (s *Schema) putBuffer(b []byte) {
	if cap(b) > 0 && cap(b) <= maxPooledAnswer {
		b = b[:0]
		s.bufs.Put(&b)
	}
}
