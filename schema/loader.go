package schema

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
)

// Batching. Resolvers created together (the nodes of one search page, of
// one subgraph, the links of one list) share a group. The first member that
// needs a nested field (links, degree, the entities at the ends of links)
// loads it for every member of the group in one store call, and the others
// wait for that result. So a request costs one store call per group and
// nested field: bounded by the shape of the query, never by the size of
// its result.

// entityGroup is a set of entity resolvers that load nested fields together.
type entityGroup struct {
	r       *resolver
	req     *request
	ids     []string
	members map[string]*entityResolver

	mu      sync.Mutex
	degrees map[graph.When]*once[map[string]int]
	links   map[string]*once[map[string][]*linkResolver] // by linksKey
}

// newEntities makes one resolver per entity, sharing a group; an id seen
// twice gets the same resolver.
func (r *resolver) newEntities(req *request, es []graph.Entity) []*entityResolver {
	g := &entityGroup{r: r, req: req, members: make(map[string]*entityResolver, len(es))}
	out := make([]*entityResolver, len(es))
	for i, e := range es {
		er, ok := g.members[e.ID]
		if !ok {
			er = &entityResolver{ID: plainID(e.ID), Kind: string(e.Kind), e: e, g: g}
			g.members[e.ID] = er
			g.ids = append(g.ids, e.ID)
		}
		out[i] = er
	}
	return out
}

func (r *resolver) newEntity(req *request, e graph.Entity) *entityResolver {
	return r.newEntities(req, []graph.Entity{e})[0]
}

// degree loads the degrees of the group's members under w, once per w.
func (g *entityGroup) degree(ctx context.Context, id string, w graph.When) (int, error) {
	g.mu.Lock()
	if g.degrees == nil {
		g.degrees = map[graph.When]*once[map[string]int]{}
	}
	o, ok := g.degrees[w]
	if !ok {
		o = &once[map[string]int]{}
		g.degrees[w] = o
	}
	g.mu.Unlock()
	m, err := o.do(func() (map[string]int, error) {
		return g.r.store.Degrees(ctx, g.ids, w)
	})
	if err != nil {
		return 0, fail(ctx, g.r.log, err)
	}
	return m[id], nil
}

func linksKey(types []graph.LinkType, dir graph.Direction, w graph.When) string {
	ts := make([]string, len(types))
	for i, t := range types {
		ts[i] = string(t)
	}
	slices.Sort(ts)
	return string(dir) + "|" + strings.Join(slices.Compact(ts), ",") + "|" + w.AsOf + "|" + w.During.From + "|" + w.During.To
}

func (g *entityGroup) linksOf(ctx context.Context, id string, types []graph.LinkType, dir graph.Direction, w graph.When) ([]*linkResolver, error) {
	// Aliases of one field may select different things of its links;
	// whether endpoints are loaded is part of what is shared.
	key := linksKey(types, dir, w)
	if endsSelected(ctx, "") {
		key += "|ends"
	}
	g.mu.Lock()
	if g.links == nil {
		g.links = map[string]*once[map[string][]*linkResolver]{}
	}
	o, ok := g.links[key]
	if !ok {
		o = &once[map[string][]*linkResolver]{}
		g.links[key] = o
	}
	g.mu.Unlock()
	m, err := o.do(func() (map[string][]*linkResolver, error) {
		byID, err := g.r.store.LinksOf(ctx, g.ids, types, dir, w)
		if err != nil {
			return nil, err
		}
		// One link group for the links of every member, so that their
		// endpoints load together; a link between two members appears under
		// both and shares one resolver.
		var all []graph.Link
		for _, id := range g.ids {
			all = append(all, byID[id]...)
		}
		lrs, err := g.r.newLinksLoading(ctx, g.req, all, g.members, "")
		if err != nil {
			return nil, err
		}
		byLink := make(map[string]*linkResolver, len(lrs))
		for _, lr := range lrs {
			byLink[lr.l.ID] = lr
		}
		out := make(map[string][]*linkResolver, len(byID))
		for id, ls := range byID {
			for _, l := range ls {
				out[id] = append(out[id], byLink[l.ID])
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, fail(ctx, g.r.log, err)
	}
	return m[id], nil
}

// linkGroup is the request state shared by link resolvers created
// together.
type linkGroup struct {
	r   *resolver
	req *request
}

// newLinks makes one resolver per distinct link, its endpoints taken from
// known (the nodes of a subgraph, of paths: every endpoint). Link.source
// and Link.target are plain methods returning what was resolved before
// execution reaches them, which graphql-go runs inline: a resolver taking a
// context or returning an error costs a goroutine per link and field.
func (r *resolver) newLinks(req *request, ls []graph.Link, known map[string]*entityResolver) []*linkResolver {
	g := &linkGroup{r: r, req: req}
	seen := make(map[string]*linkResolver, len(ls))
	out := make([]*linkResolver, 0, len(ls))
	lrs := make([]linkResolver, 0, len(ls)) // one allocation for them all
	for _, l := range ls {
		lr, ok := seen[l.ID]
		if !ok {
			lrs = append(lrs, linkResolver{ID: plainID(l.ID), Type: string(l.Type), Source: known[l.Source], Target: known[l.Target], l: l, g: g})
			lr = &lrs[len(lrs)-1]
			seen[l.ID] = lr
		}
		out = append(out, lr)
	}
	return out
}

// newLinksLoading is newLinks where known may lack endpoints: those are
// loaded in one store call, and only when the selection at ctx asks for
// them; at is the path of the links below the field of ctx ("" when that
// field returns them, "events.link." for a timeline).
func (r *resolver) newLinksLoading(ctx context.Context, req *request, ls []graph.Link, known map[string]*entityResolver, at string) ([]*linkResolver, error) {
	out := r.newLinks(req, ls, known)
	var missing []string
	seen := map[string]bool{}
	for _, lr := range out {
		for _, id := range [2]string{lr.l.Source, lr.l.Target} {
			if known[id] == nil && !seen[id] {
				seen[id] = true
				missing = append(missing, id)
			}
		}
	}
	if len(missing) == 0 || !endsSelected(ctx, at) {
		return out, nil
	}
	es, err := r.store.Entities(ctx, missing)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	loaded := make(map[string]*entityResolver, len(es))
	for _, er := range r.newEntities(req, es) {
		loaded[er.e.ID] = er
	}
	for _, lr := range out {
		if lr.Source == nil {
			lr.Source = loaded[lr.l.Source]
		}
		if lr.Target == nil {
			lr.Target = loaded[lr.l.Target]
		}
		for _, id := range [2]string{lr.l.Source, lr.l.Target} {
			if known[id] == nil && loaded[id] == nil {
				return nil, &Error{Code: CodeNotFound, Message: fmt.Sprintf("link %q: entity %q not found", lr.l.ID, id)}
			}
		}
	}
	return out, nil
}

// endsSelected reports whether the links at path at below the field of ctx
// have their source or target selected.
func endsSelected(ctx context.Context, at string) bool {
	return graphql.HasSelectedField(ctx, at+"source") || graphql.HasSelectedField(ctx, at+"target")
}

// document returns a source document, loading every document once per
// request: sources cite few documents, and the store lists them in one call.
func (r *resolver) document(ctx context.Context, req *request, id string) (*graph.Document, error) {
	m, err := req.docs.do(func() (map[string]graph.Document, error) {
		docs, err := r.store.Documents(ctx)
		if err != nil {
			return nil, err
		}
		m := make(map[string]graph.Document, len(docs))
		for _, d := range docs {
			m[d.ID] = d
		}
		return m, nil
	})
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	if d, ok := m[id]; ok {
		return &d, nil
	}
	return nil, nil
}
