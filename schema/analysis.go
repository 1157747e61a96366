package schema

import (
	"context"
	"fmt"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
)

// The analysis fields load a snapshot from the store in one call and run
// graph/analysis over it; the entities they return are resolvers of one
// group each, so their nested fields load in one store call per field.

// snapshot validates the arguments shared by centrality, communities and
// brokers and loads the graph to analyse.
func (r *resolver) snapshot(ctx context.Context, field string, idArg *[]graphql.ID, depthArg graphql.NullInt, w graph.When) (graph.Subgraph, error) {
	return r.loadSnapshot(ctx, field, idArg, depthArg, w, false)
}

// loadSnapshot is snapshot, asking for only the graph's shape when
// topology is set (graph.SnapshotQuery.Topology): the entities returned
// are then fetched by id (entitiesOf).
func (r *resolver) loadSnapshot(ctx context.Context, field string, idArg *[]graphql.ID, depthArg graphql.NullInt, w graph.When, topology bool) (graph.Subgraph, error) {
	depth, err := intArg(field+": depth", depthArg, graph.DefaultAnalysisDepth, 0, graph.MaxDepth)
	if err != nil {
		return graph.Subgraph{}, err
	}
	q := graph.SnapshotQuery{Depth: depth, When: w, Topology: topology}
	if idArg != nil {
		q.IDs = ids(*idArg)
	}
	if err := q.Normalize(); err != nil {
		return graph.Subgraph{}, fail(ctx, r.log, err)
	}
	sg, err := r.store.Snapshot(ctx, q)
	if err != nil {
		return graph.Subgraph{}, fail(ctx, r.log, err)
	}
	return sg, nil
}

// pick returns the entities of sg with the given ids, in the order of ids;
// an id outside sg is an internal error (analysis only names what it was
// given).
func pick(sg graph.Subgraph, what string, ids []string) ([]graph.Entity, error) {
	byID := make(map[string]*graph.Entity, len(sg.Nodes))
	for i := range sg.Nodes {
		byID[sg.Nodes[i].ID] = &sg.Nodes[i]
	}
	out := make([]graph.Entity, len(ids))
	for i, id := range ids {
		e, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("%s: %q is outside the snapshot", what, id)
		}
		out[i] = *e
	}
	return out, nil
}

type centralityArgs struct {
	Metric string
	IDs    *[]graphql.ID
	Depth  graphql.NullInt
	Top    graphql.NullInt
	AsOf   *dateScalar
	During *dateRangeInput
}

func (r *resolver) Centrality(ctx context.Context, args centralityArgs) ([]*scoreResolver, error) {
	done, err := r.admitAnalysis(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	top, err := intArg("centrality: top", args.Top, graph.DefaultTop, 1, MaxTop)
	if err != nil {
		return nil, err
	}
	metric, err := analysis.ParseMetric(args.Metric)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	// Centrality reads only the shape of the graph: the whole graph's
	// entities and links are not decoded for it, only the top ones.
	sg, err := r.loadSnapshot(ctx, "centrality", args.IDs, args.Depth, whenOf(args.AsOf, args.During), true)
	if err != nil {
		return nil, err
	}
	scores, err := analysis.Centrality(ctx, sg, metric)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	scores = scores[:min(top, len(scores))]
	ranked := make([]string, len(scores))
	for i, s := range scores {
		ranked[i] = s.ID
	}
	es, err := r.store.Entities(ctx, ranked)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	// An entity deleted since the snapshot is left out with its score.
	if len(es) < len(scores) {
		kept := scores[:0]
		for i, k := 0, 0; i < len(scores) && k < len(es); i++ {
			if scores[i].ID == es[k].ID {
				kept = append(kept, scores[i])
				k++
			}
		}
		scores = kept
	}
	nodes := r.newEntities(requestOf(ctx), es)
	out := make([]*scoreResolver, len(scores))
	for i, s := range scores {
		out[i] = &scoreResolver{entity: nodes[i], score: s.Score}
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
	IDs    *[]graphql.ID
	Depth  graphql.NullInt
	AsOf   *dateScalar
	During *dateRangeInput
}

// defaultCommunitySeed seeds Louvain for the communities field, so that it
// answers the same as communityStructure's default.
const defaultCommunitySeed = 1

func (r *resolver) Communities(ctx context.Context, args communitiesArgs) ([]*communityResolver, error) {
	cs, err := r.communities(ctx, "communities", args.IDs, args.Depth, defaultCommunitySeed, whenOf(args.AsOf, args.During))
	if err != nil {
		return nil, err
	}
	return cs.communities, nil
}

type communityStructureArgs struct {
	IDs    *[]graphql.ID
	Depth  graphql.NullInt
	Seed   graphql.NullInt
	AsOf   *dateScalar
	During *dateRangeInput
}

func (r *resolver) CommunityStructure(ctx context.Context, args communityStructureArgs) (*communityStructureResolver, error) {
	seed := int64(defaultCommunitySeed)
	if args.Seed.Value != nil {
		seed = int64(*args.Seed.Value)
	}
	return r.communities(ctx, "communityStructure", args.IDs, args.Depth, seed, whenOf(args.AsOf, args.During))
}

func (r *resolver) communities(ctx context.Context, field string, idArg *[]graphql.ID, depth graphql.NullInt, seed int64, w graph.When) (*communityStructureResolver, error) {
	done, err := r.admitAnalysis(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	sg, err := r.snapshot(ctx, field, idArg, depth, w)
	if err != nil {
		return nil, err
	}
	cs, modularity, err := analysis.Communities(ctx, sg, seed)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	var members []string
	for _, c := range cs {
		members = append(members, c.Members...)
	}
	es, err := pick(sg, field, members)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	nodes := r.newEntities(requestOf(ctx), es)
	out := &communityStructureResolver{modularity: modularity, communities: make([]*communityResolver, len(cs))}
	for i, c := range cs {
		out.communities[i] = &communityResolver{id: c.ID, members: nodes[:len(c.Members)]}
		nodes = nodes[len(c.Members):]
	}
	return out, nil
}

type communityStructureResolver struct {
	communities []*communityResolver
	modularity  float64
}

func (c *communityStructureResolver) Communities() []*communityResolver { return c.communities }
func (c *communityStructureResolver) Modularity() float64               { return c.modularity }

type communityResolver struct {
	id      int
	members []*entityResolver
}

func (c *communityResolver) ID() int32                  { return int32(c.id) }
func (c *communityResolver) Members() []*entityResolver { return nonNil(c.members) }

type brokersArgs struct {
	IDs    *[]graphql.ID
	Depth  graphql.NullInt
	AsOf   *dateScalar
	During *dateRangeInput
}

func (r *resolver) Brokers(ctx context.Context, args brokersArgs) (*brokersResolver, error) {
	done, err := r.admitAnalysis(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	sg, err := r.snapshot(ctx, "brokers", args.IDs, args.Depth, whenOf(args.AsOf, args.During))
	if err != nil {
		return nil, err
	}
	b, err := analysis.FindBrokers(ctx, sg)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	// One group for the articulation points and the ends of the bridges, so
	// that the bridges' endpoints need no store call.
	ids := append([]string(nil), b.ArticulationPoints...)
	for _, l := range b.Bridges {
		ids = append(ids, l.Source, l.Target)
	}
	es, err := pick(sg, "brokers", ids)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	req := requestOf(ctx)
	nodes := r.newEntities(req, es)
	known := byID(nodes)
	return &brokersResolver{
		points:  nodes[:len(b.ArticulationPoints)],
		bridges: r.newLinks(req, b.Bridges, known),
	}, nil
}

type brokersResolver struct {
	points  []*entityResolver
	bridges []*linkResolver
}

func (b *brokersResolver) ArticulationPoints() []*entityResolver { return nonNil(b.points) }
func (b *brokersResolver) Bridges() []*linkResolver              { return nonNil(b.bridges) }

// byID indexes entity resolvers by id.
func byID(nodes []*entityResolver) map[string]*entityResolver {
	m := make(map[string]*entityResolver, len(nodes))
	for _, n := range nodes {
		m[n.e.ID] = n
	}
	return m
}

type exposureArgs struct {
	ID        graphql.ID
	MaxHops   graphql.NullInt
	LinkTypes *[]string
	AsOf      *dateScalar
	During    *dateRangeInput
}

func (r *resolver) SanctionsExposure(ctx context.Context, args exposureArgs) ([]*exposureResolver, error) {
	done, err := r.admitAnalysis(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	hops, err := intArg("sanctionsExposure: maxHops", args.MaxHops, graph.DefaultExposureHops, 1, graph.MaxHops)
	if err != nil {
		return nil, err
	}
	var types []graph.LinkType
	if args.LinkTypes != nil {
		types = linkTypes(*args.LinkTypes)
	}
	return r.exposureOf(ctx, string(args.ID), hops, types, whenOf(args.AsOf, args.During))
}

// exposureOf is sanctionsExposure of one entity.
func (r *resolver) exposureOf(ctx context.Context, id string, hops int, types []graph.LinkType, w graph.When) ([]*exposureResolver, error) {
	// One query on a store that finds the paths itself (Neo4j), else a
	// snapshot walked in Go.
	q := graph.ExposureQuery{ID: id, MaxHops: hops, LinkTypes: types, When: w, Select: exposureSelection(ctx)}
	exps, err := analysis.SanctionsExposureIn(ctx, r.store, q)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	req := requestOf(ctx)
	es := make([]graph.Entity, len(exps))
	paths := make([]graph.Path, len(exps))
	for i, x := range exps {
		es[i], paths[i] = x.Entity, x.Path
	}
	nodes := r.newEntities(req, es)
	prs := r.newPaths(req, paths)
	out := make([]*exposureResolver, len(exps))
	for i, x := range exps {
		out[i] = &exposureResolver{
			entity:      nodes[i],
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

// weightedPaths answers paths(weighted: true): the cheapest loopless paths
// by total link weight, over a snapshot around both ends. Every entity of a
// path of at most maxHops links is within maxHops/2 (rounded down) of one
// of its ends, so that snapshot holds every such path.
func (r *resolver) weightedPaths(ctx context.Context, q graph.PathQuery) ([]graph.Path, error) {
	sq := graph.SnapshotQuery{IDs: []string{q.From, q.To}, Depth: q.MaxHops / 2, LinkTypes: q.LinkTypes, When: q.When}
	if err := sq.Normalize(); err != nil {
		return nil, err
	}
	sg, err := r.store.Snapshot(ctx, sq)
	if err != nil {
		return nil, err
	}
	return analysis.WeightedPaths(ctx, sg, q.From, q.To, q.Limit, q.MaxHops)
}
