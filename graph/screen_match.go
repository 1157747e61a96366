package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Match screens queries against the store: for each, the store's blocking
// (Store.Candidates) proposes entities, and each is scored here, once for
// every store, so both answer the same. Results are in the order of qs;
// candidates best first (score, then the unclamped sum, then id), at most
// o.Limit of them, every candidate scoring above 0.
func Match(ctx context.Context, s Store, qs []MatchQuery, o MatchOptions) ([]MatchResult, error) {
	if err := NormalizeMatch(qs, &o); err != nil {
		return nil, err
	}
	cqs := make([]CandidateQuery, len(qs))
	for i := range qs {
		cqs[i] = candidateQuery(qs[i].Names, qs[i].Identifiers, qs[i].Kind)
		cqs[i].Select = scoringSelection
	}
	found, err := s.Candidates(ctx, cqs)
	if err != nil {
		return nil, fmt.Errorf("match: %w", err)
	}
	found, err = holdersOf(ctx, s, found, qs)
	if err != nil {
		return nil, err
	}
	// The documents an entity holds count only against a query with
	// identifiers (an identifier on one side alone scores nothing), so
	// the other queries' candidates are scored without them, and only
	// the ones returned are looked up, for their explanations.
	var all []string
	for i, es := range found {
		if len(qs[i].Identifiers) == 0 {
			continue
		}
		for k := range es {
			all = append(all, es[k].ID)
		}
	}
	held, err := HeldIdentifiers(ctx, s, all)
	if err != nil {
		return nil, err
	}
	var sc, ex scorer
	ex.explain = true
	out := make([]MatchResult, len(qs))
	var later []string
	for i := range qs {
		q := querySubject(&qs[i])
		type cand struct {
			c   MatchCandidate
			raw float64
		}
		var cs []cand
		for _, e := range found[i] {
			es := entitySubject(&e, held[e.ID])
			r := sc.compare(&q, &es)
			if r.score <= 0 {
				continue
			}
			cs = append(cs, cand{MatchCandidate{Entity: e, Score: r.score, Match: !r.vetoed && r.score >= o.Threshold}, r.raw})
		}
		slices.SortFunc(cs, func(a, b cand) int {
			switch {
			case a.c.Score != b.c.Score:
				return cmpDesc(a.c.Score, b.c.Score)
			case a.raw != b.raw:
				return cmpDesc(a.raw, b.raw)
			}
			return strings.Compare(a.c.Entity.ID, b.c.Entity.ID)
		})
		if len(cs) > o.Limit {
			cs = cs[:o.Limit]
		}
		out[i] = MatchResult{Key: qs[i].Key, Candidates: make([]MatchCandidate, len(cs))}
		for k := range cs {
			out[i].Candidates[k] = cs[k].c
			if len(qs[i].Identifiers) == 0 {
				later = append(later, cs[k].c.Entity.ID)
			}
		}
	}
	more, err := HeldIdentifiers(ctx, s, later)
	if err != nil {
		return nil, err
	}
	for id, h := range more {
		held[id] = h
	}
	var returned []string
	for i := range out {
		q := querySubject(&qs[i])
		for k := range out[i].Candidates {
			c := &out[i].Candidates[k]
			es := entitySubject(&c.Entity, held[c.Entity.ID])
			c.Features = ex.compare(&q, &es).features
			returned = append(returned, c.Entity.ID)
		}
	}
	// Blocking fetched what scoring reads (scoringSelection); the
	// candidates returned come whole.
	whole, err := wholeEntities(ctx, s, returned)
	if err != nil {
		return nil, fmt.Errorf("match: %w", err)
	}
	for i := range out {
		for k := range out[i].Candidates {
			c := &out[i].Candidates[k]
			e, ok := whole[c.Entity.ID]
			if !ok {
				return nil, fmt.Errorf("match: candidate %q vanished: %w", c.Entity.ID, ErrNotFound)
			}
			c.Entity = e
		}
	}
	return out, nil
}

// wholeEntities fetches the entities of ids (any number, repeated or not)
// whole, by id.
func wholeEntities(ctx context.Context, s Store, ids []string) (map[string]Entity, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	out := make(map[string]Entity, len(ids))
	for start := 0; start < len(ids); start += MaxIDsPerQuery {
		es, err := s.Entities(ctx, ids[start:min(start+MaxIDsPerQuery, len(ids))])
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			out[e.ID] = e
		}
	}
	return out, nil
}

func cmpDesc(a, b float64) int {
	if a > b {
		return -1
	}
	return 1
}

// candidateQuery blocks on the names' tokens and the identifiers. A query
// of one kind also asks for identity documents, whose holders stand in
// for them (holdersOf).
func candidateQuery(names, ids []string, kind Kind) CandidateQuery {
	q := CandidateQuery{}
	for _, toks := range BlockNames(names) {
		if len(toks) > MaxMatchNameTokens {
			toks = toks[:MaxMatchNameTokens]
		}
		q.Tokens = append(q.Tokens, toks...)
	}
	for _, id := range ids {
		if v := NormalIdentifier(id); v != "" {
			q.Identifiers = append(q.Identifiers, v)
		}
	}
	if kind != "" {
		q.Kinds = []Kind{kind}
		if kind != KindIdentification && len(q.Identifiers) > 0 {
			q.Kinds = append(q.Kinds, KindIdentification)
		}
	}
	return q
}

// holdersOf replaces the identity documents that blocking found by their
// identifier with the entities holding them (unless the query asks for
// documents), keeping each entity once and the query's kind.
func holdersOf(ctx context.Context, s Store, found [][]Entity, qs []MatchQuery) ([][]Entity, error) {
	var docs []string
	for i, es := range found {
		for _, e := range es {
			if e.Kind == KindIdentification && qs[i].Kind != KindIdentification {
				docs = append(docs, e.ID)
			}
		}
	}
	if len(docs) == 0 {
		return found, nil
	}
	links, err := linksOfChunked(ctx, s, docs, DirectionIncoming)
	if err != nil {
		return nil, err
	}
	var holderIDs []string
	for _, ls := range links {
		for _, l := range ls {
			holderIDs = append(holderIDs, l.Source)
		}
	}
	holders := map[string]Entity{}
	for start := 0; start < len(holderIDs); start += MaxIDsPerQuery {
		es, err := s.Entities(ctx, holderIDs[start:min(start+MaxIDsPerQuery, len(holderIDs))])
		if err != nil {
			return nil, fmt.Errorf("match: holders: %w", err)
		}
		for _, e := range es {
			holders[e.ID] = e
		}
	}
	for i, es := range found {
		var keep []Entity
		seen := map[string]bool{}
		push := func(e Entity) {
			if !seen[e.ID] && (qs[i].Kind == "" || e.Kind == qs[i].Kind) {
				seen[e.ID] = true
				keep = append(keep, e)
			}
		}
		for _, e := range es {
			if e.Kind != KindIdentification || qs[i].Kind == KindIdentification {
				push(e)
				continue
			}
			for _, l := range links[e.ID] {
				if h, ok := holders[l.Source]; ok {
					push(h)
				}
			}
			if qs[i].Kind == "" {
				push(e)
			}
		}
		found[i] = keep
	}
	return found, nil
}

// HeldIdentifiers returns, for each of ids that holds identity documents
// (HOLDS links), the documents' identifiers.
func HeldIdentifiers(ctx context.Context, s Store, ids []string) (map[string][]string, error) {
	links, err := linksOfChunked(ctx, s, ids, DirectionOutgoing)
	if err != nil {
		return nil, err
	}
	var docIDs []string
	for _, ls := range links {
		for _, l := range ls {
			docIDs = append(docIDs, l.Target)
		}
	}
	docs := map[string][]string{}
	for start := 0; start < len(docIDs); start += MaxIDsPerQuery {
		es, err := s.Entities(ctx, docIDs[start:min(start+MaxIDsPerQuery, len(docIDs))])
		if err != nil {
			return nil, fmt.Errorf("match: identity documents: %w", err)
		}
		for i := range es {
			docs[es[i].ID] = EntityIdentifiers(&es[i])
		}
	}
	out := map[string][]string{}
	for id, ls := range links {
		for _, l := range ls {
			out[id] = append(out[id], docs[l.Target]...)
		}
	}
	return out, nil
}

func linksOfChunked(ctx context.Context, s Store, ids []string, dir Direction) (map[string][]Link, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	out := map[string][]Link{}
	for start := 0; start < len(ids); start += MaxIDsPerQuery {
		m, err := s.LinksOf(ctx, ids[start:min(start+MaxIDsPerQuery, len(ids))], []LinkType{LinkHolds}, dir, When{})
		if err != nil {
			return nil, fmt.Errorf("match: identity documents: %w", err)
		}
		for id, ls := range m {
			if len(ls) > 0 {
				out[id] = ls
			}
		}
	}
	return out, nil
}
