package schema

import (
	"context"
	"time"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
)

type matchQueryInput struct {
	Key         *string
	Kind        *string
	Names       []string
	BirthDate   *dateScalar
	Countries   *[]string
	Identifiers *[]string
}

func (in *matchQueryInput) query() graph.MatchQuery {
	q := graph.MatchQuery{Key: deref(in.Key), Kind: graph.Kind(deref(in.Kind)), Names: in.Names,
		Countries: deref(in.Countries), Identifiers: deref(in.Identifiers)}
	if in.BirthDate != nil {
		q.BirthDate = string(*in.BirthDate)
	}
	return q
}

func (r *resolver) Match(ctx context.Context, args struct {
	Queries   []matchQueryInput
	Threshold graphql.NullFloat
	Limit     graphql.NullInt
}) ([]*matchResultResolver, error) {
	done, err := r.admitAnalysis(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	qs := make([]graph.MatchQuery, len(args.Queries))
	for i := range args.Queries {
		qs[i] = args.Queries[i].query()
	}
	threshold, err := thresholdArg("match", args.Threshold)
	if err != nil {
		return nil, err
	}
	o := graph.MatchOptions{Threshold: threshold}
	if args.Limit.Value != nil {
		o.Limit = int(*args.Limit.Value)
		if o.Limit < 1 {
			return nil, newError(CodeBadUserInput, "match: limit must be at least 1")
		}
	}
	res, err := graph.Match(ctx, r.store, qs, o)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	req := requestOf(ctx)
	out := make([]*matchResultResolver, len(res))
	for i, mr := range res {
		es := make([]graph.Entity, len(mr.Candidates))
		for k, c := range mr.Candidates {
			es[k] = c.Entity
		}
		nodes := r.newEntities(req, es)
		rr := &matchResultResolver{key: mr.Key, candidates: make([]*matchCandidateResolver, len(mr.Candidates))}
		for k, c := range mr.Candidates {
			rr.candidates[k] = &matchCandidateResolver{c: c, entity: nodes[k], r: r}
		}
		out[i] = rr
	}
	return out, nil
}

type matchResultResolver struct {
	key        string
	candidates []*matchCandidateResolver
}

func (m *matchResultResolver) Key() *string {
	if m.key == "" {
		return nil
	}
	return &m.key
}
func (m *matchResultResolver) Candidates() []*matchCandidateResolver { return nonNil(m.candidates) }

type matchCandidateResolver struct {
	c      graph.MatchCandidate
	entity *entityResolver
	r      *resolver
}

func (c *matchCandidateResolver) Entity() *entityResolver { return c.entity }
func (c *matchCandidateResolver) Score() float64          { return c.c.Score }
func (c *matchCandidateResolver) Match() bool             { return c.c.Match }
func (c *matchCandidateResolver) Features() []*featureResolver {
	return features(c.c.Features)
}
func (c *matchCandidateResolver) Exposure(ctx context.Context) ([]*exposureResolver, error) {
	return c.r.exposureOf(ctx, c.c.Entity.ID, graph.DefaultExposureHops, nil, graph.When{})
}

func features(fs []graph.MatchFeature) []*featureResolver {
	out := make([]*featureResolver, len(fs))
	for i := range fs {
		out[i] = &featureResolver{fs[i]}
	}
	return out
}

type featureResolver struct{ f graph.MatchFeature }

func (f *featureResolver) Name() string   { return f.f.Name }
func (f *featureResolver) Score() float64 { return f.f.Score }
func (f *featureResolver) Detail() string { return f.f.Detail }

func (r *resolver) judgementStore() (graph.Records, error) {
	if r.records == nil {
		return nil, newError(CodeUnavailable, "this server's store keeps no judgements")
	}
	return r.records, nil
}

func (r *resolver) Xref(ctx context.Context, args struct {
	IDs       *[]graphql.ID
	Threshold graphql.NullFloat
	First     graphql.NullInt
	After     *string
}) (*xrefConnection, error) {
	done, err := r.admitAnalysis(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	recs, err := r.judgementStore()
	if err != nil {
		return nil, err
	}
	first, err := intArg("xref: first", args.First, graph.DefaultXrefFirst, 1, graph.MaxXrefFirst)
	if err != nil {
		return nil, err
	}
	threshold, err := thresholdArg("xref", args.Threshold)
	if err != nil {
		return nil, err
	}
	q := graph.XrefQuery{Threshold: threshold, First: first, After: deref(args.After)}
	if args.IDs != nil {
		q.IDs = idStrings(*args.IDs)
		if len(q.IDs) == 0 {
			return nil, newError(CodeBadUserInput, "xref: give at least one id, or leave ids out for the whole graph")
		}
	}
	page, err := graph.Xref(ctx, r.store, recs, q)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	req := requestOf(ctx)
	es := make([]graph.Entity, 0, 2*len(page.Pairs))
	for _, p := range page.Pairs {
		es = append(es, p.A, p.B)
	}
	nodes := r.newEntities(req, es)
	out := &xrefConnection{page: page}
	for i, p := range page.Pairs {
		out.nodes = append(out.nodes, &xrefPairResolver{p: p, a: nodes[2*i], b: nodes[2*i+1]})
	}
	return out, nil
}

func idStrings(ids []graphql.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

type xrefConnection struct {
	page  graph.XrefPage
	nodes []*xrefPairResolver
}

func (c *xrefConnection) Nodes() []*xrefPairResolver { return nonNil(c.nodes) }
func (c *xrefConnection) Edges() []*xrefEdge {
	out := make([]*xrefEdge, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = &xrefEdge{n}
	}
	return out
}
func (c *xrefConnection) PageInfo() *pageInfoResolver {
	p := &pageInfoResolver{hasNext: c.page.HasNextPage}
	if n := len(c.page.Pairs); n > 0 {
		p.end = c.page.Pairs[n-1].Cursor
	}
	return p
}
func (c *xrefConnection) TotalCount() int32 { return int32(c.page.Total) }

type xrefEdge struct{ n *xrefPairResolver }

func (e *xrefEdge) Node() *xrefPairResolver { return e.n }
func (e *xrefEdge) Cursor() string          { return e.n.p.Cursor }

type xrefPairResolver struct {
	p    graph.XrefPair
	a, b *entityResolver
}

func (p *xrefPairResolver) A() *entityResolver           { return p.a }
func (p *xrefPairResolver) B() *entityResolver           { return p.b }
func (p *xrefPairResolver) Score() float64               { return p.p.Score }
func (p *xrefPairResolver) Features() []*featureResolver { return features(p.p.Features) }
func (p *xrefPairResolver) Verdict() *string {
	if p.p.Verdict == "" {
		return nil
	}
	v := string(p.p.Verdict)
	return &v
}

func (r *resolver) Judge(ctx context.Context, args struct {
	A, B    graphql.ID
	Verdict string
}) (*judgementResolver, error) {
	if err := r.allow(ctx, ActionWrite); err != nil {
		return nil, err
	}
	recs, err := r.judgementStore()
	if err != nil {
		return nil, err
	}
	j, err := graph.Judge(ctx, r.store, recs, string(args.A), string(args.B), graph.Verdict(args.Verdict), r.principal(ctx).ID, time.Now())
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	out, err := r.judgementResolvers(ctx, []graph.Judgement{j})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

func (r *resolver) Judgements(ctx context.Context, args struct {
	First graphql.NullInt
	After *string
}) (*judgementConnection, error) {
	if err := r.allow(ctx, ActionAnalyze); err != nil {
		return nil, err
	}
	recs, err := r.judgementStore()
	if err != nil {
		return nil, err
	}
	first, err := intArg("judgements: first", args.First, graph.DefaultJudgementFirst, 1, graph.MaxJudgementFirst)
	if err != nil {
		return nil, err
	}
	js, page, err := graph.Judgements(ctx, recs, first, deref(args.After))
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	nodes, err := r.judgementResolvers(ctx, js)
	if err != nil {
		return nil, err
	}
	c := &judgementConnection{nodes: nodes, page: page}
	for _, rec := range page.Records {
		c.cursors = append(c.cursors, rec.ID)
	}
	return c, nil
}

// judgementResolvers shows each judgement's entities as they are now,
// or as they were judged when they are gone.
func (r *resolver) judgementResolvers(ctx context.Context, js []graph.Judgement) ([]*judgementResolver, error) {
	var ids []string
	for _, j := range js {
		ids = append(ids, j.A.ID, j.B.ID)
	}
	live := map[string]graph.Entity{}
	for start := 0; start < len(ids); start += graph.MaxIDsPerQuery {
		es, err := r.store.Entities(ctx, ids[start:min(start+graph.MaxIDsPerQuery, len(ids))])
		if err != nil {
			return nil, fail(ctx, r.log, err)
		}
		for _, e := range es {
			live[e.ID] = e
		}
	}
	es := make([]graph.Entity, 0, len(ids))
	for _, j := range js {
		for _, e := range []graph.Entity{j.A, j.B} {
			if now, ok := live[e.ID]; ok {
				e = now
			}
			es = append(es, e)
		}
	}
	nodes := r.newEntities(requestOf(ctx), es)
	out := make([]*judgementResolver, len(js))
	for i, j := range js {
		out[i] = &judgementResolver{j: j, a: nodes[2*i], b: nodes[2*i+1]}
	}
	return out, nil
}

type judgementResolver struct {
	j    graph.Judgement
	a, b *entityResolver
}

func (j *judgementResolver) A() *entityResolver { return j.a }
func (j *judgementResolver) B() *entityResolver { return j.b }
func (j *judgementResolver) Verdict() string    { return string(j.j.Verdict) }
func (j *judgementResolver) Actor() string      { return j.j.Actor }
func (j *judgementResolver) At() string         { return j.j.At.Format(time.RFC3339) }

type judgementConnection struct {
	nodes   []*judgementResolver
	cursors []string
	page    graph.RecordPage
}

func (c *judgementConnection) Nodes() []*judgementResolver { return nonNil(c.nodes) }
func (c *judgementConnection) Edges() []*judgementEdge {
	out := make([]*judgementEdge, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = &judgementEdge{n, c.cursors[i]}
	}
	return out
}
func (c *judgementConnection) PageInfo() *pageInfoResolver {
	p := &pageInfoResolver{hasNext: c.page.HasNextPage}
	if n := len(c.cursors); n > 0 {
		p.end = c.cursors[n-1]
	}
	return p
}
func (c *judgementConnection) TotalCount() int32 { return int32(c.page.Total) }

type judgementEdge struct {
	n      *judgementResolver
	cursor string
}

func (e *judgementEdge) Node() *judgementResolver { return e.n }
func (e *judgementEdge) Cursor() string           { return e.cursor }

// thresholdArg is a threshold argument: the default when absent or null (a
// declared variable the request leaves out arrives as null, not as the
// argument's default).
func thresholdArg(field string, v graphql.NullFloat) (float64, error) {
	if v.Value == nil {
		return graph.DefaultMatchThreshold, nil
	}
	if t := *v.Value; !(t > 0 && t <= 1) {
		return 0, newError(CodeBadUserInput, field+": threshold must be above 0 and at most 1")
	}
	return *v.Value, nil
}
