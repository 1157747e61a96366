package analysis

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/skein-project/skein/graph"
)

// Ownership is what one party holds of one asset, directly or through
// others, from the OWNS links of a snapshot.
//
// Share is the integrated ownership in percent: the sum, over every simple
// chain of OWNS links from Owner to Asset (no entity twice, so cycles are
// followed once round and never looped), of the product of the chain's
// percentages. Chains with a link whose percentage is not stated do not
// count towards Share; they are listed in Unknown, so the figure is a lower
// bound whenever Unknown is not empty. Direct is the summed percentage of
// the direct OWNS links, nil when there are none with a stated percentage.
type Ownership struct {
	Owner   graph.Entity `json:"owner"`
	Asset   graph.Entity `json:"asset"`
	Share   float64      `json:"share"`
	Direct  *float64     `json:"direct,omitempty"`
	Paths   []graph.Path `json:"paths"`   // chains with every percentage stated, owner first
	Unknown []graph.Path `json:"unknown"` // chains with a link whose percentage is not stated
	// Stated and Unstated count the chains of Paths and of Unknown, which
	// are empty when the question asked for the figures only
	// (OwnershipOptions.Chains false).
	Stated   int `json:"stated"`
	Unstated int `json:"unstated"`
}

// Complete reports whether every chain states its percentages, so that
// Share is the whole integrated ownership rather than a lower bound.
func (w Ownership) Complete() bool { return w.Unstated == 0 }

// OwnershipFinding is an asset that parties under designation hold, per
// SanctionsOwnership.
type OwnershipFinding struct {
	Asset  graph.Entity `json:"asset"`
	Owners []Ownership  `json:"owners"` // the designated owners counted, by share then id
	Share  float64      `json:"share"`  // the largest owner's share, or the combined share
	// MeetsThreshold: Share is more than the threshold. A finding that does
	// not meet it is listed only because chains with unstated percentages
	// leave the question open.
	MeetsThreshold bool `json:"meetsThreshold"`
	// UnknownShares: some chain from a designated owner has a link whose
	// percentage is not stated.
	UnknownShares bool `json:"unknownShares"`
}

// Statement says what a finding shows, in the words an analyst can put in
// a note: the data meets (or does not show) the ownership threshold; never
// a legal conclusion.
func (f OwnershipFinding) Statement(minShare float64, combined bool) string {
	who := "a designated party holds"
	if combined {
		who = "designated parties together hold"
	}
	s := fmt.Sprintf("On the recorded OWNS links, %s %s%% of %s (integrated ownership)", who, formatShare(f.Share), f.Asset.Name)
	switch {
	case f.MeetsThreshold:
		s += fmt.Sprintf(": meets the ownership threshold (more than %s%%)", formatShare(minShare))
	default:
		s += fmt.Sprintf(": does not meet the ownership threshold (more than %s%%) on stated percentages", formatShare(minShare))
	}
	if f.UnknownShares {
		s += "; some links do not state a percentage, so the share may be higher"
	}
	return s + "."
}

func formatShare(v float64) string {
	return fmt.Sprintf("%.4g", v)
}

// MaxOwnershipChains bounds the simple OWNS chains one ownership question
// may enumerate; a question needing more is refused (graph.ErrTooComplex).
const MaxOwnershipChains = graph.MaxOwnershipChains

// MaxOwnershipDepth is the longest chain followed, in links.
const MaxOwnershipDepth = graph.MaxDepth

// ownsGraph is the OWNS links of a snapshot, by owner and by asset, in
// link-id order.
type ownsGraph struct {
	x        *index
	links    []graph.Link
	pct      []float64 // NaN when not stated
	out, in  [][]int32 // link indexes by owner, by asset
	chains   int       // enumerated so far, against MaxOwnershipChains
	maxDepth int
}

func newOwnsGraph(ctx context.Context, g graph.Subgraph) (*ownsGraph, error) {
	x, err := newIndex(ctx, g)
	if err != nil {
		return nil, err
	}
	o := &ownsGraph{x: x, out: make([][]int32, x.len()), in: make([][]int32, x.len()), maxDepth: MaxOwnershipDepth}
	ls := slices.Clone(g.Links)
	slices.SortFunc(ls, func(a, b graph.Link) int { return cmp.Compare(a.ID, b.ID) })
	for _, l := range ls {
		if l.Type != graph.LinkOwns {
			continue
		}
		s, ok1 := x.find(l.Source)
		t, ok2 := x.find(l.Target)
		if !ok1 || !ok2 || s == t {
			continue
		}
		p, ok := l.Percentage()
		if !ok {
			p = math.NaN()
		}
		i := int32(len(o.links))
		o.links = append(o.links, l)
		o.pct = append(o.pct, p)
		o.out[s] = append(o.out[s], i)
		o.in[t] = append(o.in[t], i)
	}
	return o, nil
}

func (o *ownsGraph) entity(i int) graph.Entity { return *o.x.entities[i] }

// chainVisit is called by walk for each simple chain: the entity reached
// and the chain's links from the start, in walking order.
type chainVisit func(end int, links []int32) error

// walk enumerates the simple chains from start, forward (start owns) or
// backward (start is owned), calling visit for each chain's end.
func (o *ownsGraph) walk(ctx context.Context, start int, forward bool, stop func(node int) bool, visit chainVisit) error {
	onPath := make([]bool, o.x.len())
	onPath[start] = true
	var links []int32
	var rec func(v int) error
	rec = func(v int) error {
		adj := o.in[v]
		if forward {
			adj = o.out[v]
		}
		for _, li := range adj {
			w := o.x.at(o.links[li].Source)
			if forward {
				w = o.x.at(o.links[li].Target)
			}
			if onPath[w] {
				continue // a cycle: followed once round, never looped
			}
			o.chains++
			if o.chains > MaxOwnershipChains {
				return graph.ErrTooManyChains
			}
			if o.chains%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			links = append(links, li)
			if err := visit(w, links); err != nil {
				return err
			}
			if len(links) < o.maxDepth && (stop == nil || !stop(w)) {
				onPath[w] = true
				if err := rec(w); err != nil {
					return err
				}
				onPath[w] = false
			}
			links = links[:len(links)-1]
		}
		return nil
	}
	return rec(start)
}

// acc accumulates one (owner, asset) pair.
type acc struct {
	share   float64
	direct  float64
	hasDir  bool
	paths   [][]int32 // chains as link indexes, in walking order
	unknown [][]int32
	forward bool
}

func (o *ownsGraph) path(ids []int32, forward bool) graph.Path {
	ls := make([]graph.Link, len(ids))
	for i, li := range ids {
		ls[i] = o.links[li]
	}
	if !forward { // walked from the asset: reverse into owner-first order
		slices.Reverse(ls)
	}
	nodes := make([]graph.Entity, 0, len(ls)+1)
	nodes = append(nodes, o.entity(o.x.at(ls[0].Source)))
	for _, l := range ls {
		nodes = append(nodes, o.entity(o.x.at(l.Target)))
	}
	return graph.Path{Nodes: nodes, Links: ls}
}

// collect walks from start and accumulates, per entity reached, the chains
// to it.
func (o *ownsGraph) collect(ctx context.Context, start int, forward bool, stop func(int) bool, keep func(end int) bool) (map[int]*acc, error) {
	out := map[int]*acc{}
	err := o.walk(ctx, start, forward, stop, func(end int, links []int32) error {
		if keep != nil && !keep(end) {
			return nil
		}
		a := out[end]
		if a == nil {
			a = &acc{forward: forward}
			out[end] = a
		}
		prod, known := 1.0, true
		for _, li := range links {
			if math.IsNaN(o.pct[li]) {
				known = false
				break
			}
			prod *= o.pct[li] / 100
		}
		chain := slices.Clone(links)
		if !known {
			a.unknown = append(a.unknown, chain)
			return nil
		}
		a.share += prod * 100
		a.paths = append(a.paths, chain)
		if len(links) == 1 {
			a.direct += o.pct[links[0]]
			a.hasDir = true
		}
		return nil
	})
	return out, err
}

// tally is what collect accumulated for one (owner, asset) pair, as a
// store that walks the chains itself reports it.
func (o *ownsGraph) tally(owner, asset int, a *acc) graph.OwnershipTally {
	return graph.OwnershipTally{Owner: o.entity(owner), Asset: o.entity(asset), Share: a.share, Direct: a.direct, HasDirect: a.hasDir,
		Stated: len(a.paths), Unstated: len(a.unknown), Paths: o.paths(a.paths, a.forward), UnstatedPaths: o.paths(a.unknown, a.forward)}
}

// ownershipOf is the answer for one tally: shares rounded.
func ownershipOf(t graph.OwnershipTally) Ownership {
	w := Ownership{Owner: t.Owner, Asset: t.Asset, Share: roundShare(t.Share), Paths: t.Paths, Unknown: t.UnstatedPaths,
		Stated: t.Stated, Unstated: t.Unstated}
	if t.HasDirect {
		d := roundShare(t.Direct)
		w.Direct = &d
	}
	return w
}

func (o *ownsGraph) paths(chains [][]int32, forward bool) []graph.Path {
	out := make([]graph.Path, len(chains))
	for i, c := range chains {
		out[i] = o.path(c, forward)
	}
	return out
}

// roundShare drops the floating-point noise of products of percentages
// (0.5*0.6*100 = 30.000000000000004), so thresholds compare as people
// read them.
func roundShare(v float64) float64 { return math.Round(v*1e9) / 1e9 }

func checkMinShare(what string, minShare float64) error {
	if math.IsNaN(minShare) || minShare < 0 || minShare > 100 {
		return fmt.Errorf("%s: minShare must be between 0 and 100: %w", what, graph.ErrInvalid)
	}
	return nil
}

// Holdings lists what id holds, directly or indirectly, over the OWNS links
// of g: one Ownership per asset whose share is at least minShare, or that
// is reached by chains with an unstated percentage (reported, not guessed).
// Ordered by share descending, then asset id. g should hold the owned side
// of id to MaxOwnershipDepth (store.Snapshot(graph.SnapshotQuery{IDs:
// []string{id}, Depth: MaxOwnershipDepth, LinkTypes: []graph.LinkType{
// graph.LinkOwns}})); chains longer than MaxOwnershipDepth are not
// followed.
func Holdings(ctx context.Context, g graph.Subgraph, id string, minShare float64) ([]Ownership, error) {
	return holdingsOrOwners(ctx, g, id, minShare, true)
}

// Owners lists who holds id, directly or indirectly, as Holdings does in
// the other direction.
func Owners(ctx context.Context, g graph.Subgraph, id string, minShare float64) ([]Ownership, error) {
	return holdingsOrOwners(ctx, g, id, minShare, false)
}

func holdingsOrOwners(ctx context.Context, g graph.Subgraph, id string, minShare float64, forward bool) ([]Ownership, error) {
	what := "owners"
	if forward {
		what = "holdings"
	}
	if err := checkMinShare(what, minShare); err != nil {
		return nil, err
	}
	o, err := newOwnsGraph(ctx, g)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	start, ok := o.x.find(id)
	if !ok {
		return nil, fmt.Errorf("%s: entity %q: %w", what, id, graph.ErrNotFound)
	}
	accs, err := o.collect(ctx, start, forward, nil, nil)
	if err != nil {
		return nil, err
	}
	ts := make([]graph.OwnershipTally, 0, len(accs))
	for end, a := range accs {
		owner, asset := start, end
		if !forward {
			owner, asset = end, start
		}
		ts = append(ts, o.tally(owner, asset, a))
	}
	return ownerships(ts, minShare, forward), nil
}

// ownerships is the answer of Holdings (forward) or Owners from the
// tallies of the chains from or to one entity.
func ownerships(ts []graph.OwnershipTally, minShare float64, forward bool) []Ownership {
	out := []Ownership{}
	for _, t := range ts {
		w := ownershipOf(t)
		if w.Share >= minShare || w.Unstated > 0 {
			out = append(out, w)
		}
	}
	sortOwnerships(out, forward)
	return out
}

func sortOwnerships(ws []Ownership, byAsset bool) {
	slices.SortFunc(ws, func(a, b Ownership) int {
		if c := cmp.Compare(b.Share, a.Share); c != 0 {
			return c
		}
		if byAsset {
			return cmp.Compare(a.Asset.ID, b.Asset.ID)
		}
		return cmp.Compare(a.Owner.ID, b.Owner.ID)
	})
}

// SanctionsOwnership lists the undesignated entities that designated
// parties hold more than minShare percent of, over the OWNS links of g
// (the whole graph: store.Snapshot(graph.SnapshotQuery{LinkTypes:
// []graph.LinkType{graph.LinkOwns}})), as UK and EU practice frames the
// question ("owned or controlled": more than 50%).
//
// Without combined, a finding is an asset that one designated party holds
// more than minShare of; its Owners are the designated parties that each
// do, and Share the largest. With combined, the shares of every designated
// party are added up, counting only chains that pass through no other
// designated party (so that a designated holding company and its
// designated owner are not counted twice); Owners are all the designated
// parties with a share or an unstated one.
//
// Assets whose stated shares do not exceed minShare but that designated
// parties reach through links with no stated percentage are listed too,
// with MeetsThreshold false and UnknownShares true: the data leaves the
// question open. Findings are ordered by MeetsThreshold, then Share
// descending, then asset id. designated(e) says whether an entity counts
// as designated (e.Sanctioned(), or in force at a date).
func SanctionsOwnership(ctx context.Context, g graph.Subgraph, minShare float64, combined bool, designated func(graph.Entity) bool) ([]OwnershipFinding, error) {
	if err := checkMinShare("sanctionsOwnership", minShare); err != nil {
		return nil, err
	}
	if designated == nil {
		designated = func(e graph.Entity) bool { return e.Sanctioned() }
	}
	o, err := newOwnsGraph(ctx, g)
	if err != nil {
		return nil, fmt.Errorf("sanctionsOwnership: %w", err)
	}
	isDesignated := make([]bool, o.x.len())
	var owners []int
	for i := range o.x.ids {
		if designated(*o.x.entities[i]) {
			isDesignated[i] = true
			if len(o.out[i]) > 0 {
				owners = append(owners, i)
			}
		}
	}
	var ts []graph.OwnershipTally
	for _, d := range owners {
		var stop func(int) bool
		if combined {
			stop = func(n int) bool { return isDesignated[n] }
		}
		accs, err := o.collect(ctx, d, true, stop, func(end int) bool { return !isDesignated[end] })
		if err != nil {
			return nil, err
		}
		for end, a := range accs {
			ts = append(ts, o.tally(d, end, a))
		}
	}
	return findings(ts, minShare, combined), nil
}

// findings is the answer of SanctionsOwnership from the tallies of the
// chains from designated owners to undesignated assets.
func findings(ts []graph.OwnershipTally, minShare float64, combined bool) []OwnershipFinding {
	byAsset := map[string][]graph.OwnershipTally{}
	for _, t := range ts {
		byAsset[t.Asset.ID] = append(byAsset[t.Asset.ID], t)
	}
	out := []OwnershipFinding{}
	for _, held := range byAsset {
		// Owners in id order, so that combined shares add up in one order.
		slices.SortFunc(held, func(a, b graph.OwnershipTally) int { return cmp.Compare(a.Owner.ID, b.Owner.ID) })
		f := OwnershipFinding{Asset: held[0].Asset}
		ws := make([]Ownership, len(held))
		for i, t := range held {
			ws[i] = ownershipOf(t)
			if t.Unstated > 0 {
				f.UnknownShares = true
			}
			if combined {
				f.Share += ws[i].Share
			} else {
				f.Share = max(f.Share, ws[i].Share)
			}
		}
		f.Share = roundShare(f.Share)
		f.MeetsThreshold = f.Share > minShare
		if !f.MeetsThreshold && !f.UnknownShares {
			continue
		}
		// Owners: those over the threshold alone (per owner), else every
		// designated owner with a share or an unstated one.
		var counted []Ownership
		alone := !combined && f.MeetsThreshold
		for _, w := range ws {
			if (alone && w.Share > minShare) || (!alone && (w.Share > 0 || w.Unstated > 0)) {
				counted = append(counted, w)
			}
		}
		sortOwnerships(counted, false)
		f.Owners = counted
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b OwnershipFinding) int {
		if a.MeetsThreshold != b.MeetsThreshold {
			if a.MeetsThreshold {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.Share, a.Share); c != 0 {
			return c
		}
		return cmp.Compare(a.Asset.ID, b.Asset.ID)
	})
	return out
}
