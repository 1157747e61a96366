package schema

import (
	"context"
	"encoding/json"
	"runtime/debug"

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
	if errs := s.gql.ValidateWithVariables(req.Query, req.Variables); len(errs) > 0 {
		return nil, false // graphql-go reports them
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

// fastPlan is what the fast executor runs: one root field, neighborhood
// or paths, with its arguments and the fields of its Subgraph or Paths.
type fastPlan struct {
	root      *fastField
	neighbors neighborhoodArgs
	paths     pathsArgs
	sel       graph.Selection
	sub       *subgraphFields
}

// planFast collects the operation the request runs, or says why not.
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
	roots, err := c.collect("Query", "Query", op.sel, nil)
	if err != nil {
		return nil, err
	}
	if len(roots) != 1 {
		return nil, unsure("more than one root field")
	}
	p := &fastPlan{root: roots[0]}
	scope := "Subgraph"
	switch p.root.name {
	case "neighborhood":
		p.neighbors, err = c.neighborhoodArgsOf(p.root.args, s.defaults)
	case "paths":
		scope = "Path"
		p.paths, err = c.pathsArgsOf(p.root.args, s.defaults)
	}
	if err != nil {
		return nil, err
	}
	p.sel = selectionOfNames(c.names(p.root.sels))
	if p.sub, err = c.subgraphFields(scope, p.root.sels); err != nil {
		return nil, err
	}
	return p, nil
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
			if sf.nodes[f], err = c.entityFields(f.sels); err != nil {
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
					if lf.ends[g], err = c.entityFields(g.sels); err != nil {
						return nil, err
					}
				}
			}
			sf.links[f] = lf
		}
	}
	return sf, nil
}

// entityFields collects an entity's selection sets for every kind.
func (c *collector) entityFields(sels [][]*qSelection) (byKind, error) {
	out := make(byKind, len(entityKinds))
	for i, k := range entityKinds {
		var fs []*fastField
		var err error
		for _, set := range sels {
			if fs, err = c.collect("Entity", k.GraphQLType, set, fs); err != nil {
				return nil, err
			}
		}
		for _, f := range fs {
			if len(f.sels) > 0 {
				return nil, unsure("a selection below an entity's field")
			}
		}
		out[i] = fs
	}
	return out, nil
}

// runFast runs the plan: the root field's resolver as graphql-go would
// call it (budget charged first, a panic answered as panicHandler does),
// then the answer written.
func (s *Schema) runFast(ctx context.Context, p *fastPlan) (resp *graphql.Response, err error) {
	req := requestOf(ctx)
	rootCharge := len(p.root.name) + fieldBytes
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
	sg, ps, rerr := s.callFast(ctx, p)
	if rerr != nil {
		if ctx.Err() != nil {
			return ctxResponse(ctx), nil
		}
		return &graphql.Response{Data: json.RawMessage("null"), Errors: []*gqlerrors.QueryError{rerr}}, nil
	}
	var w *fastWriter
	if p.root.name == "paths" {
		w = &fastWriter{buf: s.buffer(pathsSize(ps))}
	} else {
		w = &fastWriter{buf: s.buffer(sizeOf(&sg, p.sub))}
	}
	w.buf = append(w.buf, `{"`...)
	w.buf = append(w.buf, p.root.alias...)
	w.buf = append(w.buf, `":`...)
	if p.root.name == "paths" {
		err = w.paths(ps, p.sub)
	} else {
		err = w.subgraph(&sg, p.sub)
	}
	if err != nil {
		return nil, err
	}
	w.buf = append(w.buf, '}')
	req.budget.charge(w.charge)
	if ctx.Err() != nil {
		return ctxResponse(ctx), nil
	}
	return &graphql.Response{Data: w.buf}, nil
}

// callFast calls the root field's resolver, turning its error or panic
// into the error graphql-go would report for the field.
func (s *Schema) callFast(ctx context.Context, p *fastPlan) (sg graph.Subgraph, ps []graph.Path, qe *gqlerrors.QueryError) {
	path := []any{p.root.alias}
	defer func() {
		if v := recover(); v != nil {
			(&panicLogger{log: s.log}).LogPanic(ctx, v)
			qe = panicHandler{}.MakePanicError(ctx, v)
			qe.Path = path
		}
	}()
	var err error
	if p.root.name == "paths" {
		ps, err = s.res.paths(ctx, p.paths, p.sel)
	} else {
		sg, err = s.res.neighborhood(ctx, p.neighbors, p.sel)
	}
	if err != nil {
		qe = gqlerrors.Errorf("%s", err)
		qe.Path = path
		qe.ResolverError = err
		if ex, ok := err.(interface{ Extensions() map[string]any }); ok {
			qe.Extensions = ex.Extensions()
		}
	}
	return sg, ps, qe
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
