package schema

import (
	"context"
	"fmt"
	"math"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
)

// The disruption fields (disruption, keyPlayers, brokerage) run
// graph/analysis over one snapshot, like the other analysis fields.

type disruptionArgs struct {
	Remove []graphql.ID
	IDs    *[]graphql.ID
	Depth  graphql.NullInt
	AsOf   *dateScalar
}

func (r *resolver) Disruption(ctx context.Context, args disruptionArgs) (*disruptionResolver, error) {
	done, err := r.admitAnalysis(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	if len(args.Remove) > graph.MaxIDsPerQuery {
		return nil, newError(CodeTooComplex, fmt.Sprintf("disruption: at most %d entities to remove", graph.MaxIDsPerQuery))
	}
	w := whenOf(args.AsOf, nil)
	sg, err := r.snapshot(ctx, "disruption", args.IDs, args.Depth, w)
	if err != nil {
		return nil, err
	}
	d, err := analysis.Disrupt(ctx, sg, ids(args.Remove), w)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	// One entity group for everything the answer names, so that nested
	// fields cost one store call each.
	var want []string
	want = append(want, d.Isolated...)
	for _, x := range d.DesignatedReach {
		want = append(want, x.ID)
	}
	for _, l := range d.Severed {
		want = append(want, l.Source, l.Target)
	}
	es, err := pick(sg, "disruption", want)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	req := requestOf(ctx)
	nodes := r.newEntities(req, es)
	out := &disruptionResolver{
		before:   &summaryResolver{s: d.Before},
		after:    &summaryResolver{s: d.After},
		isolated: nodes[:len(d.Isolated)],
		severed:  r.newLinks(req, d.Severed, byID(nodes)),
	}
	nodes = nodes[len(d.Isolated):]
	for i, x := range d.DesignatedReach {
		out.reach = append(out.reach, &reachResolver{entity: nodes[i], before: x.Before, after: x.After})
	}
	return out, nil
}

type disruptionResolver struct {
	before, after *summaryResolver
	severed       []*linkResolver
	isolated      []*entityResolver
	reach         []*reachResolver
}

func (d *disruptionResolver) Before() *summaryResolver          { return d.before }
func (d *disruptionResolver) After() *summaryResolver           { return d.after }
func (d *disruptionResolver) Severed() []*linkResolver          { return nonNil(d.severed) }
func (d *disruptionResolver) Isolated() []*entityResolver       { return nonNil(d.isolated) }
func (d *disruptionResolver) DesignatedReach() []*reachResolver { return nonNil(d.reach) }

type summaryResolver struct{ s analysis.NetworkSummary }

func (s *summaryResolver) Entities() int32           { return int32(s.s.Entities) }
func (s *summaryResolver) Links() int32              { return int32(s.s.Links) }
func (s *summaryResolver) Components() int32         { return int32(s.s.Components) }
func (s *summaryResolver) LargestComponent() int32   { return int32(s.s.LargestComponent) }
func (s *summaryResolver) Fragmentation() float64    { return s.s.Fragmentation }
func (s *summaryResolver) GlobalEfficiency() float64 { return s.s.GlobalEfficiency }

type reachResolver struct {
	entity        *entityResolver
	before, after int
}

func (x *reachResolver) Entity() *entityResolver { return x.entity }
func (x *reachResolver) Before() int32           { return int32(x.before) }
func (x *reachResolver) After() int32            { return int32(x.after) }

type keyPlayersArgs struct {
	K          int32
	IDs        *[]graphql.ID
	Depth      graphql.NullInt
	AsOf       *dateScalar
	Candidates *[]graphql.ID
}

func (r *resolver) KeyPlayers(ctx context.Context, args keyPlayersArgs) (*keyPlayersResolver, error) {
	done, err := r.admitAnalysis(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	k := int(args.K)
	if k < 1 {
		return nil, newError(CodeBadUserInput, "keyPlayers: k must be at least 1")
	}
	if k > analysis.MaxKeyPlayers {
		return nil, newError(CodeTooComplex, fmt.Sprintf("keyPlayers: k must be at most %d", analysis.MaxKeyPlayers))
	}
	var cand []string
	if args.Candidates != nil {
		if len(*args.Candidates) > graph.MaxIDsPerQuery {
			return nil, newError(CodeTooComplex, fmt.Sprintf("keyPlayers: at most %d candidates", graph.MaxIDsPerQuery))
		}
		cand = ids(*args.Candidates)
	}
	sg, err := r.snapshot(ctx, "keyPlayers", args.IDs, args.Depth, whenOf(args.AsOf, nil))
	if err != nil {
		return nil, err
	}
	kp, err := analysis.KeyPlayers(ctx, sg, k, cand)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	es, err := pick(sg, "keyPlayers", kp.IDs)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return &keyPlayersResolver{kp: kp, entities: r.newEntities(requestOf(ctx), es)}, nil
}

type keyPlayersResolver struct {
	kp       analysis.KeyPlayerSet
	entities []*entityResolver
}

func (k *keyPlayersResolver) Entities() []*entityResolver { return nonNil(k.entities) }
func (k *keyPlayersResolver) Fragmentation() float64      { return k.kp.Fragmentation }
func (k *keyPlayersResolver) Steps() []float64            { return nonNil(k.kp.Steps) }
func (k *keyPlayersResolver) Exact() bool                 { return k.kp.Exact }

type brokerageArgs struct {
	IDs     *[]graphql.ID
	Depth   graphql.NullInt
	GroupBy nullBrokerageGroup
	AsOf    *dateScalar
}

func (r *resolver) Brokerage(ctx context.Context, args brokerageArgs) ([]*brokerageResolver, error) {
	done, err := r.admitAnalysis(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	by := analysis.GroupBy(args.GroupBy.or(string(analysis.ByCommunity)))
	sg, err := r.snapshot(ctx, "brokerage", args.IDs, args.Depth, whenOf(args.AsOf, nil))
	if err != nil {
		return nil, err
	}
	scores, err := analysis.Brokerage(ctx, sg, by, defaultCommunitySeed)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	brokers := make([]string, len(scores))
	for i, s := range scores {
		brokers[i] = s.ID
		// GraphQL's Int is 32 bits: a count beyond it is refused, not wrapped.
		for _, c := range []int64{s.Coordinator, s.Itinerant, s.Gatekeeper, s.Representative, s.Liaison} {
			if c > math.MaxInt32 {
				return nil, newError(CodeTooComplex, fmt.Sprintf("brokerage: %s brokers more pairs than an Int holds", s.ID))
			}
		}
	}
	es, err := pick(sg, "brokerage", brokers)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	nodes := r.newEntities(requestOf(ctx), es)
	out := make([]*brokerageResolver, len(scores))
	for i, s := range scores {
		out[i] = &brokerageResolver{entity: nodes[i], s: s}
	}
	return out, nil
}

type brokerageResolver struct {
	entity *entityResolver
	s      analysis.BrokerageScore
}

func (b *brokerageResolver) Entity() *entityResolver { return b.entity }
func (b *brokerageResolver) Coordinator() int32      { return int32(b.s.Coordinator) }
func (b *brokerageResolver) Itinerant() int32        { return int32(b.s.Itinerant) }
func (b *brokerageResolver) Gatekeeper() int32       { return int32(b.s.Gatekeeper) }
func (b *brokerageResolver) Representative() int32   { return int32(b.s.Representative) }
func (b *brokerageResolver) Liaison() int32          { return int32(b.s.Liaison) }
