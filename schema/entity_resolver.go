package schema

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
)

// entityResolver resolves the Entity interface and its object types.
// ID and Kind are plain fields (graphql.UseFieldResolvers), which
// graphql-go reads without the reflective call a method costs: they are
// most of what a large answer selects.
type entityResolver struct {
	ID   plainID `graphql:"id"`
	Kind string  `graphql:"kind"`
	e    graph.Entity
	g    *entityGroup
}

// Texts are charged to the response budget (budget.go) as they are
// returned: they are what can make a response large.
func (r *entityResolver) Name() string { r.g.req.chargeText(r.e.Name); return r.e.Name }
func (r *entityResolver) Aliases() []string {
	r.g.req.chargeText(r.e.Aliases...)
	return nonNil(r.e.Aliases)
}
func (r *entityResolver) Countries() []string {
	r.g.req.chargeText(r.e.Countries...)
	return nonNil(r.e.Countries)
}
func (r *entityResolver) Description() *string {
	r.g.req.chargeText(r.e.Description)
	return optional(r.e.Description)
}
func (r *entityResolver) Sanctioned(ctx context.Context, args asOfArgs) (bool, error) {
	w := args.when()
	if err := w.Check("sanctioned"); err != nil {
		return false, fail(ctx, r.g.r.log, err)
	}
	return r.e.SanctionedUnder(w), nil
}

func (r *entityResolver) Properties() []*propertyResolver {
	return properties(r.g.req, r.e.Properties)
}

func (r *entityResolver) Sources() []*sourceRefResolver {
	return r.g.r.sources(r.g.req, r.e.Sources)
}

func (r *entityResolver) Designations(ctx context.Context, args asOfArgs) ([]*designationResolver, error) {
	w := args.when()
	if err := w.Check("designations"); err != nil {
		return nil, fail(ctx, r.g.r.log, err)
	}
	ds := graph.InForce(r.e.Designations, w)
	out := make([]*designationResolver, len(ds))
	for i, d := range ds {
		out[i] = &designationResolver{d: d, r: r.g.r, req: r.g.req}
	}
	return out, nil
}

type linksArgs struct {
	Types     *[]string
	Direction nullDirection
	First     graphql.NullInt
	AsOf      *dateScalar
	During    *dateRangeInput
}

func (r *entityResolver) Links(ctx context.Context, args linksArgs) ([]*linkResolver, error) {
	var types []graph.LinkType
	if args.Types != nil {
		types = linkTypes(*args.Types)
	}
	dir := graph.Direction(args.Direction.or(string(graph.DirectionBoth)))
	page := graph.LinksPage{}
	if args.First.Value != nil {
		if page.First = int(*args.First.Value); page.First < 1 {
			return nil, newError(CodeBadUserInput, "links: first must be at least 1")
		}
	}
	if err := page.Normalize(); err != nil {
		return nil, fail(ctx, r.g.r.log, err)
	}
	ls, err := r.g.linksOf(ctx, r.e.ID, types, dir, whenOf(args.AsOf, args.During))
	if err != nil {
		return nil, err
	}
	return nonNil(ls)[:min(len(ls), page.First)], nil
}

func (r *entityResolver) Degree(ctx context.Context, args whenArgs) (int32, error) {
	d, err := r.g.degree(ctx, r.e.ID, args.when())
	return int32(d), err
}

type propertyResolver struct{ key, value string }

func (p *propertyResolver) Key() string   { return p.key }
func (p *propertyResolver) Value() string { return p.value }

// properties lists a property map ordered by key.
func properties(req *request, m map[string]string) []*propertyResolver {
	keys := slices.Sorted(maps.Keys(m))
	out := make([]*propertyResolver, len(keys))
	for i, k := range keys {
		req.chargeText(k, m[k])
		out[i] = &propertyResolver{key: k, value: m[k]}
	}
	return out
}

type sourceRefResolver struct {
	s   graph.SourceRef
	r   *resolver
	req *request
}

func (r *resolver) sources(req *request, refs []graph.SourceRef) []*sourceRefResolver {
	out := make([]*sourceRefResolver, len(refs))
	for i, s := range refs {
		out[i] = &sourceRefResolver{s: s, r: r, req: req}
	}
	return out
}

func (s *sourceRefResolver) DocumentID() graphql.ID { return graphql.ID(s.s.Document) }
func (s *sourceRefResolver) Quote() string          { s.req.chargeText(s.s.Quote); return s.s.Quote }
func (s *sourceRefResolver) Document(ctx context.Context) (*documentResolver, error) {
	d, err := s.r.document(ctx, s.req, s.s.Document)
	if err != nil || d == nil {
		return nil, err
	}
	return &documentResolver{d: *d}, nil
}

type designationResolver struct {
	d   graph.Designation
	r   *resolver
	req *request
}

func (d *designationResolver) Regime() string    { return d.d.Regime }
func (d *designationResolver) Authority() string { return d.d.Authority }
func (d *designationResolver) ListedOn() *string { return optional(d.d.ListedOn) }
func (d *designationResolver) DelistedOn() *string {
	return optional(d.d.DelistedOn)
}
func (d *designationResolver) Measures() []string { return nonNil(d.d.Measures) }
func (d *designationResolver) Reason() *string {
	d.req.chargeText(d.d.Reason)
	return optional(d.d.Reason)
}
func (d *designationResolver) Sources() []*sourceRefResolver {
	return d.r.sources(d.req, d.d.Sources)
}
func (d *designationResolver) ID() *string { return optional(d.d.ID) }
func (d *designationResolver) Properties() []*propertyResolver {
	return properties(d.req, d.d.Properties)
}

type documentResolver struct{ d graph.Document }

func (d *documentResolver) ID() graphql.ID     { return graphql.ID(d.d.ID) }
func (d *documentResolver) Title() string      { return d.d.Title }
func (d *documentResolver) Publisher() *string { return optional(d.d.Publisher) }
func (d *documentResolver) URL() *string       { return optional(d.d.URL) }
func (d *documentResolver) Published() *string { return optional(d.d.Published) }
func (d *documentResolver) License() *string   { return optional(d.d.License) }
func (d *documentResolver) Path() *string      { return optional(d.d.Path) }

// linkResolver resolves Link. As for entityResolver, the fields most
// selected are plain fields; Source and Target are set by newLinks (nil
// when the selection does not ask for an endpoint the caller lacked).
type linkResolver struct {
	ID     plainID         `graphql:"id"`
	Type   string          `graphql:"type"`
	Source *entityResolver `graphql:"source"`
	Target *entityResolver `graphql:"target"`
	l      graph.Link
	g      *linkGroup
}

func (r *linkResolver) Role() *string { return optional(r.l.Role) }
func (r *linkResolver) Description() *string {
	r.g.req.chargeText(r.l.Description)
	return optional(r.l.Description)
}
func (r *linkResolver) StartDate() *string { return optional(r.l.StartDate) }
func (r *linkResolver) EndDate() *string   { return optional(r.l.EndDate) }
func (r *linkResolver) Properties() []*propertyResolver {
	return properties(r.g.req, r.l.Properties)
}
func (r *linkResolver) Weight() *float64 {
	if r.l.Weight == 0 {
		return nil
	}
	w := r.l.Weight
	return &w
}
func (r *linkResolver) Sources() []*sourceRefResolver {
	return r.g.r.sources(r.g.req, r.l.Sources)
}

// plainID is an ID scalar that encoding/json writes as the string it is:
// graphql.ID's MarshalJSON quotes it and json.Marshal then re-scans the
// result, for every id of an answer.
type plainID string

// ImplementsGraphQLType makes plainID the ID scalar for graphql-go.
func (plainID) ImplementsGraphQLType(name string) bool { return name == "ID" }

// UnmarshalGraphQL is never called: plainID is only returned.
func (id *plainID) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("wrong type for ID: %T", input)
	}
	*id = plainID(s)
	return nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func linkTypes(ss []string) []graph.LinkType {
	out := make([]graph.LinkType, len(ss))
	for i, s := range ss {
		out[i] = graph.LinkType(s)
	}
	return out
}

func kinds(ss []string) []graph.Kind {
	out := make([]graph.Kind, len(ss))
	for i, s := range ss {
		out[i] = graph.Kind(s)
	}
	return out
}
