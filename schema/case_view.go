package schema

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
)

// caseResolver resolves a Case. The entities of its items and notes load in
// one store call, the first time any of them is asked for.
type caseResolver struct {
	c graph.Case
	r *resolver

	ents once[map[string]*entityResolver]

	mu    sync.Mutex
	links map[string]*linkResolver // by id; nil value: the link is gone
}

func (c *caseResolver) ID() graphql.ID        { return graphql.ID(c.c.ID) }
func (c *caseResolver) Title() string         { return c.c.Title }
func (c *caseResolver) Description() *string  { return optional(c.c.Description) }
func (c *caseResolver) Owner() string         { return c.c.Owner }
func (c *caseResolver) CreatedAt() string     { return c.c.CreatedAt.Format(time.RFC3339Nano) }
func (c *caseResolver) UpdatedAt() string     { return c.c.UpdatedAt.Format(time.RFC3339Nano) }
func (c *caseResolver) UpdatedBy() *string    { return optional(c.c.UpdatedBy) }
func (c *caseResolver) Version() int32        { return int32(c.c.Version) }
func (c *caseResolver) AsOf() *string         { return optional(c.c.AsOf) }
func (c *caseResolver) View() *string         { return optional(c.c.View) }
func (c *caseResolver) Notes() []*caseNoteRes { return c.notes() }

func (c *caseResolver) notes() []*caseNoteRes {
	out := make([]*caseNoteRes, len(c.c.Notes))
	for i := range c.c.Notes {
		out[i] = &caseNoteRes{n: c.c.Notes[i], c: c}
	}
	return out
}

func (c *caseResolver) Items(ctx context.Context) ([]*caseItemRes, error) {
	ents, err := c.entities(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*caseItemRes, len(c.c.Items))
	var gone []graph.Entity
	for i, it := range c.c.Items {
		out[i] = &caseItemRes{it: it, e: ents[it.Entity]}
		if out[i].e == nil {
			out[i].missing = true
			gone = append(gone, graph.Entity{ID: it.Entity, Kind: it.Kind, Name: it.Name})
		}
	}
	// Entities that are gone resolve to what the case remembers of them.
	placeholders := c.r.newEntities(requestOf(ctx), gone)
	j := 0
	for _, item := range out {
		if item.missing {
			item.e = placeholders[j]
			j++
		}
	}
	return out, nil
}

// entities loads every entity the case names that still exists.
func (c *caseResolver) entities(ctx context.Context) (map[string]*entityResolver, error) {
	m, err := c.ents.do(func() (map[string]*entityResolver, error) {
		var ids []string
		for _, it := range c.c.Items {
			ids = append(ids, it.Entity)
		}
		for _, n := range c.c.Notes {
			if n.Entity != "" {
				ids = append(ids, n.Entity)
			}
		}
		es, err := c.r.store.Entities(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[string]*entityResolver, len(es))
		for _, er := range c.r.newEntities(requestOf(ctx), es) {
			out[er.e.ID] = er
		}
		return out, nil
	})
	if err != nil {
		return nil, fail(ctx, c.r.log, err)
	}
	return m, nil
}

type caseItemRes struct {
	it      graph.CaseItem
	e       *entityResolver
	missing bool
}

func (i *caseItemRes) Entity() *entityResolver { return i.e }
func (i *caseItemRes) EntityID() graphql.ID    { return graphql.ID(i.it.Entity) }
func (i *caseItemRes) Missing() bool           { return i.missing }
func (i *caseItemRes) X() *float64             { return i.it.X }
func (i *caseItemRes) Y() *float64             { return i.it.Y }
func (i *caseItemRes) Pinned() bool            { return i.it.Pinned }
func (i *caseItemRes) Hidden() bool            { return i.it.Hidden }
func (i *caseItemRes) Note() *string           { return optional(i.it.Note) }

type caseNoteRes struct {
	n graph.CaseNote
	c *caseResolver
}

func (n *caseNoteRes) ID() graphql.ID     { return graphql.ID(n.n.ID) }
func (n *caseNoteRes) Text() string       { return n.n.Text }
func (n *caseNoteRes) Author() string     { return n.n.Author }
func (n *caseNoteRes) CreatedAt() string  { return n.n.CreatedAt.Format(time.RFC3339Nano) }
func (n *caseNoteRes) UpdatedBy() *string { return optional(n.n.UpdatedBy) }
func (n *caseNoteRes) UpdatedAt() *string {
	if n.n.UpdatedAt == nil {
		return nil
	}
	s := n.n.UpdatedAt.Format(time.RFC3339Nano)
	return &s
}
func (n *caseNoteRes) EntityID() *graphql.ID { return optionalID(n.n.Entity) }
func (n *caseNoteRes) LinkID() *graphql.ID   { return optionalID(n.n.Link) }

// Entity is null when the entity no longer exists.
func (n *caseNoteRes) Entity(ctx context.Context) (*entityResolver, error) {
	if n.n.Entity == "" {
		return nil, nil
	}
	m, err := n.c.entities(ctx)
	if err != nil {
		return nil, err
	}
	return m[n.n.Entity], nil
}

// Link is null when the link no longer exists.
func (n *caseNoteRes) Link(ctx context.Context) (*linkResolver, error) {
	if n.n.Link == "" {
		return nil, nil
	}
	c := n.c
	c.mu.Lock()
	defer c.mu.Unlock()
	// A link cached for a selection without its endpoints is loaded again
	// for one with them.
	if lr, ok := c.links[n.n.Link]; ok && (lr == nil || lr.Source != nil || !endsSelected(ctx, "")) {
		return lr, nil
	}
	l, err := c.r.store.Link(ctx, n.n.Link)
	var lr *linkResolver
	switch {
	case errors.Is(err, graph.ErrNotFound):
	case err != nil:
		return nil, fail(ctx, c.r.log, err)
	default:
		lrs, err := c.r.newLinksLoading(ctx, requestOf(ctx), []graph.Link{l}, nil, "")
		if err != nil {
			return nil, err
		}
		lr = lrs[0]
	}
	if c.links == nil {
		c.links = map[string]*linkResolver{}
	}
	c.links[n.n.Link] = lr
	return lr, nil
}

func optionalID(s string) *graphql.ID {
	if s == "" {
		return nil
	}
	id := graphql.ID(s)
	return &id
}
