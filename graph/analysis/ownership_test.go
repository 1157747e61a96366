package analysis_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
	"github.com/skein-project/skein/graph/storetest"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// ownGraph is a random ownership graph: a few parties, OWNS links between
// them with random percentages (some unstated, some parallel, cycles
// wherever they fall) and a few designated parties.
type ownGraph struct {
	prefix     string
	ids        []string
	links      []graph.Link
	designated map[string]bool
}

var pcts = []float64{10, 20, 25, 33.3, 40, 50, 51, 60, 75, 100}

func randomOwnGraph(r *rand.Rand, prefix string) ownGraph {
	g := ownGraph{prefix: prefix, designated: map[string]bool{}}
	n := 4 + r.IntN(4)
	for i := range n {
		g.ids = append(g.ids, fmt.Sprintf("%s:n%d", prefix, i))
	}
	for i := range 2 + r.IntN(2*n) {
		a, b := r.IntN(n), r.IntN(n)
		if a == b {
			continue
		}
		l := graph.Link{ID: fmt.Sprintf("%s:l%02d", prefix, i), Type: graph.LinkOwns, Source: g.ids[a], Target: g.ids[b],
			Sources: []graph.SourceRef{{Document: "doc:t", Quote: fmt.Sprintf("hop %d", i)}}}
		if r.IntN(8) != 0 {
			l.Properties = map[string]string{"percentage": strconv.FormatFloat(pcts[r.IntN(len(pcts))], 'f', -1, 64)}
		}
		g.links = append(g.links, l)
	}
	// A link of another type must be ignored.
	g.links = append(g.links, graph.Link{ID: prefix + ":assoc", Type: graph.LinkAssociateOf, Source: g.ids[0], Target: g.ids[1]})
	for range 1 + r.IntN(2) {
		g.designated[g.ids[r.IntN(n)]] = true
	}
	return g
}

func (g ownGraph) batch() graph.Batch {
	var b graph.Batch
	for i, id := range g.ids {
		e := graph.Entity{ID: id, Kind: graph.KindCompany, Name: "Company " + id}
		if i%3 == 0 {
			e.Kind = graph.KindPerson
		}
		if g.designated[id] {
			e.Designations = []graph.Designation{{Regime: "Test", Authority: "UK", Sources: []graph.SourceRef{{Document: "doc:t", Quote: "designated"}}}}
		}
		b.Entities = append(b.Entities, e)
	}
	b.Links = g.links
	return b
}

// bruteShare is the reference: over every ordered sequence of distinct
// entities from owner to asset (not over the links, as the implementation
// walks), the product over consecutive pairs of the summed stated
// percentages of the OWNS links between them; and the counts of chains
// with every percentage stated and with some unstated. allowed says which
// entities may stand between owner and asset.
func (g ownGraph) bruteShare(owner, asset string, allowed func(string) bool) (share float64, known, unknown int) {
	type pair struct {
		sum         float64
		all, stated int
	}
	between := func(a, b string) pair {
		var p pair
		for _, l := range g.links {
			if l.Type == graph.LinkOwns && l.Source == a && l.Target == b {
				p.all++
				if v, ok := l.Properties["percentage"]; ok {
					f, _ := strconv.ParseFloat(v, 64)
					p.sum += f
					p.stated++
				}
			}
		}
		return p
	}
	var others []string
	for _, id := range g.ids {
		if id != owner && id != asset && (allowed == nil || allowed(id)) {
			others = append(others, id)
		}
	}
	var seq []string
	used := make([]bool, len(others))
	var rec func()
	score := func() {
		nodes := append(append([]string{owner}, seq...), asset)
		if len(nodes)-1 > analysis.MaxOwnershipDepth {
			return
		}
		prod, all, stated := 1.0, 1, 1
		for i := 0; i+1 < len(nodes); i++ {
			p := between(nodes[i], nodes[i+1])
			prod *= p.sum / 100
			all *= p.all
			stated *= p.stated
		}
		share += prod * 100
		known += stated
		unknown += all - stated
	}
	rec = func() {
		score()
		for i, o := range others {
			if !used[i] {
				used[i] = true
				seq = append(seq, o)
				rec()
				seq = seq[:len(seq)-1]
				used[i] = false
			}
		}
	}
	rec()
	return share, known, unknown
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// checkChains checks that every chain listed runs from the owner to the
// asset over OWNS links, forward, visiting no entity twice, with the quote
// of every hop.
func checkChains(t *testing.T, w analysis.Ownership) {
	t.Helper()
	for _, p := range append(slices.Clone(w.Paths), w.Unknown...) {
		if p.Nodes[0].ID != w.Owner.ID || p.Nodes[len(p.Nodes)-1].ID != w.Asset.ID || len(p.Nodes) != len(p.Links)+1 {
			t.Errorf("chain %v does not run from %s to %s", pathIDs(p), w.Owner.ID, w.Asset.ID)
		}
		seen := map[string]bool{}
		for i, l := range p.Links {
			if l.Type != graph.LinkOwns || l.Source != p.Nodes[i].ID || l.Target != p.Nodes[i+1].ID || len(l.Sources) == 0 {
				t.Errorf("chain %v: hop %d is %+v", pathIDs(p), i, l)
			}
			if seen[p.Nodes[i].ID] {
				t.Errorf("chain %v visits %s twice", pathIDs(p), p.Nodes[i].ID)
			}
			seen[p.Nodes[i].ID] = true
		}
	}
}

func pathIDs(p graph.Path) []string {
	var out []string
	for _, n := range p.Nodes {
		out = append(out, n.ID)
	}
	return out
}

// TestOwnershipBruteForce compares Holdings, Owners and SanctionsOwnership
// (per owner and combined) with the brute-force reference on random
// ownership graphs written to each store and read back as snapshots.
func TestOwnershipBruteForce(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(14, 1))
	var graphs []ownGraph
	var all graph.Batch
	for i := range 25 {
		g := randomOwnGraph(r, fmt.Sprintf("g%02d", i))
		graphs = append(graphs, g)
		b := g.batch()
		all.Entities = append(all.Entities, b.Entities...)
		all.Links = append(all.Links, b.Links...)
	}
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		if err := s.Upsert(ctx, all); err != nil {
			t.Fatal(err)
		}
		whole, err := s.Snapshot(ctx, graph.SnapshotQuery{LinkTypes: []graph.LinkType{graph.LinkOwns}})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range graphs {
			for _, id := range g.ids {
				sg, err := s.Snapshot(ctx, graph.SnapshotQuery{IDs: []string{id}, Depth: analysis.MaxOwnershipDepth, LinkTypes: []graph.LinkType{graph.LinkOwns}})
				if err != nil {
					t.Fatal(err)
				}
				for _, minShare := range []float64{0, 50} {
					hs, err := analysis.Holdings(ctx, sg, id, minShare)
					if err != nil {
						t.Fatal(err)
					}
					storetest.SameOwnerships(t, fmt.Sprintf("holdings of %s (min %v)", id, minShare), hs, func(o analysis.OwnershipOptions) ([]analysis.Ownership, error) {
						return analysis.HoldingsIn(ctx, s, id, o)
					}, analysis.OwnershipOptions{MinShare: minShare})
					got := map[string]analysis.Ownership{}
					for _, w := range hs {
						got[w.Asset.ID] = w
						checkChains(t, w)
					}
					os, err := analysis.Owners(ctx, sg, id, minShare)
					if err != nil {
						t.Fatal(err)
					}
					storetest.SameOwnerships(t, fmt.Sprintf("owners of %s (min %v)", id, minShare), os, func(o analysis.OwnershipOptions) ([]analysis.Ownership, error) {
						return analysis.OwnersIn(ctx, s, id, o)
					}, analysis.OwnershipOptions{MinShare: minShare})
					gotOwners := map[string]analysis.Ownership{}
					for _, w := range os {
						gotOwners[w.Owner.ID] = w
						checkChains(t, w)
					}
					for _, other := range g.ids {
						if other == id {
							continue
						}
						for _, c := range []struct {
							what         string
							owner, asset string
							got          map[string]analysis.Ownership
							key          string
						}{{"holdings", id, other, got, other}, {"owners", other, id, gotOwners, other}} {
							share, known, unknown := g.bruteShare(c.owner, c.asset, nil)
							w, listed := c.got[c.key]
							wantListed := (share >= minShare && known > 0) || unknown > 0
							if listed != wantListed {
								t.Errorf("%s of %s (min %v): %s listed %v, want %v (share %v, %d+%d chains)", c.what, id, minShare, c.key, listed, wantListed, share, known, unknown)
								continue
							}
							if listed && (!near(w.Share, share) || len(w.Paths) != known || len(w.Unknown) != unknown) {
								t.Errorf("%s %s -> %s: share %v with %d+%d chains, want %v with %d+%d", c.what, c.owner, c.asset, w.Share, len(w.Paths), len(w.Unknown), share, known, unknown)
							}
						}
					}
				}
			}
		}
		for _, combined := range []bool{false, true} {
			for _, minShare := range []float64{0, 25, 50} {
				fs, err := analysis.SanctionsOwnership(ctx, whole, minShare, combined, nil)
				if err != nil {
					t.Fatal(err)
				}
				in, err := analysis.SanctionsOwnershipIn(ctx, s, combined, analysis.OwnershipOptions{MinShare: minShare, Chains: true})
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(in, fs) {
					t.Errorf("sanctionsOwnership(min %v, combined %v) from the store differs from the snapshot's:\n%s\nwant\n%s", minShare, combined, storetest.FindingsText(in), storetest.FindingsText(fs))
				}
				got := map[string]analysis.OwnershipFinding{}
				for _, f := range fs {
					got[f.Asset.ID] = f
					if f.MeetsThreshold != (f.Share > minShare) || !strings.Contains(f.Statement(minShare, combined), "ownership threshold") {
						t.Errorf("finding %+v", f)
					}
				}
				for _, g := range graphs {
					for _, asset := range g.ids {
						if g.designated[asset] {
							if _, ok := got[asset]; ok {
								t.Errorf("designated %s listed as held", asset)
							}
							continue
						}
						var want float64
						anyUnknown := false
						for d := range g.designated {
							var allowed func(string) bool
							if combined {
								allowed = func(id string) bool { return !g.designated[id] }
							}
							share, _, unknown := g.bruteShare(d, asset, allowed)
							if unknown > 0 {
								anyUnknown = true
							}
							if combined {
								want += share
							} else {
								want = max(want, share)
							}
						}
						f, listed := got[asset]
						wantListed := want > minShare || anyUnknown
						if listed != wantListed {
							t.Errorf("sanctionsOwnership(min %v, combined %v): %s listed %v, want %v (share %v, unknown %v)", minShare, combined, asset, listed, wantListed, want, anyUnknown)
							continue
						}
						if listed && (!near(f.Share, want) || f.UnknownShares != anyUnknown) {
							t.Errorf("sanctionsOwnership(min %v, combined %v): %s share %v unknown %v, want %v %v", minShare, combined, asset, f.Share, f.UnknownShares, want, anyUnknown)
						}
					}
				}
			}
		}
	})
}

func TestOwnershipErrors(t *testing.T) {
	ctx := context.Background()
	g := graph.Subgraph{Nodes: []graph.Entity{{ID: "a", Kind: graph.KindPerson, Name: "A"}}}
	if _, err := analysis.Holdings(ctx, g, "missing", 0); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	for _, bad := range []float64{-1, 100.5, math.NaN()} {
		if _, err := analysis.Owners(ctx, g, "a", bad); !errors.Is(err, graph.ErrInvalid) {
			t.Errorf("minShare %v: %v", bad, err)
		}
		if _, err := analysis.SanctionsOwnership(ctx, g, bad, false, nil); !errors.Is(err, graph.ErrInvalid) {
			t.Errorf("minShare %v: %v", bad, err)
		}
	}
	// A dense graph has more simple chains than the limit allows: refused.
	var dense graph.Subgraph
	for i := range 14 {
		dense.Nodes = append(dense.Nodes, graph.Entity{ID: fmt.Sprintf("c%02d", i), Kind: graph.KindCompany, Name: "C"})
	}
	for i := range 14 {
		for j := range 14 {
			if i != j {
				dense.Links = append(dense.Links, graph.Link{ID: fmt.Sprintf("l%02d-%02d", i, j), Type: graph.LinkOwns,
					Source: dense.Nodes[i].ID, Target: dense.Nodes[j].ID, Properties: map[string]string{"percentage": "5"}})
			}
		}
	}
	if _, err := analysis.Holdings(ctx, dense, "c00", 0); !errors.Is(err, graph.ErrTooComplex) {
		t.Errorf("dense graph: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := analysis.Holdings(cancelled, dense, "c00", 0); !errors.Is(err, context.Canceled) && !errors.Is(err, graph.ErrTooComplex) {
		t.Errorf("cancelled: %v", err)
	}
}
