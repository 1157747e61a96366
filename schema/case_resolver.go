package schema

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
)

// ActionAdmin is acting on what others own (deleting another's case).
const ActionAdmin Action = "admin"

// Principal is who a request runs as, for Options.Principal.
type Principal struct {
	ID   string
	Role string
}

// anonymous is the principal when Options.Principal is not set.
var anonymous = Principal{ID: "anonymous", Role: "anonymous"}

func (r *resolver) principal(ctx context.Context) Principal {
	if r.whoami == nil {
		return anonymous
	}
	return r.whoami(ctx)
}

func (r *resolver) cases() (graph.Records, error) {
	if r.records == nil {
		return nil, newError(CodeUnavailable, "this server's store keeps no cases")
	}
	return r.records, nil
}

func (r *resolver) Me(ctx context.Context) *principalResolver {
	return &principalResolver{p: r.principal(ctx), r: r, ctx: ctx}
}

type principalResolver struct {
	p   Principal
	r   *resolver
	ctx context.Context
}

func (p *principalResolver) ID() string   { return p.p.ID }
func (p *principalResolver) Role() string { return p.p.Role }
func (p *principalResolver) CanWrite() bool {
	return p.r.authorize == nil || p.r.authorize(p.ctx, ActionWrite) == nil
}
func (p *principalResolver) CanAdmin() bool {
	return p.r.authorize == nil || p.r.authorize(p.ctx, ActionAdmin) == nil
}

func (r *resolver) Cases(ctx context.Context, args struct {
	First graphql.NullInt
	After *string
}) (*caseConnection, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return nil, err
	}
	recs, err := r.cases()
	if err != nil {
		return nil, err
	}
	first, err := intArg("cases: first", args.First, graph.DefaultCaseFirst, 1, graph.MaxRecordFirst)
	if err != nil {
		return nil, err
	}
	page, err := recs.ListRecords(ctx, graph.RecordQuery{Collection: graph.CaseCollection, After: deref(args.After), First: first})
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	out := &caseConnection{page: page}
	for _, rec := range page.Records {
		c, err := graph.CaseFromRecord(rec)
		if err != nil {
			return nil, fail(ctx, r.log, err)
		}
		out.nodes = append(out.nodes, &caseResolver{c: c, r: r})
	}
	return out, nil
}

func (r *resolver) Case(ctx context.Context, args struct{ ID graphql.ID }) (*caseResolver, error) {
	if err := r.allow(ctx, ActionRead); err != nil {
		return nil, err
	}
	c, err := r.loadCase(ctx, string(args.ID))
	if err != nil {
		return nil, err
	}
	return &caseResolver{c: c, r: r}, nil
}

func (r *resolver) loadCase(ctx context.Context, id string) (graph.Case, error) {
	recs, err := r.cases()
	if err != nil {
		return graph.Case{}, err
	}
	rec, err := recs.GetRecord(ctx, graph.CaseCollection, id)
	if err != nil {
		if errors.Is(err, graph.ErrNotFound) {
			return graph.Case{}, newError(CodeNotFound, fmt.Sprintf("case %q not found", id))
		}
		return graph.Case{}, fail(ctx, r.log, err)
	}
	c, err := graph.CaseFromRecord(rec)
	if err != nil {
		return graph.Case{}, fail(ctx, r.log, err)
	}
	return c, nil
}

type caseInput struct {
	ID          *graphql.ID
	Version     *int32
	Title       *string
	Description *string
	Items       *[]caseItemInput
	Notes       *[]caseNoteInput
	AsOf        *string
	View        *string
}

type caseItemInput struct {
	Entity graphql.ID
	X, Y   *float64
	Pinned *bool
	Hidden *bool
	Note   *string
}

type caseNoteInput struct {
	ID     *graphql.ID
	Text   string
	Entity *graphql.ID
	Link   *graphql.ID
}

func (r *resolver) SaveCase(ctx context.Context, args struct{ Input caseInput }) (*caseResolver, error) {
	if err := r.allow(ctx, ActionWrite); err != nil {
		return nil, err
	}
	recs, err := r.cases()
	if err != nil {
		return nil, err
	}
	in := args.Input
	who := r.principal(ctx).ID
	now := time.Now().UTC()
	var c graph.Case
	if in.ID == nil {
		if in.Version != nil && *in.Version != 0 {
			return nil, newError(CodeBadUserInput, "saveCase: a new case (no id) has no version")
		}
		if in.Title == nil {
			return nil, newError(CodeBadUserInput, "saveCase: a new case needs a title")
		}
		c = graph.Case{ID: newCaseID(now), Owner: who, CreatedAt: now}
	} else {
		if in.Version == nil || *in.Version < 1 {
			return nil, newError(CodeBadUserInput, "saveCase: updating a case needs the version it is based on")
		}
		if c, err = r.loadCase(ctx, string(*in.ID)); err != nil {
			return nil, err
		}
		if c.Version != int64(*in.Version) {
			return nil, newError(CodeConflict, fmt.Sprintf("saveCase: case %q is at version %d (saved by %s at %s), not %d: reload it and save again",
				c.ID, c.Version, c.UpdatedBy, c.UpdatedAt.Format(time.RFC3339), *in.Version))
		}
	}
	stored := c
	if in.Title != nil {
		c.Title = *in.Title
	}
	if in.Description != nil {
		c.Description = *in.Description
	}
	if in.AsOf != nil {
		c.AsOf = *in.AsOf
	}
	if in.View != nil {
		c.View = *in.View
	}
	if err := r.applyCaseLists(ctx, &c, stored, in, who, now); err != nil {
		return nil, err
	}
	c.UpdatedAt, c.UpdatedBy = now, who
	if err := c.Validate(); err != nil {
		return nil, fail(ctx, r.log, err)
	}
	rec, err := c.Record()
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	saved, err := recs.PutRecord(ctx, rec)
	if err != nil {
		return nil, fail(ctx, r.log, fmt.Errorf("saveCase: %w", err))
	}
	c.Version = saved.Version
	return &caseResolver{c: c, r: r}, nil
}

// applyCaseLists replaces the items and notes of c by those of the input,
// when given, keeping what the stored case knows: the remembered kind and
// name of items whose entity is gone, and the author and time of notes.
func (r *resolver) applyCaseLists(ctx context.Context, c *graph.Case, stored graph.Case, in caseInput, who string, now time.Time) error {
	if in.Items == nil && in.Notes == nil {
		return nil
	}
	var ids []string
	if in.Items != nil {
		if len(*in.Items) > graph.MaxCaseItems {
			return newError(CodeTooComplex, fmt.Sprintf("saveCase: more than %d items", graph.MaxCaseItems))
		}
		for _, it := range *in.Items {
			ids = append(ids, string(it.Entity))
		}
	}
	if in.Notes != nil {
		if len(*in.Notes) > graph.MaxCaseNotes {
			return newError(CodeTooComplex, fmt.Sprintf("saveCase: more than %d notes", graph.MaxCaseNotes))
		}
		for _, n := range *in.Notes {
			if n.ID == nil && n.Entity != nil {
				ids = append(ids, string(*n.Entity))
			}
		}
	}
	es, err := r.store.Entities(ctx, ids)
	if err != nil {
		return fail(ctx, r.log, err)
	}
	existing := make(map[string]graph.Entity, len(es))
	for _, e := range es {
		existing[e.ID] = e
	}
	if in.Items != nil {
		before := make(map[string]graph.CaseItem, len(stored.Items))
		for _, it := range stored.Items {
			before[it.Entity] = it
		}
		c.Items = make([]graph.CaseItem, 0, len(*in.Items))
		for _, it := range *in.Items {
			item := graph.CaseItem{Entity: string(it.Entity), X: it.X, Y: it.Y,
				Pinned: deref(it.Pinned), Hidden: deref(it.Hidden), Note: deref(it.Note)}
			if e, ok := existing[item.Entity]; ok {
				item.Kind, item.Name = e.Kind, e.Name
			} else if old, ok := before[item.Entity]; ok {
				item.Kind, item.Name = old.Kind, old.Name
			} else {
				return newError(CodeBadUserInput, fmt.Sprintf("saveCase: entity %q does not exist", item.Entity))
			}
			c.Items = append(c.Items, item)
		}
	}
	if in.Notes != nil {
		before := make(map[string]graph.CaseNote, len(stored.Notes))
		for _, n := range stored.Notes {
			before[n.ID] = n
		}
		c.Notes = make([]graph.CaseNote, 0, len(*in.Notes))
		for _, n := range *in.Notes {
			if n.ID != nil {
				old, ok := before[string(*n.ID)]
				if !ok {
					return newError(CodeBadUserInput, fmt.Sprintf("saveCase: note %q is not in the stored case (it may have been removed by another save)", *n.ID))
				}
				if n.Text != old.Text {
					t := now
					old.Text, old.UpdatedBy, old.UpdatedAt = n.Text, who, &t
				}
				c.Notes = append(c.Notes, old)
				continue
			}
			note := graph.CaseNote{ID: newNoteID(), Text: n.Text, Author: who, CreatedAt: now,
				Entity: string(deref(n.Entity)), Link: string(deref(n.Link))}
			if note.Entity != "" {
				if _, ok := existing[note.Entity]; !ok {
					return newError(CodeBadUserInput, fmt.Sprintf("saveCase: note on entity %q, which does not exist", note.Entity))
				}
			}
			if note.Link != "" {
				if _, err := r.store.Link(ctx, note.Link); err != nil {
					if errors.Is(err, graph.ErrNotFound) {
						return newError(CodeBadUserInput, fmt.Sprintf("saveCase: note on link %q, which does not exist", note.Link))
					}
					return fail(ctx, r.log, err)
				}
			}
			c.Notes = append(c.Notes, note)
		}
	}
	return nil
}

func (r *resolver) DeleteCase(ctx context.Context, args struct{ ID graphql.ID }) (bool, error) {
	if err := r.allow(ctx, ActionWrite); err != nil {
		return false, err
	}
	recs, err := r.cases()
	if err != nil {
		return false, err
	}
	c, err := r.loadCase(ctx, string(args.ID))
	if err != nil {
		return false, err
	}
	if who := r.principal(ctx).ID; c.Owner != who {
		if r.authorize != nil && r.authorize(ctx, ActionAdmin) != nil {
			return false, newError(CodeForbidden, fmt.Sprintf("deleteCase: only its owner (%s) or an admin may delete case %q", c.Owner, c.ID))
		}
	}
	// Deleting the version just read: a save that came in between makes
	// this fail with CONFLICT instead of discarding it unseen.
	if err := recs.DeleteRecord(ctx, graph.CaseCollection, c.ID, c.Version); err != nil {
		return false, fail(ctx, r.log, fmt.Errorf("deleteCase: %w", err))
	}
	return true, nil
}

// newCaseID is sortable by creation time and unguessable enough to make
// collisions (two cases created in the same second) vanishingly unlikely.
func newCaseID(now time.Time) string {
	return now.Format("20060102T150405") + "-" + randomHex(4)
}

func newNoteID() string { return "n-" + randomHex(8) }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

type caseConnection struct {
	page  graph.RecordPage
	nodes []*caseResolver
}

func (c *caseConnection) Nodes() []*caseResolver { return nonNil(c.nodes) }
func (c *caseConnection) Edges() []*caseEdge {
	out := make([]*caseEdge, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = &caseEdge{n}
	}
	return out
}
func (c *caseConnection) TotalCount() int32 { return int32(c.page.Total) }
func (c *caseConnection) PageInfo() *casePageInfo {
	p := &casePageInfo{more: c.page.HasNextPage}
	if n := len(c.nodes); n > 0 {
		p.end = c.nodes[n-1].c.ID
	}
	return p
}

type caseEdge struct{ n *caseResolver }

func (e *caseEdge) Node() *caseResolver { return e.n }
func (e *caseEdge) Cursor() string      { return e.n.c.ID }

type casePageInfo struct {
	more bool
	end  string
}

func (p *casePageInfo) HasNextPage() bool  { return p.more }
func (p *casePageInfo) EndCursor() *string { return optional(p.end) }
