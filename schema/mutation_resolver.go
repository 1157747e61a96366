package schema

import (
	"context"
	"fmt"
	"slices"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
)

type propertyInput struct {
	Key   string
	Value string
}

type sourceRefInput struct {
	Document graphql.ID
	Quote    string
}

type designationInput struct {
	Regime     string
	Authority  string
	ListedOn   *string
	DelistedOn *string
	Measures   *[]string
	Reason     *string
	Sources    *[]sourceRefInput
	ID         *string
	Properties *[]propertyInput
}

type entityInput struct {
	ID           graphql.ID
	Kind         string
	Name         string
	Aliases      *[]string
	Countries    *[]string
	Description  *string
	Properties   *[]propertyInput
	Sources      *[]sourceRefInput
	Designations *[]designationInput
	entityFieldsInput
}

type linkInput struct {
	ID          *graphql.ID
	Type        string
	Source      graphql.ID
	Target      graphql.ID
	Role        *string
	Description *string
	StartDate   *string
	EndDate     *string
	Weight      *float64
	Properties  *[]propertyInput
	Sources     *[]sourceRefInput
	linkFieldsInput
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func propertyMap(in *[]propertyInput) (map[string]string, error) {
	if in == nil || len(*in) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(*in))
	for _, p := range *in {
		if _, dup := m[p.Key]; dup {
			return nil, fmt.Errorf("property %q given twice: %w", p.Key, graph.ErrInvalid)
		}
		m[p.Key] = p.Value
	}
	return m, nil
}

func sourceRefs(in *[]sourceRefInput) []graph.SourceRef {
	if in == nil {
		return nil
	}
	out := make([]graph.SourceRef, len(*in))
	for i, s := range *in {
		out[i] = graph.SourceRef{Document: string(s.Document), Quote: s.Quote}
	}
	return out
}

func (in entityInput) entity() (graph.Entity, error) {
	props, err := propertyMap(in.Properties)
	if err != nil {
		return graph.Entity{}, fmt.Errorf("entity %q: %w", in.ID, err)
	}
	spec, _ := graph.Kind(in.Kind).Spec()
	if props, err = applyFields(in.Kind, spec.Fields, in.entityFieldsInput.given(), props); err != nil {
		return graph.Entity{}, fmt.Errorf("entity %q: %w", in.ID, err)
	}
	e := graph.Entity{
		ID:          string(in.ID),
		Kind:        graph.Kind(in.Kind),
		Name:        in.Name,
		Aliases:     deref(in.Aliases),
		Countries:   deref(in.Countries),
		Description: deref(in.Description),
		Properties:  props,
		Sources:     sourceRefs(in.Sources),
	}
	for i, d := range deref(in.Designations) {
		dprops, err := propertyMap(d.Properties)
		if err != nil {
			return graph.Entity{}, fmt.Errorf("entity %q: designation %d: %w", in.ID, i, err)
		}
		e.Designations = append(e.Designations, graph.Designation{
			Regime:     d.Regime,
			Authority:  d.Authority,
			ListedOn:   deref(d.ListedOn),
			DelistedOn: deref(d.DelistedOn),
			Measures:   deref(d.Measures),
			Reason:     deref(d.Reason),
			Sources:    sourceRefs(d.Sources),
			ID:         deref(d.ID),
			Properties: dprops,
		})
	}
	return e, nil
}

func (in linkInput) link() (graph.Link, error) {
	props, err := propertyMap(in.Properties)
	if err != nil {
		return graph.Link{}, fmt.Errorf("link %s->%s: %w", in.Source, in.Target, err)
	}
	spec, _ := graph.LinkType(in.Type).Spec()
	if props, err = applyFields(in.Type, spec.Fields, in.linkFieldsInput.given(), props); err != nil {
		return graph.Link{}, fmt.Errorf("link %s->%s: %w", in.Source, in.Target, err)
	}
	return graph.Link{
		ID:          string(deref(in.ID)),
		Type:        graph.LinkType(in.Type),
		Source:      string(in.Source),
		Target:      string(in.Target),
		Role:        deref(in.Role),
		Description: deref(in.Description),
		StartDate:   deref(in.StartDate),
		EndDate:     deref(in.EndDate),
		Weight:      deref(in.Weight),
		Properties:  props,
		Sources:     sourceRefs(in.Sources),
	}, nil
}

// write validates and applies a batch: one transaction, all or nothing.
func (r *resolver) write(ctx context.Context, b graph.Batch) error {
	if n := len(b.Entities) + len(b.Links); n > MaxBatch {
		return newError(CodeTooComplex, fmt.Sprintf("more than %d records in one mutation", MaxBatch))
	}
	// Validate here too, so bad input is reported whole (errors.Join) and
	// without a trip to the store.
	if err := b.Normalize(); err != nil {
		return fail(ctx, r.log, err)
	}
	return fail(ctx, r.log, r.store.Upsert(ctx, b))
}

func (r *resolver) UpsertEntities(ctx context.Context, args struct{ Input []entityInput }) ([]*entityResolver, error) {
	if err := r.allow(ctx, ActionWrite); err != nil {
		return nil, err
	}
	var b graph.Batch
	for _, in := range args.Input {
		e, err := in.entity()
		if err != nil {
			return nil, fail(ctx, r.log, err)
		}
		b.Entities = append(b.Entities, e)
	}
	if len(b.Entities) == 0 {
		return []*entityResolver{}, nil
	}
	if err := r.write(ctx, b); err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range b.Entities {
		ids = append(ids, e.ID)
	}
	// Read back what the store holds, in one call.
	es, err := r.store.Entities(ctx, ids)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return r.newEntities(requestOf(ctx), es), nil
}

func (r *resolver) UpsertLinks(ctx context.Context, args struct{ Input []linkInput }) ([]*linkResolver, error) {
	if err := r.allow(ctx, ActionWrite); err != nil {
		return nil, err
	}
	var b graph.Batch
	for _, in := range args.Input {
		l, err := in.link()
		if err != nil {
			return nil, fail(ctx, r.log, err)
		}
		b.Links = append(b.Links, l)
	}
	if len(b.Links) == 0 {
		return []*linkResolver{}, nil
	}
	if err := r.write(ctx, b); err != nil {
		return nil, err
	}
	// Read back what the store holds: the outgoing links of the sources, in
	// one call, picked by id (b.Normalize filled in missing ids).
	var sources []string
	for _, l := range b.Links {
		if !slices.Contains(sources, l.Source) {
			sources = append(sources, l.Source)
		}
	}
	byEntity, err := r.store.LinksOf(ctx, sources, nil, graph.DirectionOutgoing, graph.When{})
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	stored := map[string]graph.Link{}
	for _, ls := range byEntity {
		for _, l := range ls {
			stored[l.ID] = l
		}
	}
	out := make([]graph.Link, 0, len(b.Links))
	for _, l := range b.Links {
		s, ok := stored[l.ID]
		if !ok {
			return nil, fail(ctx, r.log, fmt.Errorf("link %q missing after upsert", l.ID))
		}
		out = append(out, s)
	}
	return r.newLinksLoading(ctx, requestOf(ctx), out, nil, "")
}

func (r *resolver) DeleteEntity(ctx context.Context, args struct{ ID graphql.ID }) (bool, error) {
	if err := r.allow(ctx, ActionWrite); err != nil {
		return false, err
	}
	if err := r.store.DeleteEntity(ctx, string(args.ID)); err != nil {
		return false, fail(ctx, r.log, err)
	}
	return true, nil
}

func (r *resolver) DeleteLink(ctx context.Context, args struct{ ID graphql.ID }) (bool, error) {
	if err := r.allow(ctx, ActionWrite); err != nil {
		return false, err
	}
	if err := r.store.DeleteLink(ctx, string(args.ID)); err != nil {
		return false, fail(ctx, r.log, err)
	}
	return true, nil
}

type mergeArgs struct {
	Keep  graphql.ID
	Merge []graphql.ID
}

func (r *resolver) MergeEntities(ctx context.Context, args mergeArgs) (*entityResolver, error) {
	if err := r.allow(ctx, ActionWrite); err != nil {
		return nil, err
	}
	if len(args.Merge) > MaxBatch {
		return nil, newError(CodeTooComplex, fmt.Sprintf("mergeEntities: more than %d ids", MaxBatch))
	}
	e, err := r.store.MergeEntities(ctx, string(args.Keep), ids(args.Merge))
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return r.newEntity(requestOf(ctx), e), nil
}
