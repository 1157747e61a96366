package schema

import (
	"context"
	"fmt"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
)

type ownershipArgs struct {
	ID       graphql.ID
	MinShare graphql.NullFloat
	AsOf     *dateScalar
}

func shareArg(name string, arg graphql.NullFloat, def float64) (float64, error) {
	v := arg.Value
	if v == nil {
		return def, nil
	}
	if *v < 0 || *v > 100 {
		return 0, newError(CodeBadUserInput, fmt.Sprintf("%s must be between 0 and 100", name))
	}
	return *v, nil
}

func (r *resolver) Holdings(ctx context.Context, args ownershipArgs) ([]*ownershipResolver, error) {
	return r.holdingsOrOwners(ctx, args, "holdings", analysis.HoldingsIn)
}

func (r *resolver) Owners(ctx context.Context, args ownershipArgs) ([]*ownershipResolver, error) {
	return r.holdingsOrOwners(ctx, args, "owners", analysis.OwnersIn)
}

func (r *resolver) holdingsOrOwners(ctx context.Context, args ownershipArgs, what string,
	fn func(context.Context, graph.Store, string, analysis.OwnershipOptions) ([]analysis.Ownership, error)) ([]*ownershipResolver, error) {
	done, err := r.admitAnalysis(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	minShare, err := shareArg(what+": minShare", args.MinShare, 0)
	if err != nil {
		return nil, err
	}
	opt := ownershipOptions(ctx, minShare, whenOf(args.AsOf, nil))
	if err := opt.When.Check(what); err != nil {
		return nil, fail(ctx, r.log, err)
	}
	ws, err := fn(ctx, r.store, string(args.ID), opt)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return r.newOwnerships(requestOf(ctx), ws), nil
}

func (r *resolver) newOwnerships(req *request, ws []analysis.Ownership) []*ownershipResolver {
	var es []graph.Entity
	var ps []graph.Path
	for _, w := range ws {
		es = append(es, w.Owner, w.Asset)
		ps = append(ps, w.Paths...)
		ps = append(ps, w.Unknown...)
	}
	nodes := r.newEntities(req, es)
	paths := r.newPaths(req, ps)
	out := make([]*ownershipResolver, len(ws))
	for i, w := range ws {
		n := len(w.Paths)
		out[i] = &ownershipResolver{w: w, owner: nodes[2*i], asset: nodes[2*i+1], paths: paths[:n:n], unknown: paths[n : n+len(w.Unknown)]}
		paths = paths[n+len(w.Unknown):]
	}
	return out
}

type ownershipResolver struct {
	w              analysis.Ownership
	owner, asset   *entityResolver
	paths, unknown []*pathResolver
}

func (o *ownershipResolver) Owner() *entityResolver        { return o.owner }
func (o *ownershipResolver) Asset() *entityResolver        { return o.asset }
func (o *ownershipResolver) Share() float64                { return o.w.Share }
func (o *ownershipResolver) Direct() *float64              { return o.w.Direct }
func (o *ownershipResolver) Paths() []*pathResolver        { return nonNil(o.paths) }
func (o *ownershipResolver) UnknownPaths() []*pathResolver { return nonNil(o.unknown) }
func (o *ownershipResolver) Complete() bool                { return o.w.Complete() }

type sanctionsOwnershipArgs struct {
	MinShare graphql.NullFloat
	Combined graphql.NullBool
	AsOf     *dateScalar
	First    graphql.NullInt
	After    *string
}

func (r *resolver) SanctionsOwnership(ctx context.Context, args sanctionsOwnershipArgs) (*findingConnectionResolver, error) {
	done, err := r.admitAnalysis(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	minShare, err := shareArg("sanctionsOwnership: minShare", args.MinShare, 50)
	if err != nil {
		return nil, err
	}
	first, err := intArg("sanctionsOwnership: first", args.First, graph.DefaultOwnershipFirst, 1, graph.MaxOwnershipFirst)
	if err != nil {
		return nil, err
	}
	var after *graph.Cursor
	if args.After != nil && *args.After != "" {
		c, err := graph.DecodeCursor(*args.After)
		if err != nil {
			return nil, fail(ctx, r.log, err)
		}
		after = &c
	}
	combined := args.Combined.Value != nil && *args.Combined.Value
	// The question is about the whole graph: every OWNS link (in force at
	// asOf), and the designations in force then.
	opt := ownershipOptions(ctx, minShare, whenOf(args.AsOf, nil))
	if err := opt.When.Check("sanctionsOwnership"); err != nil {
		return nil, fail(ctx, r.log, err)
	}
	fs, err := analysis.SanctionsOwnershipIn(ctx, r.store, combined, opt)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	// Keyset paging over (share descending, asset id), the findings' order.
	start := 0
	if after != nil {
		start = len(fs)
		for i, f := range fs {
			if f.Share < after.Score || (f.Share == after.Score && f.Asset.ID > after.ID) {
				start = i
				break
			}
		}
	}
	end := min(start+first, len(fs))
	page := fs[start:end]
	req := requestOf(ctx)
	var assets []graph.Entity
	for _, f := range page {
		assets = append(assets, f.Asset)
	}
	nodes := r.newEntities(req, assets)
	c := &findingConnectionResolver{total: len(fs), hasNext: end < len(fs)}
	for i, f := range page {
		c.nodes = append(c.nodes, &findingResolver{f: f, asset: nodes[i], owners: r.newOwnerships(req, f.Owners), minShare: minShare, combined: combined})
	}
	if len(page) > 0 {
		last := page[len(page)-1]
		c.end = graph.EncodeCursor(last.Share, last.Asset.ID)
	}
	return c, nil
}

type findingConnectionResolver struct {
	nodes   []*findingResolver
	total   int
	hasNext bool
	end     string
}

func (c *findingConnectionResolver) Nodes() []*findingResolver { return nonNil(c.nodes) }
func (c *findingConnectionResolver) Edges() []*findingEdgeResolver {
	out := make([]*findingEdgeResolver, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = &findingEdgeResolver{node: n}
	}
	return out
}
func (c *findingConnectionResolver) PageInfo() *pageInfoResolver {
	return &pageInfoResolver{hasNext: c.hasNext, end: c.end}
}
func (c *findingConnectionResolver) TotalCount() int32 { return int32(c.total) }

type findingEdgeResolver struct{ node *findingResolver }

func (e *findingEdgeResolver) Node() *findingResolver { return e.node }
func (e *findingEdgeResolver) Cursor() string {
	return graph.EncodeCursor(e.node.f.Share, e.node.f.Asset.ID)
}

type findingResolver struct {
	f        analysis.OwnershipFinding
	asset    *entityResolver
	owners   []*ownershipResolver
	minShare float64
	combined bool
}

func (f *findingResolver) Asset() *entityResolver       { return f.asset }
func (f *findingResolver) Owners() []*ownershipResolver { return nonNil(f.owners) }
func (f *findingResolver) Share() float64               { return f.f.Share }
func (f *findingResolver) MeetsThreshold() bool         { return f.f.MeetsThreshold }
func (f *findingResolver) UnknownShares() bool          { return f.f.UnknownShares }
func (f *findingResolver) Statement() string            { return f.f.Statement(f.minShare, f.combined) }
