package schema

import (
	"context"
	"fmt"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
)

// dateScalar is the Date scalar as input. It takes any string: the
// queries' Normalize checks it (graph.ParseDate), so a bad date is
// BAD_USER_INPUT naming the value, like every other bad argument.
type dateScalar string

func (dateScalar) ImplementsGraphQLType(name string) bool { return name == "Date" }

func (d *dateScalar) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("a Date is a string (YYYY, YYYY-MM or YYYY-MM-DD), got %T", input)
	}
	*d = dateScalar(s)
	return nil
}

// dateRangeInput is the DateRange input.
type dateRangeInput struct {
	From *dateScalar
	To   *dateScalar
}

// whenArgs are the asOf and during arguments.
type whenArgs struct {
	AsOf   *dateScalar
	During *dateRangeInput
}

func (a whenArgs) when() graph.When { return whenOf(a.AsOf, a.During) }

// asOfArgs is the asOf argument alone.
type asOfArgs struct{ AsOf *dateScalar }

func (a asOfArgs) when() graph.When { return whenOf(a.AsOf, nil) }

func whenOf(asOf *dateScalar, during *dateRangeInput) graph.When {
	var w graph.When
	if asOf != nil {
		w.AsOf = string(*asOf)
	}
	if during != nil {
		if during.From != nil {
			w.During.From = string(*during.From)
		}
		if during.To != nil {
			w.During.To = string(*during.To)
		}
	}
	return w
}

type timelineArgs struct {
	IDs    []graphql.ID
	Depth  graphql.NullInt
	During *dateRangeInput
	First  graphql.NullInt
	After  *string
}

// Timeline lists the dated events around ids: a snapshot of the
// neighbourhood (with the window), then analysis.Events over it.
func (r *resolver) Timeline(ctx context.Context, args timelineArgs) (*timelineResolver, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return nil, err
	}
	depth, err := intArg("timeline: depth", args.Depth, graph.DefaultTimelineDepth, 0, graph.MaxDepth)
	if err != nil {
		return nil, err
	}
	first, err := intArg("timeline: first", args.First, graph.DefaultTimelineFirst, 1, graph.MaxTimelineFirst)
	if err != nil {
		return nil, err
	}
	if len(args.IDs) == 0 {
		return nil, newError(CodeBadUserInput, "timeline: ids must not be empty")
	}
	q := graph.SnapshotQuery{IDs: ids(args.IDs), Depth: depth, When: whenOf(nil, args.During)}
	if err := q.Normalize(); err != nil {
		return nil, fail(ctx, r.log, fmt.Errorf("timeline: %w", err))
	}
	sg, err := r.store.Snapshot(ctx, q)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	events := analysis.Events(sg, q.When)
	after := ""
	if args.After != nil {
		after = *args.After
	}
	page, more, err := analysis.Page(events, first, after)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return r.newTimeline(ctx, requestOf(ctx), events, page, more)
}

type timelineResolver struct {
	all    []analysis.Event
	events []*timelineEventResolver
	more   bool
}

// newTimeline makes the page's event resolvers: one entity group for the
// entities they name (link ends included) and one link group.
func (r *resolver) newTimeline(ctx context.Context, req *request, all, page []analysis.Event, more bool) (*timelineResolver, error) {
	var es []graph.Entity
	var ls []graph.Link
	for _, e := range page {
		if e.Entity != nil {
			es = append(es, *e.Entity)
		}
		if e.Link != nil {
			ls = append(ls, *e.Link)
		}
	}
	known := byID(r.newEntities(req, es))
	lrs, err := r.newLinksLoading(ctx, req, ls, known, "events.link.")
	if err != nil {
		return nil, err
	}
	links := map[string]*linkResolver{}
	for _, lr := range lrs {
		links[lr.l.ID] = lr
	}
	out := &timelineResolver{all: all, more: more}
	for _, e := range page {
		ev := &timelineEventResolver{e: e, r: r, req: req}
		if e.Entity != nil {
			ev.entity = known[e.Entity.ID]
		}
		if e.Link != nil {
			ev.link = links[e.Link.ID]
		}
		out.events = append(out.events, ev)
	}
	return out, nil
}

func (t *timelineResolver) Events() []*timelineEventResolver { return nonNil(t.events) }
func (t *timelineResolver) TotalCount() int32                { return int32(len(t.all)) }
func (t *timelineResolver) PageInfo() *pageInfoResolver {
	end := ""
	if n := len(t.events); n > 0 {
		end = t.events[n-1].Cursor()
	}
	return &pageInfoResolver{hasNext: t.more, end: end}
}

func (t *timelineResolver) Histogram(args struct{ By nullPeriod }) ([]*bucketResolver, error) {
	bs, err := analysis.Histogram(t.all, analysis.Period(args.By.or(string(analysis.PeriodMonth))))
	if err != nil {
		return nil, newError(CodeBadUserInput, err.Error())
	}
	out := make([]*bucketResolver, len(bs))
	for i, b := range bs {
		out[i] = &bucketResolver{b}
	}
	return out, nil
}

type bucketResolver struct{ b analysis.Bucket }

func (b *bucketResolver) Start() string { return b.b.Start }
func (b *bucketResolver) Count() int32  { return int32(b.b.Count) }

type timelineEventResolver struct {
	e      analysis.Event
	r      *resolver
	req    *request
	entity *entityResolver
	link   *linkResolver
}

func (t *timelineEventResolver) Date() string            { return t.e.Date.Text }
func (t *timelineEventResolver) Kind() string            { return string(t.e.Kind) }
func (t *timelineEventResolver) Cursor() string          { return t.e.Cursor() }
func (t *timelineEventResolver) Entity() *entityResolver { return t.entity }
func (t *timelineEventResolver) Link() *linkResolver     { return t.link }
func (t *timelineEventResolver) Designation() *designationResolver {
	if t.e.Designation == nil {
		return nil
	}
	return &designationResolver{d: *t.e.Designation, r: t.r, req: t.req}
}
func (t *timelineEventResolver) Sources() []*sourceRefResolver {
	return t.r.sources(t.req, t.e.Sources())
}
