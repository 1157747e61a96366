package schema

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

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
			er = &entityResolver{e: e, g: g}
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
	key := linksKey(types, dir, w)
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
		lrs := g.r.newLinks(g.req, all, g.members)
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

// linkGroup is a set of link resolvers whose endpoint entities load
// together.
type linkGroup struct {
	r     *resolver
	req   *request
	links []graph.Link
	known map[string]*entityResolver // endpoints already at hand

	ends once[map[string]*entityResolver]
}

// newLinks makes one resolver per distinct link; known holds entities the
// caller already has (the nodes of a subgraph), which need no loading.
func (r *resolver) newLinks(req *request, ls []graph.Link, known map[string]*entityResolver) []*linkResolver {
	g := &linkGroup{r: r, req: req, known: known}
	seen := make(map[string]*linkResolver, len(ls))
	out := make([]*linkResolver, 0, len(ls))
	for _, l := range ls {
		lr, ok := seen[l.ID]
		if !ok {
			lr = &linkResolver{l: l, g: g}
			seen[l.ID] = lr
			g.links = append(g.links, l)
		}
		out = append(out, lr)
	}
	return out
}

func (g *linkGroup) endpoint(ctx context.Context, linkID, id string) (*entityResolver, error) {
	m, err := g.ends.do(func() (map[string]*entityResolver, error) {
		out := make(map[string]*entityResolver, len(g.known))
		var missing []string
		for _, l := range g.links {
			for _, id := range []string{l.Source, l.Target} {
				if _, ok := out[id]; ok {
					continue
				}
				if er, ok := g.known[id]; ok {
					out[id] = er
					continue
				}
				out[id] = nil
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			return out, nil
		}
		es, err := g.r.store.Entities(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, er := range g.r.newEntities(g.req, es) {
			out[er.e.ID] = er
		}
		return out, nil
	})
	if err != nil {
		return nil, fail(ctx, g.r.log, err)
	}
	if er := m[id]; er != nil {
		return er, nil
	}
	return nil, &Error{Code: CodeNotFound, Message: fmt.Sprintf("link %q: entity %q not found", linkID, id)}
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
