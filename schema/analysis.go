package schema

import (
	"context"
	"fmt"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
)

// Analysis computes link analysis over a snapshot of the graph (links taken
// as an undirected simple graph). cmd/skein adapts graph/analysis to it.
type Analysis interface {
	// Centrality scores every node of g by metric (DEGREE, BETWEENNESS,
	// CLOSENESS, PAGERANK or EIGENVECTOR), best first.
	Centrality(ctx context.Context, g graph.Subgraph, metric string) ([]Score, error)
	// Communities partitions the nodes of g.
	Communities(ctx context.Context, g graph.Subgraph) ([]Community, error)
	// SanctionsExposure lists the designated entities of g within maxHops
	// of from, each with a shortest path to it.
	SanctionsExposure(ctx context.Context, g graph.Subgraph, from string, maxHops int) ([]Exposure, error)
}

// Score is an entity's centrality.
type Score struct {
	ID    string
	Score float64
}

// Community is a set of entities.
type Community struct {
	ID      int
	Members []string
}

// Exposure is a designated entity reachable from another, with the path.
type Exposure struct {
	ID          string
	Designation graph.Designation
	Path        graph.Path
}

func errNoAnalysis() error {
	return newError(CodeUnavailable, "link analysis is not wired yet: centrality, communities and sanctionsExposure are unavailable")
}

// snapshot validates the arguments shared by centrality and communities and
// loads the graph to analyse.
func (r *resolver) snapshot(ctx context.Context, field string, idArg *[]graphql.ID, depthArg graphql.NullInt) (graph.Subgraph, error) {
	depth, err := intArg(field+": depth", depthArg, 2, 0, graph.MaxDepth)
	if err != nil {
		return graph.Subgraph{}, err
	}
	q := graph.SnapshotQuery{Depth: depth}
	if idArg != nil {
		q.IDs = ids(*idArg)
	}
	if err := q.Normalize(); err != nil {
		return graph.Subgraph{}, fail(ctx, r.log, err)
	}
	if r.analysis == nil {
		return graph.Subgraph{}, errNoAnalysis()
	}
	sg, err := r.store.Snapshot(ctx, q)
	if err != nil {
		return graph.Subgraph{}, fail(ctx, r.log, err)
	}
	return sg, nil
}

// byID indexes the resolvers of a snapshot's nodes.
func byID(nodes []*entityResolver) map[string]*entityResolver {
	m := make(map[string]*entityResolver, len(nodes))
	for _, n := range nodes {
		m[n.e.ID] = n
	}
	return m
}

type centralityArgs struct {
	Metric string
	IDs    *[]graphql.ID
	Depth  graphql.NullInt
	Top    graphql.NullInt
}

func (r *resolver) Centrality(ctx context.Context, args centralityArgs) ([]*scoreResolver, error) {
	if err := r.allow(ctx, ActionAnalyze); err != nil {
		return nil, err
	}
	top, err := intArg("centrality: top", args.Top, 20, 1, MaxTop)
	if err != nil {
		return nil, err
	}
	sg, err := r.snapshot(ctx, "centrality", args.IDs, args.Depth)
	if err != nil {
		return nil, err
	}
	scores, err := r.analysis.Centrality(ctx, sg, args.Metric)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	nodes := byID(r.newEntities(requestOf(ctx), sg.Nodes))
	out := make([]*scoreResolver, 0, min(top, len(scores)))
	for _, s := range scores[:min(top, len(scores))] {
		n, ok := nodes[s.ID]
		if !ok {
			return nil, fail(ctx, r.log, fmt.Errorf("centrality scored %q outside the snapshot", s.ID))
		}
		out = append(out, &scoreResolver{entity: n, score: s.Score})
	}
	return out, nil
}

type scoreResolver struct {
	entity *entityResolver
	score  float64
}

func (s *scoreResolver) Entity() *entityResolver { return s.entity }
func (s *scoreResolver) Score() float64          { return s.score }

type communitiesArgs struct {
	IDs   *[]graphql.ID
	Depth graphql.NullInt
}

func (r *resolver) Communities(ctx context.Context, args communitiesArgs) ([]*communityResolver, error) {
	if err := r.allow(ctx, ActionAnalyze); err != nil {
		return nil, err
	}
	sg, err := r.snapshot(ctx, "communities", args.IDs, args.Depth)
	if err != nil {
		return nil, err
	}
	cs, err := r.analysis.Communities(ctx, sg)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	nodes := byID(r.newEntities(requestOf(ctx), sg.Nodes))
	out := make([]*communityResolver, len(cs))
	for i, c := range cs {
		cr := &communityResolver{id: c.ID}
		for _, id := range c.Members {
			n, ok := nodes[id]
			if !ok {
				return nil, fail(ctx, r.log, fmt.Errorf("community member %q outside the snapshot", id))
			}
			cr.members = append(cr.members, n)
		}
		out[i] = cr
	}
	return out, nil
}

type communityResolver struct {
	id      int
	members []*entityResolver
}

func (c *communityResolver) ID() int32                  { return int32(c.id) }
func (c *communityResolver) Members() []*entityResolver { return nonNil(c.members) }

type exposureArgs struct {
	ID      graphql.ID
	MaxHops graphql.NullInt
}

func (r *resolver) SanctionsExposure(ctx context.Context, args exposureArgs) ([]*exposureResolver, error) {
	if err := r.allow(ctx, ActionAnalyze); err != nil {
		return nil, err
	}
	hops, err := intArg("sanctionsExposure: maxHops", args.MaxHops, 3, 1, graph.MaxHops)
	if err != nil {
		return nil, err
	}
	if err := graph.ValidateID(string(args.ID)); err != nil {
		return nil, fail(ctx, r.log, err)
	}
	if r.analysis == nil {
		return nil, errNoAnalysis()
	}
	sg, err := r.store.Snapshot(ctx, graph.SnapshotQuery{IDs: []string{string(args.ID)}, Depth: hops})
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	exps, err := r.analysis.SanctionsExposure(ctx, sg, string(args.ID), hops)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	req := requestOf(ctx)
	nodes := byID(r.newEntities(req, sg.Nodes))
	var paths []graph.Path
	for _, x := range exps {
		paths = append(paths, x.Path)
	}
	prs := r.newPaths(req, paths)
	out := make([]*exposureResolver, len(exps))
	for i, x := range exps {
		n, ok := nodes[x.ID]
		if !ok {
			return nil, fail(ctx, r.log, fmt.Errorf("exposure to %q outside the snapshot", x.ID))
		}
		out[i] = &exposureResolver{
			entity:      n,
			designation: &designationResolver{d: x.Designation, r: r, req: req},
			path:        prs[i],
		}
	}
	return out, nil
}

type exposureResolver struct {
	entity      *entityResolver
	designation *designationResolver
	path        *pathResolver
}

func (x *exposureResolver) Entity() *entityResolver           { return x.entity }
func (x *exposureResolver) Designation() *designationResolver { return x.designation }
func (x *exposureResolver) Path() *pathResolver               { return x.path }
