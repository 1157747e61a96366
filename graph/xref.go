package graph

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
	if err := matchThreshold(&q.Threshold, "xref"); err != nil {
		return err
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
	var pairs []xrefHit
	var subjectOf func(e *Entity) *subject
	if len(q.IDs) == 0 {
		// The whole graph is in memory already: block there.
		pairs, subjectOf, err = xrefWhole(ctx, scope, held, judged, q.Threshold)
	} else {
		pairs, subjectOf, err = xrefSome(ctx, s, scope, held, judged, q.Threshold)
	}
	if err != nil {
		return XrefPage{}, err
	}
	slices.SortFunc(pairs, func(x, y xrefHit) int {
		if x.score != y.score {
			return cmpDesc(x.score, y.score)
		}
		if c := strings.Compare(x.a.ID, y.a.ID); c != 0 {
			return c
		}
		return strings.Compare(x.b.ID, y.b.ID)
	})
	startAt := 0
	if after != nil {
		startAt = len(pairs)
		for i, p := range pairs {
			key := p.a.ID + " " + p.b.ID
			if p.score < after.Score || (p.score == after.Score && key > after.ID) {
				startAt = i
				break
			}
		}
	}
	end := min(startAt+q.First, len(pairs))
	page := XrefPage{Pairs: make([]XrefPair, 0, end-startAt), HasNextPage: end < len(pairs), Total: len(pairs)}
	// The entities were fetched for scoring (scoringSelection); the
	// page's come whole.
	var pageIDs []string
	for _, h := range pairs[startAt:end] {
		pageIDs = append(pageIDs, h.a.ID, h.b.ID)
	}
	whole, err := wholeEntities(ctx, s, pageIDs)
	if err != nil {
		return XrefPage{}, fmt.Errorf("xref: %w", err)
	}
	ex := scorer{explain: true}
	for _, h := range pairs[startAt:end] {
		a, okA := whole[h.a.ID]
		b, okB := whole[h.b.ID]
		if !okA || !okB {
			return XrefPage{}, fmt.Errorf("xref: %s or %s vanished: %w", h.a.ID, h.b.ID, ErrNotFound)
		}
		page.Pairs = append(page.Pairs, XrefPair{A: a, B: b, Score: h.score, Verdict: h.verdict,
			Cursor:   EncodeCursor(h.score, h.a.ID+" "+h.b.ID),
			Features: ex.compare(subjectOf(h.a), subjectOf(h.b)).features})
	}
	return page, nil
}

// xrefHit is a pair xref keeps, A's id before B's; only the page's
// become XrefPairs (a large graph can have hundreds of thousands).
type xrefHit struct {
	a, b    *Entity
	score   float64
	verdict Verdict
}

// settled reports whether a judgement has decided the pair, so xref
// leaves it out.
// unnumberedDocuments reports whether a (of subject sa) and a candidate of
// its kind (sb) are identity documents without a number in common. An
// identity document is the one its number names (FtM does not match
// Identification by name), so such a pair is never proposed, however alike
// the captions that describe them.
func unnumberedDocuments(a *Entity, sa, sb *subject) bool {
	return a.Kind == KindIdentification && !hasCommon(sa.ids, sb.ids)
}

func settled(judged map[string]Verdict, a, b string) (Verdict, bool) {
	v := judged[PairKey(a, b)]
	return v, v == VerdictDifferent || v == VerdictSame
}

// newHit orders a pair's entities by id.
func newHit(a, b *Entity, score float64, v Verdict) xrefHit {
	if b.ID < a.ID {
		a, b = b, a
	}
	return xrefHit{a: a, b: b, score: score, verdict: v}
}

// xrefWhole is Xref over the whole graph, blocking in memory (blockIndex).
// A candidate is scored only when nameBound and canReach say it might
// reach the threshold, which most candidates of a large graph (sharing
// one common token) cannot: the pairs are those that scoring every
// candidate would keep. Two passes, each spread over the cores: first
// every entity's candidates that might reach the threshold (reach, in
// slot order), then each such pair scored once: where it was found,
// unless it was found from both ends, then at the end of the lower slot.
func xrefWhole(ctx context.Context, scope []Entity, held map[string][]string, judged map[string]Verdict,
	threshold float64) ([]xrefHit, func(*Entity) *subject, error) {
	bx := newBlockIndex(scope, held)
	n := len(scope)
	subjects := make([]subject, n)
	shapes := make([]nameShape, n)
	slot := make(map[string]int32, n)
	for i := range scope {
		subjects[i] = entitySubject(&scope[i], held[scope[i].ID])
		shapes[i] = shapeOf(&subjects[i])
		slot[scope[i].ID] = int32(i)
	}
	workers := xrefWorkers(n)
	reach := make([][]int32, n)
	err := inChunks(ctx, n, workers, func() func(a int32) error {
		w := bx.newScratch()
		var keep []int32
		return func(a int32) error {
			e := &scope[a]
			cq := candidateQuery(e.Names(), subjects[a].ids, e.Kind)
			cq.Kinds = []Kind{e.Kind}
			if err := cq.Normalize(); err != nil {
				return err
			}
			keep = keep[:0]
			aBits := nameBits(&shapes[a], cq.Tokens)
			for _, b := range bx.candidates(w, &cq) {
				if b == a {
					continue
				}
				sl := &w.slots[b]
				name := nameBound(&shapes[a], &shapes[b], int(sl.tokRank), sl.partSum, sl.kBits, aBits)
				if canReach(&subjects[a], &subjects[b], name, threshold) {
					keep = append(keep, b)
				}
			}
			if len(keep) > 0 {
				reach[a] = slices.Sorted(slices.Values(keep))
			}
			return nil
		}
	})
	if err != nil {
		return nil, nil, fmt.Errorf("xref: %w", err)
	}
	found := make([][]xrefHit, workers)
	var next atomic.Int32
	err = inChunks(ctx, n, workers, func() func(a int32) error {
		var sc scorer
		me := int(next.Add(1)) - 1
		return func(a int32) error {
			e := &scope[a]
			for _, b := range reach[a] {
				if b < a {
					if _, both := slices.BinarySearch(reach[b], a); both {
						continue // scored at b
					}
				}
				if unnumberedDocuments(e, &subjects[a], &subjects[b]) {
					continue
				}
				res := sc.compare(&subjects[a], &subjects[b])
				if res.vetoed || res.score < threshold {
					continue
				}
				var v Verdict
				if len(judged) > 0 {
					var done bool
					if v, done = settled(judged, e.ID, scope[b].ID); done {
						continue
					}
				}
				found[me] = append(found[me], newHit(e, &scope[b], res.score, v))
			}
			return nil
		}
	})
	if err != nil {
		return nil, nil, fmt.Errorf("xref: %w", err)
	}
	return slices.Concat(found...), func(e *Entity) *subject { return &subjects[slot[e.ID]] }, nil
}

// xrefWorkers is how many goroutines a whole-graph xref of n entities
// runs on: one per core, fewer for a small graph.
func xrefWorkers(n int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/xrefChunk))
}

// xrefChunk is how many consecutive slots a worker takes at a time; a
// variable so that tests spread a small graph over every worker.
var xrefChunk = 512

// inChunks calls, on each of workers goroutines, start once for its own
// state, then the function it returns for slots of [0, n) taken in
// chunks, until all are done, one fails or ctx is done.
func inChunks(ctx context.Context, n, workers int, start func() func(a int32) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do := start()
			for {
				lo := int(next.Add(int64(xrefChunk))) - xrefChunk
				if lo >= n {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[w] = err
					return
				}
				for a := lo; a < min(lo+xrefChunk, n); a++ {
					if err := do(int32(a)); err != nil {
						errs[w] = err
						next.Store(int64(n)) // the others stop at their next chunk
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// xrefSome is Xref of some entities against the graph, blocking in the
// store (Store.Candidates), xrefBatch entities a call.
func xrefSome(ctx context.Context, s Store, scope []Entity, held map[string][]string, judged map[string]Verdict,
	threshold float64) ([]xrefHit, func(*Entity) *subject, error) {
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
	var pairs []xrefHit
	for start := 0; start < len(scope); start += xrefBatch {
		batch := scope[start:min(start+xrefBatch, len(scope))]
		cqs := make([]CandidateQuery, len(batch))
		for i := range batch {
			cqs[i] = candidateQuery(batch[i].Names(), subjectOf(&batch[i]).ids, batch[i].Kind)
			cqs[i].Kinds = []Kind{batch[i].Kind}
			cqs[i].Select = scoringSelection
		}
		found, err := s.Candidates(ctx, cqs)
		if err != nil {
			return nil, nil, fmt.Errorf("xref: %w", err)
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
			return nil, nil, err
		}
		for _, id := range more {
			held[id] = h[id]
		}
		for i := range batch {
			a := &batch[i]
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
				if unnumberedDocuments(a, subjectOf(a), subjectOf(b)) {
					continue
				}
				res := sc.compare(subjectOf(a), subjectOf(b))
				if res.vetoed || res.score < threshold {
					continue
				}
				v, done := settled(judged, a.ID, b.ID)
				if done {
					continue
				}
				pairs = append(pairs, newHit(a, b, res.score, v))
			}
		}
	}
	return pairs, subjectOf, nil
}

// xrefScope returns the entities to compare, by id, and the identifiers
// each holds: the given ids, or the whole graph (one snapshot with the
// HOLDS links only, and of the entities what scoring reads).
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
	// The store's count refuses a graph too large at once: the snapshot of
	// a million entities takes minutes over Bolt before its size is known.
	// The snapshot is checked again, for entities added in between.
	st, err := s.Stats(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("xref: %w", err)
	}
	if err := xrefSize(st.Entities); err != nil {
		return nil, nil, err
	}
	g, err := s.Snapshot(ctx, SnapshotQuery{LinkTypes: []LinkType{LinkHolds}, Select: scoringSelection})
	if err != nil {
		return nil, nil, fmt.Errorf("xref: %w", err)
	}
	if err := xrefSize(len(g.Nodes)); err != nil {
		return nil, nil, err
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

// xrefSize refuses a whole-graph xref of more than MaxXrefEntities.
func xrefSize(entities int) error {
	if entities > MaxXrefEntities {
		return fmt.Errorf("xref: %d entities, more than %d: give ids: %w", entities, MaxXrefEntities, ErrTooComplex)
	}
	return nil
}
