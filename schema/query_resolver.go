package schema

import (
	"context"
	"fmt"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
)

func (r *resolver) Entity(ctx context.Context, args struct{ ID graphql.ID }) (*entityResolver, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return nil, err
	}
	e, err := r.store.Entity(ctx, string(args.ID))
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return r.newEntity(requestOf(ctx), e), nil
}

func (r *resolver) Entities(ctx context.Context, args struct{ IDs []graphql.ID }) ([]*entityResolver, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return nil, err
	}
	if len(args.IDs) > graph.MaxIDsPerQuery {
		return nil, newError(CodeTooComplex, fmt.Sprintf("entities: more than %d ids", graph.MaxIDsPerQuery))
	}
	ids := make([]string, len(args.IDs))
	for i, id := range args.IDs {
		ids[i] = string(id)
	}
	es, err := r.store.Entities(ctx, ids)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return r.newEntities(requestOf(ctx), es), nil
}

func (r *resolver) Link(ctx context.Context, args struct{ ID graphql.ID }) (*linkResolver, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return nil, err
	}
	l, err := r.store.Link(ctx, string(args.ID))
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	lrs, err := r.newLinksLoading(ctx, requestOf(ctx), []graph.Link{l}, nil, "")
	if err != nil {
		return nil, err
	}
	return lrs[0], nil
}

func (r *resolver) Document(ctx context.Context, args struct{ ID graphql.ID }) (*documentResolver, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return nil, err
	}
	d, err := r.store.Document(ctx, string(args.ID))
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return &documentResolver{d: d}, nil
}

func (r *resolver) Documents(ctx context.Context) ([]*documentResolver, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return nil, err
	}
	docs, err := r.store.Documents(ctx)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	out := make([]*documentResolver, len(docs))
	for i, d := range docs {
		out[i] = &documentResolver{d: d}
	}
	return out, nil
}

type searchArgs struct {
	Query string
	Kinds *[]string
	First graphql.NullInt
	After *string
}

func (r *resolver) Search(ctx context.Context, args searchArgs) (*connectionResolver, error) {
	names := graphql.SelectedFieldNames(ctx)
	res, err := r.search(ctx, args, !selects(names, "totalCount"), searchSelectionOfNames(names))
	if err != nil {
		return nil, err
	}
	es := make([]graph.Entity, len(res.Hits))
	for i, h := range res.Hits {
		es[i] = h.Entity
	}
	return &connectionResolver{res: res, nodes: r.newEntities(requestOf(ctx), es)}, nil
}

// search is the search field up to the store's answer, for graphql-go's
// resolver above and for the fast executor (fast_exec.go), which both pass
// whether the request reads totalCount and what it reads of the entities.
func (r *resolver) search(ctx context.Context, args searchArgs, skipTotal bool, sel graph.Selection) (graph.SearchResult, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return graph.SearchResult{}, err
	}
	q := graph.SearchQuery{Text: args.Query}
	var err error
	if args.Kinds != nil {
		q.Kinds = kinds(*args.Kinds)
	}
	if q.First, err = intArg("search: first", args.First, graph.DefaultFirst, 1, graph.MaxFirst); err != nil {
		return graph.SearchResult{}, err
	}
	if args.After != nil {
		q.After = *args.After
	}
	q.SkipTotal, q.Select = skipTotal, sel
	if err := q.Normalize(); err != nil {
		return graph.SearchResult{}, fail(ctx, r.log, err)
	}
	res, err := r.store.Search(ctx, q)
	if err != nil {
		return graph.SearchResult{}, fail(ctx, r.log, err)
	}
	return res, nil
}

type connectionResolver struct {
	res   graph.SearchResult
	nodes []*entityResolver
}

func (c *connectionResolver) Nodes() []*entityResolver { return c.nodes }
func (c *connectionResolver) TotalCount() int32        { return int32(c.res.TotalCount) }
func (c *connectionResolver) PageInfo() *pageInfoResolver {
	return &pageInfoResolver{hasNext: c.res.HasNextPage, end: c.res.EndCursor}
}
func (c *connectionResolver) Edges() []*edgeResolver {
	out := make([]*edgeResolver, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = &edgeResolver{node: n, hit: c.res.Hits[i]}
	}
	return out
}

type edgeResolver struct {
	node *entityResolver
	hit  graph.SearchHit
}

func (e *edgeResolver) Node() *entityResolver { return e.node }
func (e *edgeResolver) Cursor() string        { return e.hit.Cursor }
func (e *edgeResolver) Score() float64        { return e.hit.Score }

type pageInfoResolver struct {
	hasNext bool
	end     string
}

func (p *pageInfoResolver) HasNextPage() bool  { return p.hasNext }
func (p *pageInfoResolver) EndCursor() *string { return optional(p.end) }

type neighborhoodArgs struct {
	ID        graphql.ID
	Depth     graphql.NullInt
	LinkTypes *[]string
	Kinds     *[]string
	Limit     graphql.NullInt
	AsOf      *dateScalar
	During    *dateRangeInput
}

func (r *resolver) Neighborhood(ctx context.Context, args neighborhoodArgs) (*subgraphResolver, error) {
	sg, err := r.neighborhood(ctx, args, selectionOf(ctx))
	if err != nil {
		return nil, err
	}
	return r.newSubgraph(requestOf(ctx), sg), nil
}

// neighborhood is the neighborhood field up to the store's answer, for
// graphql-go's resolver above and for the fast executor (fast_exec.go),
// which both pass what the request selects.
func (r *resolver) neighborhood(ctx context.Context, args neighborhoodArgs, sel graph.Selection) (graph.Subgraph, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return graph.Subgraph{}, err
	}
	q := graph.NeighborhoodQuery{ID: string(args.ID), When: whenOf(args.AsOf, args.During)}
	var err error
	if q.Depth, err = intArg("neighborhood: depth", args.Depth, graph.DefaultDepth, 0, graph.MaxDepth); err != nil {
		return graph.Subgraph{}, err
	}
	if q.Limit, err = intArg("neighborhood: limit", args.Limit, graph.DefaultLimit, 1, graph.MaxLimit); err != nil {
		return graph.Subgraph{}, err
	}
	if args.LinkTypes != nil {
		q.LinkTypes = linkTypes(*args.LinkTypes)
	}
	if args.Kinds != nil {
		q.Kinds = kinds(*args.Kinds)
	}
	q.Select = sel
	if err := q.Normalize(); err != nil {
		return graph.Subgraph{}, fail(ctx, r.log, err)
	}
	sg, err := r.store.Neighborhood(ctx, q)
	if err != nil {
		return graph.Subgraph{}, fail(ctx, r.log, err)
	}
	return sg, nil
}

type subgraphResolver struct {
	nodes     []*entityResolver
	links     []*linkResolver
	truncated bool
}

func (r *resolver) newSubgraph(req *request, sg graph.Subgraph) *subgraphResolver {
	nodes := r.newEntities(req, sg.Nodes)
	known := make(map[string]*entityResolver, len(nodes))
	for _, n := range nodes {
		known[n.e.ID] = n
	}
	return &subgraphResolver{nodes: nodes, links: r.newLinks(req, sg.Links, known), truncated: sg.Truncated}
}

func (s *subgraphResolver) Nodes() []*entityResolver { return s.nodes }
func (s *subgraphResolver) Links() []*linkResolver   { return s.links }
func (s *subgraphResolver) Truncated() bool          { return s.truncated }

type pathsArgs struct {
	From          graphql.ID
	To            graphql.ID
	MaxHops       graphql.NullInt
	LinkTypes     *[]string
	Limit         graphql.NullInt
	Weighted      graphql.NullBool
	AsOf          *dateScalar
	During        *dateRangeInput
	Chronological graphql.NullBool
}

func (r *resolver) Paths(ctx context.Context, args pathsArgs) ([]*pathResolver, error) {
	ps, err := r.paths(ctx, args, selectionOf(ctx))
	if err != nil {
		return nil, err
	}
	return r.newPaths(requestOf(ctx), ps), nil
}

// paths is the paths field up to the store's answer (or the weighted
// search's), for graphql-go's resolver above and for the fast executor
// (fast_exec.go), which both pass what the request selects.
func (r *resolver) paths(ctx context.Context, args pathsArgs, sel graph.Selection) ([]graph.Path, error) {
	weighted := args.Weighted.Value != nil && *args.Weighted.Value
	// Weighted paths are link analysis, computed here rather than by the store.
	action := ActionRead
	if weighted {
		action = ActionAnalyze
	}
	if err := r.allow(ctx, action); err != nil {
		return nil, err
	}
	q := graph.PathQuery{From: string(args.From), To: string(args.To), When: whenOf(args.AsOf, args.During),
		Chronological: args.Chronological.Value != nil && *args.Chronological.Value}
	if weighted && q.Chronological {
		return nil, newError(CodeBadUserInput, "paths: weighted and chronological cannot be combined")
	}
	var err error
	if q.MaxHops, err = intArg("paths: maxHops", args.MaxHops, graph.DefaultMaxHops, 1, graph.MaxHops); err != nil {
		return nil, err
	}
	if q.Limit, err = intArg("paths: limit", args.Limit, graph.DefaultPathLimit, 1, graph.MaxPathLimit); err != nil {
		return nil, err
	}
	if args.LinkTypes != nil {
		q.LinkTypes = linkTypes(*args.LinkTypes)
	}
	if err := q.Normalize(); err != nil {
		return nil, fail(ctx, r.log, err)
	}
	var ps []graph.Path
	if weighted {
		ps, err = r.weightedPaths(ctx, q)
	} else {
		q.Select = sel
		ps, err = r.store.Paths(ctx, q)
	}
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return ps, nil
}

type pathResolver struct {
	nodes []*entityResolver
	links []*linkResolver
}

// newPaths makes path resolvers whose nodes share one group and whose links
// share another, across all the paths.
func (r *resolver) newPaths(req *request, ps []graph.Path) []*pathResolver {
	var es []graph.Entity
	var ls []graph.Link
	for _, p := range ps {
		es = append(es, p.Nodes...)
		ls = append(ls, p.Links...)
	}
	nodes := r.newEntities(req, es)
	known := make(map[string]*entityResolver, len(nodes))
	for _, n := range nodes {
		known[n.e.ID] = n
	}
	links := r.newLinks(req, ls, known)
	out := make([]*pathResolver, len(ps))
	for i, p := range ps {
		out[i] = &pathResolver{nodes: nodes[:len(p.Nodes)], links: links[:len(p.Links)]}
		nodes, links = nodes[len(p.Nodes):], links[len(p.Links):]
	}
	return out
}

func (p *pathResolver) Nodes() []*entityResolver { return p.nodes }
func (p *pathResolver) Links() []*linkResolver   { return p.links }
func (p *pathResolver) Length() int32            { return int32(len(p.links)) }

type sharedArgs struct {
	IDs    []graphql.ID
	Depth  graphql.NullInt
	AsOf   *dateScalar
	During *dateRangeInput
}

func (r *resolver) SharedAssociates(ctx context.Context, args sharedArgs) ([]*entityResolver, error) {
	es, err := r.sharedAssociates(ctx, args, entitiesSelectionOf(graphql.SelectedFieldNames(ctx)))
	if err != nil {
		return nil, err
	}
	return r.newEntities(requestOf(ctx), es), nil
}

// sharedAssociates is the sharedAssociates field up to the store's
// answer, for graphql-go's resolver above and for the fast executor
// (fast_exec.go), which both pass what the request selects.
func (r *resolver) sharedAssociates(ctx context.Context, args sharedArgs, sel graph.Selection) ([]graph.Entity, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return nil, err
	}
	q := graph.SharedQuery{IDs: ids(args.IDs), When: whenOf(args.AsOf, args.During), Select: sel}
	var err error
	if q.Depth, err = intArg("sharedAssociates: depth", args.Depth, graph.DefaultSharedDepth, 1, graph.MaxSharedDepth); err != nil {
		return nil, err
	}
	if err := q.Normalize(); err != nil {
		return nil, fail(ctx, r.log, err)
	}
	es, err := r.store.SharedAssociates(ctx, q)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return es, nil
}

func ids(in []graphql.ID) []string {
	out := make([]string, len(in))
	for i, id := range in {
		out[i] = string(id)
	}
	return out
}

func (r *resolver) Stats(ctx context.Context) (*statsResolver, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return nil, err
	}
	st, err := r.store.Stats(ctx)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return &statsResolver{s: st}, nil
}

type statsResolver struct{ s graph.Stats }

func (s *statsResolver) Entities() int32 { return int32(s.s.Entities) }
func (s *statsResolver) Links() int32    { return int32(s.s.Links) }

// ByKind lists every kind, zero counts included, in the order of
// graph.Kinds.
func (s *statsResolver) ByKind() []*kindCountResolver {
	out := make([]*kindCountResolver, len(graph.Kinds))
	for i, k := range graph.Kinds {
		out[i] = &kindCountResolver{kind: string(k), count: s.s.ByKind[k]}
	}
	return out
}

// ByLinkType lists every link type, zero counts included, in the order of
// graph.LinkTypes.
func (s *statsResolver) ByLinkType() []*linkTypeCountResolver {
	out := make([]*linkTypeCountResolver, len(graph.LinkTypes))
	for i, t := range graph.LinkTypes {
		out[i] = &linkTypeCountResolver{typ: string(t), count: s.s.ByLinkType[t]}
	}
	return out
}

type kindCountResolver struct {
	kind  string
	count int
}

func (k *kindCountResolver) Kind() string { return k.kind }
func (k *kindCountResolver) Count() int32 { return int32(k.count) }

type linkTypeCountResolver struct {
	typ   string
	count int
}

func (k *linkTypeCountResolver) Type() string { return k.typ }
func (k *linkTypeCountResolver) Count() int32 { return int32(k.count) }

// intArg reads an Int argument that has a default: null or an omitted
// variable take def. Below lo is bad input; above hi asks for more than the
// API allows.
func intArg(name string, arg graphql.NullInt, def, lo, hi int) (int, error) {
	if arg.Value == nil {
		return def, nil
	}
	v := int(*arg.Value)
	if v < lo {
		return 0, newError(CodeBadUserInput, fmt.Sprintf("%s must be at least %d", name, lo))
	}
	if v > hi {
		return 0, newError(CodeTooComplex, fmt.Sprintf("%s must be at most %d", name, hi))
	}
	return v, nil
}
