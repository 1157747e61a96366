package schema

import (
	"context"

	"github.com/skein-project/skein/graph"
)

// Registry answers the registry query from graph's registry, so the UI's
// styles and details follow it.
func (r *resolver) Registry(ctx context.Context) (*registryResolver, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return nil, err
	}
	return &registryResolver{}, nil
}

type registryResolver struct{}

func (registryResolver) Kinds() []*kindInfoResolver {
	specs := graph.KindSpecs()
	out := make([]*kindInfoResolver, len(specs))
	for i := range specs {
		out[i] = &kindInfoResolver{s: specs[i]}
	}
	return out
}

func (registryResolver) LinkTypes() []*linkTypeInfoResolver {
	specs := graph.LinkSpecs()
	out := make([]*linkTypeInfoResolver, len(specs))
	for i := range specs {
		out[i] = &linkTypeInfoResolver{s: specs[i]}
	}
	return out
}

type kindInfoResolver struct{ s graph.KindSpec }

func (k *kindInfoResolver) Kind() string                 { return string(k.s.Kind) }
func (k *kindInfoResolver) Title() string                { return k.s.Title }
func (k *kindInfoResolver) Plural() string               { return k.s.Plural }
func (k *kindInfoResolver) Description() string          { return k.s.Description }
func (k *kindInfoResolver) GraphqlType() string          { return k.s.GraphQLType }
func (k *kindInfoResolver) Neo4jLabel() string           { return k.s.Label }
func (k *kindInfoResolver) FtmSchema() string            { return k.s.FtMSchema }
func (k *kindInfoResolver) Shape() string                { return k.s.Style.Shape }
func (k *kindInfoResolver) Color() string                { return k.s.Style.Color }
func (k *kindInfoResolver) Icon() string                 { return k.s.Style.Icon }
func (k *kindInfoResolver) Fields() []*fieldInfoResolver { return fieldInfos(k.s.Fields) }

type linkTypeInfoResolver struct{ s graph.LinkSpec }

func (l *linkTypeInfoResolver) Type() string                 { return string(l.s.Type) }
func (l *linkTypeInfoResolver) Description() string          { return l.s.Description }
func (l *linkTypeInfoResolver) FtmSchema() string            { return l.s.FtMSchema }
func (l *linkTypeInfoResolver) FtmProperty() *string         { return optional(l.s.FtMProperty) }
func (l *linkTypeInfoResolver) Source() string               { return l.s.Source }
func (l *linkTypeInfoResolver) Target() string               { return l.s.Target }
func (l *linkTypeInfoResolver) Fields() []*fieldInfoResolver { return fieldInfos(l.s.Fields) }

func fieldInfos(fs []graph.Field) []*fieldInfoResolver {
	out := make([]*fieldInfoResolver, len(fs))
	for i := range fs {
		out[i] = &fieldInfoResolver{f: fs[i]}
	}
	return out
}

type fieldInfoResolver struct{ f graph.Field }

func (f *fieldInfoResolver) Name() string        { return f.f.Name }
func (f *fieldInfoResolver) Property() string    { return f.f.Property }
func (f *fieldInfoResolver) Type() string        { return string(f.f.Type) }
func (f *fieldInfoResolver) List() bool          { return f.f.List }
func (f *fieldInfoResolver) Min() *float64       { return f.f.Min }
func (f *fieldInfoResolver) Max() *float64       { return f.f.Max }
func (f *fieldInfoResolver) Description() string { return f.f.Description }
func (f *fieldInfoResolver) Label() string       { return f.f.Label }
func (f *fieldInfoResolver) Unit() *string       { return optional(f.f.Unit) }
func (f *fieldInfoResolver) Summary() bool       { return f.f.Summary }
func (f *fieldInfoResolver) Identifier() bool    { return f.f.Identifier }
func (f *fieldInfoResolver) Values() []string {
	out := make([]string, len(f.f.Values))
	for i, v := range f.f.Values {
		out[i] = v.Name
	}
	return out
}
