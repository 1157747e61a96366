package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// XrefQuery asks for candidate duplicate pairs: each of IDs (every entity
// when empty) against the rest of the graph, pairs of the same kind
// scoring at least Threshold, best first, First of them after the cursor
// After.
type XrefQuery struct {
	IDs       []string
	Threshold float64
	First     int
	After     string
}

// Normalize applies defaults and checks limits.
func (q *XrefQuery) Normalize() error {
	q.IDs = slices.Compact(slices.Sorted(slices.Values(q.IDs)))
	if len(q.IDs) > MaxIDsPerQuery {
		return fmt.Errorf("xref: more than %d ids: %w", MaxIDsPerQuery, ErrTooComplex)
	}
	for _, id := range q.IDs {
		if err := ValidateID(id); err != nil {
			return fmt.Errorf("xref: %w", err)
		}
	}
	if q.Threshold == 0 {
		q.Threshold = DefaultMatchThreshold
	}
	if !(q.Threshold > 0 && q.Threshold <= 1) {
		return fmt.Errorf("xref: threshold must be above 0 and at most 1: %w", ErrInvalid)
	}
	return inRange(&q.First, DefaultXrefFirst, 1, MaxXrefFirst, "xref: first")
}

// XrefPair is a candidate duplicate pair, A's id before B's. Verdict is
// UNSURE when someone looked and could not decide, else empty (a pair
// judged DIFFERENT or SAME never comes back).
type XrefPair struct {
	A, B     Entity
	Score    float64
	Features []MatchFeature
	Verdict  Verdict
	Cursor   string
}

// XrefPage is a page of pairs; Total counts every pair across pages.
type XrefPage struct {
	Pairs       []XrefPair
	HasNextPage bool
	Total       int
}

// xrefBatch is how many entities go to the store's blocking at once.
const xrefBatch = 500

// Xref finds candidate duplicates: each entity in scope, as a query
// against the store's blocking, scored by the same features as Match
// (symmetric, so each pair is scored once), kept from the threshold on,
// without the pairs a judgement has settled (DIFFERENT, SAME). Pairs are
// ordered by score descending, then by the ids of A and B.
func Xref(ctx context.Context, s Store, r Records, q XrefQuery) (XrefPage, error) {
	if err := q.Normalize(); err != nil {
		return XrefPage{}, err
	}
	var after *Cursor
	if q.After != "" {
		c, err := DecodeCursor(q.After)
		if err != nil {
			return XrefPage{}, fmt.Errorf("xref: %w", err)
		}
		after = &c
	}
	judged := map[string]Verdict{}
	js, err := AllJudgements(ctx, r)
	if err != nil {
		return XrefPage{}, fmt.Errorf("xref: judgements: %w", err)
	}
	for _, j := range js {
		judged[PairKey(j.A.ID, j.B.ID)] = j.Verdict
	}
	scope, held, err := xrefScope(ctx, s, q.IDs)
	if err != nil {
		return XrefPage{}, err
	}
	var bx *blockIndex
	if len(q.IDs) == 0 {
		// The whole graph is in memory already: block there.
		bx = newBlockIndex(scope, held)
	}
	subjects := map[string]*subject{}
	subjectOf := func(e *Entity) *subject {
		if sj, ok := subjects[e.ID]; ok {
			return sj
		}
		sj := entitySubject(e, held[e.ID])
		subjects[e.ID] = &sj
		return &sj
	}
	var sc scorer
	seen := map[string]bool{}
	var pairs []XrefPair
	rank, last := map[int32]int{}, map[int32]int{}
	for start := 0; start < len(scope); start += xrefBatch {
		batch := scope[start:min(start+xrefBatch, len(scope))]
		cqs := make([]CandidateQuery, len(batch))
		for i := range batch {
			cqs[i] = candidateQuery(batch[i].Names(), subjectOf(&batch[i]).ids, batch[i].Kind)
			cqs[i].Kinds = []Kind{batch[i].Kind}
		}
		var found [][]Entity
		if bx != nil {
			if err := ctx.Err(); err != nil {
				return XrefPage{}, fmt.Errorf("xref: %w", err)
			}
			found = make([][]Entity, len(batch))
			for i := range cqs {
				if err := cqs[i].Normalize(); err != nil {
					return XrefPage{}, fmt.Errorf("xref: %w", err)
				}
				for _, k := range bx.candidates(&cqs[i], rank, last) {
					found[i] = append(found[i], bx.es[k])
				}
			}
		} else {
			found, err = s.Candidates(ctx, cqs)
			if err != nil {
				return XrefPage{}, fmt.Errorf("xref: %w", err)
			}
			// Candidates outside the scope need their documents too.
			var more []string
			for _, es := range found {
				for _, e := range es {
					if _, ok := held[e.ID]; !ok {
						more = append(more, e.ID)
					}
				}
			}
			h, err := HeldIdentifiers(ctx, s, more)
			if err != nil {
				return XrefPage{}, err
			}
			for _, id := range more {
				held[id] = h[id]
			}
		}
		for i := range batch {
			a := &batch[i]
			as := subjectOf(a)
			for k := range found[i] {
				b := &found[i][k]
				if b.ID == a.ID {
					continue
				}
				key := PairKey(a.ID, b.ID)
				if seen[key] {
					continue
				}
				seen[key] = true
				v := judged[key]
				if v == VerdictDifferent || v == VerdictSame {
					continue
				}
				res := sc.compare(as, subjectOf(b))
				if res.vetoed || res.score < q.Threshold {
					continue
				}
				p := XrefPair{A: *a, B: *b, Score: res.score, Verdict: v}
				if p.B.ID < p.A.ID {
					p.A, p.B = p.B, p.A
				}
				pairs = append(pairs, p)
			}
		}
	}
	slices.SortFunc(pairs, func(x, y XrefPair) int {
		if x.Score != y.Score {
			return cmpDesc(x.Score, y.Score)
		}
		if c := strings.Compare(x.A.ID, y.A.ID); c != 0 {
			return c
		}
		return strings.Compare(x.B.ID, y.B.ID)
	})
	startAt := 0
	if after != nil {
		startAt = len(pairs)
		for i, p := range pairs {
			key := p.A.ID + " " + p.B.ID
			if p.Score < after.Score || (p.Score == after.Score && key > after.ID) {
				startAt = i
				break
			}
		}
	}
	end := min(startAt+q.First, len(pairs))
	page := XrefPage{Pairs: pairs[startAt:end], HasNextPage: end < len(pairs), Total: len(pairs)}
	ex := scorer{explain: true}
	for i := range page.Pairs {
		p := &page.Pairs[i]
		p.Cursor = EncodeCursor(p.Score, p.A.ID+" "+p.B.ID)
		p.Features = ex.compare(subjectOf(&p.A), subjectOf(&p.B)).features
	}
	return page, nil
}

// xrefScope returns the entities to compare, by id, and the identifiers
// each holds: the given ids, or the whole graph (one snapshot with the
// HOLDS links only).
func xrefScope(ctx context.Context, s Store, ids []string) ([]Entity, map[string][]string, error) {
	if len(ids) > 0 {
		es, err := s.Entities(ctx, ids)
		if err != nil {
			return nil, nil, fmt.Errorf("xref: %w", err)
		}
		if len(es) != len(ids) {
			return nil, nil, fmt.Errorf("xref: %d of the %d ids are not entities: %w", len(ids)-len(es), len(ids), ErrNotFound)
		}
		held, err := HeldIdentifiers(ctx, s, ids)
		if err != nil {
			return nil, nil, err
		}
		for _, id := range ids {
			if _, ok := held[id]; !ok {
				held[id] = nil
			}
		}
		return es, held, nil
	}
	g, err := s.Snapshot(ctx, SnapshotQuery{LinkTypes: []LinkType{LinkHolds}})
	if err != nil {
		return nil, nil, fmt.Errorf("xref: %w", err)
	}
	if len(g.Nodes) > MaxXrefEntities {
		return nil, nil, fmt.Errorf("xref: %d entities, more than %d: give ids: %w", len(g.Nodes), MaxXrefEntities, ErrTooComplex)
	}
	docs := map[string][]string{}
	for i := range g.Nodes {
		if g.Nodes[i].Kind == KindIdentification {
			docs[g.Nodes[i].ID] = EntityIdentifiers(&g.Nodes[i])
		}
	}
	held := make(map[string][]string, len(g.Nodes))
	for i := range g.Nodes {
		held[g.Nodes[i].ID] = nil
	}
	for _, l := range g.Links {
		if l.Type == LinkHolds {
			held[l.Source] = append(held[l.Source], docs[l.Target]...)
		}
	}
	return g.Nodes, held, nil
}
