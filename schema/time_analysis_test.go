package schema

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
	"github.com/skein-project/skein/graph/storetest"
)

// The asOf argument of disruption, keyPlayers, brokerage, holdings, owners
// and sanctionsOwnership, on a generated dated graph, against a reference:
// the undated whole graph with the links and designations not in force at
// the date dropped by storetest.RefOverlaps, the literal day-by-day reading
// of the date texts (no graph.Span or InForce), then the same analysis run
// on it.

// refAsOf is g with only the links of types (all when none) and the
// designations in force at at (all when at is "").
func refAsOf(g graph.Subgraph, at string, types ...graph.LinkType) graph.Subgraph {
	var out graph.Subgraph
	for _, e := range g.Nodes {
		var ds []graph.Designation
		for _, d := range e.Designations {
			if at == "" || storetest.RefOverlaps(d.ListedOn, d.DelistedOn, graph.When{AsOf: at}) {
				ds = append(ds, d)
			}
		}
		e.Designations = ds
		out.Nodes = append(out.Nodes, e)
	}
	for _, l := range g.Links {
		if (at == "" || storetest.RefOverlaps(l.StartDate, l.EndDate, graph.When{AsOf: at})) && (len(types) == 0 || slices.Contains(types, l.Type)) {
			out.Links = append(out.Links, l)
		}
	}
	return out
}

// datedGraph is a random network of people, groups and companies whose
// links carry spells at every precision (some open-ended, some undated),
// with percentages on most OWNS links and some designations listed and
// delisted.
func datedGraph(rng *rand.Rand) graph.Batch {
	date := func() string {
		y := 2014 + rng.IntN(11)
		switch rng.IntN(3) {
		case 0:
			return fmt.Sprint(y)
		case 1:
			return fmt.Sprintf("%d-%02d", y, 1+rng.IntN(12))
		}
		return fmt.Sprintf("%d-%02d-%02d", y, 1+rng.IntN(12), 1+rng.IntN(28))
	}
	spell := func() (string, string) {
		for {
			s, e := "", ""
			switch rng.IntN(5) {
			case 0: // undated
			case 1:
				s = date() // open-ended
			case 2:
				e = date()
			default:
				s, e = date(), date()
			}
			l := graph.Link{ID: "x:x", Type: graph.LinkLinkedTo, Source: "a:a", Target: "b:b", StartDate: s, EndDate: e}
			if l.Validate() == nil {
				return s, e
			}
		}
	}
	src := []graph.SourceRef{{Document: "doc:uk-gim-sanctions-2025-10-23", Quote: "generated for a test"}}
	var b graph.Batch
	var people, groups, companies []string
	for i := range 24 {
		e := graph.Entity{ID: fmt.Sprintf("person:dated-%02d", i), Kind: graph.KindPerson, Name: fmt.Sprintf("Dated Person %d", i)}
		people = append(people, e.ID)
		b.Entities = append(b.Entities, e)
	}
	for i := range 5 {
		e := graph.Entity{ID: fmt.Sprintf("organization:dated-%d", i), Kind: graph.KindOrganization, Name: fmt.Sprintf("Dated Group %d", i)}
		groups = append(groups, e.ID)
		b.Entities = append(b.Entities, e)
	}
	for i := range 12 {
		e := graph.Entity{ID: fmt.Sprintf("company:dated-%02d", i), Kind: graph.KindCompany, Name: fmt.Sprintf("Dated Company %d", i)}
		companies = append(companies, e.ID)
		b.Entities = append(b.Entities, e)
	}
	for i := range b.Entities {
		if rng.IntN(3) > 0 {
			continue
		}
		for {
			d := graph.Designation{Regime: "Test regime", Authority: "United Kingdom", Sources: src}
			d.ListedOn, d.DelistedOn = date(), ""
			if rng.IntN(3) == 0 {
				d.DelistedOn = date()
			}
			b.Entities[i].Designations = []graph.Designation{d}
			if b.Entities[i].Validate() == nil {
				break
			}
		}
	}
	pick := func(ids []string) string { return ids[rng.IntN(len(ids))] }
	add := func(t graph.LinkType, from, to string, props map[string]string) {
		if from == to {
			return
		}
		l := graph.Link{ID: fmt.Sprintf("dated:%03d", len(b.Links)), Type: t, Source: from, Target: to, Sources: src, Properties: props}
		l.StartDate, l.EndDate = spell()
		b.Links = append(b.Links, l)
	}
	for _, p := range people {
		add(graph.LinkMemberOf, p, pick(groups), nil)
		if rng.IntN(2) == 0 {
			add(graph.LinkMemberOf, p, pick(groups), nil)
		}
		add(graph.LinkAssociateOf, p, pick(people), nil)
		if rng.IntN(3) == 0 {
			add(graph.LinkDirectorOf, p, pick(companies), nil)
		}
	}
	owners := append(slices.Clone(people[:8]), companies...)
	for range 30 {
		var props map[string]string
		if rng.IntN(5) > 0 {
			props = map[string]string{"percentage": fmt.Sprint(10 * (1 + rng.IntN(10)))}
		}
		add(graph.LinkOwns, pick(owners), pick(companies), props)
	}
	return b
}

func TestAsOfAnalysis(t *testing.T) {
	dates := []string{"2015", "2017-06", "2019-02-28", "2021-12-31", "2024-07"}
	eachServer(t, Options{MaxCost: 1_000_000}, func(t *testing.T, srv *server) {
		ctx := context.Background()
		b := datedGraph(rand.New(rand.NewPCG(13, 2026)))
		if err := srv.store.Store.Upsert(ctx, b); err != nil {
			t.Fatal(err)
		}
		whole, err := srv.store.Store.Snapshot(ctx, graph.SnapshotQuery{})
		if err != nil {
			t.Fatal(err)
		}
		remove := []string{"organization:dated-0", "person:dated-03"}
		// The owner with the most OWNS links out, the asset with the most in.
		outs, ins := map[string]int{}, map[string]int{}
		for _, l := range b.Links {
			if l.Type == graph.LinkOwns {
				outs[l.Source]++
				ins[l.Target]++
			}
		}
		most := func(m map[string]int) string {
			best := ""
			for id, n := range m {
				if best == "" || n > m[best] || n == m[best] && id < best {
					best = id
				}
			}
			return best
		}
		owner, asset := most(outs), most(ins)
		f9 := func(x float64) string { return fmt.Sprintf("%.9f", x) }

		// Each check renders the API's answer and the reference's in one
		// text; asOf "" is the undated query.
		type check struct {
			name  string
			query func(asOf string) string
			api   func(t *testing.T, res *response) string
			ref   func(t *testing.T, g graph.Subgraph) string
			types []graph.LinkType
		}
		arg := func(asOf string) string {
			if asOf == "" {
				return ""
			}
			return fmt.Sprintf(", asOf: %q", asOf)
		}
		must := func(t *testing.T, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		ownText := func(ws []analysis.Ownership, other func(analysis.Ownership) string) string {
			var out []string
			for _, w := range ws {
				out = append(out, other(w)+" "+f9(w.Share)+fmt.Sprint(len(w.Unknown) == 0))
			}
			return strings.Join(out, "; ")
		}
		type ownJSON struct {
			Owner, Asset struct{ ID string }
			Share        float64
			Complete     bool
		}
		apiOwnText := func(ws []ownJSON, other func(ownJSON) string) string {
			var out []string
			for _, w := range ws {
				out = append(out, other(w)+" "+f9(w.Share)+fmt.Sprint(w.Complete))
			}
			return strings.Join(out, "; ")
		}
		checks := []check{
			{name: "disruption",
				query: func(asOf string) string {
					return fmt.Sprintf(`{ disruption(remove: ["%s"]%s) { before { entities links components fragmentation globalEfficiency }
						after { links components fragmentation globalEfficiency } isolated { id } severed { id } designatedReach { entity { id } before after } } }`,
						strings.Join(remove, `", "`), arg(asOf))
				},
				api: func(t *testing.T, res *response) string {
					type sum struct {
						Entities, Links, Components     int
						Fragmentation, GlobalEfficiency float64
					}
					d := decode[struct {
						Disruption struct {
							Before, After     sum
							Isolated, Severed []struct{ ID string }
							DesignatedReach   []struct {
								Entity        struct{ ID string }
								Before, After int
							}
						}
					}](t, res).Disruption
					var reach []string
					for _, r := range d.DesignatedReach {
						reach = append(reach, fmt.Sprint(r.Entity.ID, r.Before, r.After))
					}
					return fmt.Sprint(d.Before.Entities, d.Before.Links, d.Before.Components, f9(d.Before.Fragmentation), f9(d.Before.GlobalEfficiency),
						d.After.Links, d.After.Components, f9(d.After.Fragmentation), f9(d.After.GlobalEfficiency), len(d.Isolated), len(d.Severed), reach)
				},
				ref: func(t *testing.T, g graph.Subgraph) string {
					d, err := analysis.Disrupt(ctx, g, remove, graph.When{})
					must(t, err)
					var reach []string
					for _, r := range d.DesignatedReach {
						reach = append(reach, fmt.Sprint(r.ID, r.Before, r.After))
					}
					return fmt.Sprint(d.Before.Entities, d.Before.Links, d.Before.Components, f9(d.Before.Fragmentation), f9(d.Before.GlobalEfficiency),
						d.After.Links, d.After.Components, f9(d.After.Fragmentation), f9(d.After.GlobalEfficiency), len(d.Isolated), len(d.Severed), reach)
				}},
			{name: "keyPlayers",
				query: func(asOf string) string {
					return fmt.Sprintf(`{ keyPlayers(k: 2%s) { entities { id } fragmentation steps exact } }`, arg(asOf))
				},
				api: func(t *testing.T, res *response) string {
					k := decode[struct {
						KeyPlayers struct {
							Entities      []struct{ ID string }
							Fragmentation float64
							Steps         []float64
							Exact         bool
						}
					}](t, res).KeyPlayers
					var ids []string
					for _, e := range k.Entities {
						ids = append(ids, e.ID)
					}
					return fmt.Sprint(ids, f9(k.Fragmentation), f9(k.Steps[0]), k.Exact)
				},
				ref: func(t *testing.T, g graph.Subgraph) string {
					k, err := analysis.KeyPlayers(ctx, g, 2, nil)
					must(t, err)
					return fmt.Sprint(k.IDs, f9(k.Fragmentation), f9(k.Steps[0]), k.Exact)
				}},
			{name: "brokerage",
				query: func(asOf string) string {
					return fmt.Sprintf(`{ brokerage(groupBy: KIND%s) { entity { id } coordinator itinerant gatekeeper representative liaison } }`, arg(asOf))
				},
				api: func(t *testing.T, res *response) string {
					bs := decode[struct {
						Brokerage []struct {
							Entity                                                      struct{ ID string }
							Coordinator, Itinerant, Gatekeeper, Representative, Liaison int
						}
					}](t, res).Brokerage
					var out []string
					for _, s := range bs {
						out = append(out, fmt.Sprint(s.Entity.ID, s.Coordinator, s.Itinerant, s.Gatekeeper, s.Representative, s.Liaison))
					}
					return strings.Join(out, "; ")
				},
				ref: func(t *testing.T, g graph.Subgraph) string {
					bs, err := analysis.Brokerage(ctx, g, analysis.ByKind, defaultCommunitySeed)
					must(t, err)
					var out []string
					for _, s := range bs {
						out = append(out, fmt.Sprint(s.ID, s.Coordinator, s.Itinerant, s.Gatekeeper, s.Representative, s.Liaison))
					}
					return strings.Join(out, "; ")
				}},
			{name: "holdings", types: []graph.LinkType{graph.LinkOwns},
				query: func(asOf string) string {
					return fmt.Sprintf(`{ holdings(id: %q%s) { asset { id } share complete } }`, owner, arg(asOf))
				},
				api: func(t *testing.T, res *response) string {
					return apiOwnText(decode[struct{ Holdings []ownJSON }](t, res).Holdings, func(w ownJSON) string { return w.Asset.ID })
				},
				ref: func(t *testing.T, g graph.Subgraph) string {
					ws, err := analysis.Holdings(ctx, g, owner, 0)
					must(t, err)
					return ownText(ws, func(w analysis.Ownership) string { return w.Asset.ID })
				}},
			{name: "owners", types: []graph.LinkType{graph.LinkOwns},
				query: func(asOf string) string {
					return fmt.Sprintf(`{ owners(id: %q%s) { owner { id } share complete } }`, asset, arg(asOf))
				},
				api: func(t *testing.T, res *response) string {
					return apiOwnText(decode[struct{ Owners []ownJSON }](t, res).Owners, func(w ownJSON) string { return w.Owner.ID })
				},
				ref: func(t *testing.T, g graph.Subgraph) string {
					ws, err := analysis.Owners(ctx, g, asset, 0)
					must(t, err)
					return ownText(ws, func(w analysis.Ownership) string { return w.Owner.ID })
				}},
			{name: "sanctionsOwnership", types: []graph.LinkType{graph.LinkOwns},
				query: func(asOf string) string {
					return fmt.Sprintf(`{ sanctionsOwnership(minShare: 20, combined: true, first: 1000%s) { totalCount nodes { asset { id } share meetsThreshold unknownShares owners { owner { id } } } } }`, arg(asOf))
				},
				api: func(t *testing.T, res *response) string {
					c := decode[struct {
						SanctionsOwnership struct {
							TotalCount int
							Nodes      []struct {
								Asset                         struct{ ID string }
								Share                         float64
								MeetsThreshold, UnknownShares bool
								Owners                        []struct{ Owner struct{ ID string } }
							}
						}
					}](t, res).SanctionsOwnership
					out := []string{fmt.Sprint(c.TotalCount)}
					for _, f := range c.Nodes {
						var os []string
						for _, o := range f.Owners {
							os = append(os, o.Owner.ID)
						}
						out = append(out, fmt.Sprint(f.Asset.ID, f9(f.Share), f.MeetsThreshold, f.UnknownShares, os))
					}
					return strings.Join(out, "; ")
				},
				ref: func(t *testing.T, g graph.Subgraph) string {
					fs, err := analysis.SanctionsOwnership(ctx, g, 20, true, func(e graph.Entity) bool { return len(e.Designations) > 0 })
					must(t, err)
					out := []string{fmt.Sprint(len(fs))}
					for _, f := range fs {
						var os []string
						for _, o := range f.Owners {
							os = append(os, o.Owner.ID)
						}
						out = append(out, fmt.Sprint(f.Asset.ID, f9(f.Share), f.MeetsThreshold, f.UnknownShares, os))
					}
					return strings.Join(out, "; ")
				}},
		}
		for _, c := range checks {
			t.Run(c.name, func(t *testing.T) {
				undated := c.api(t, srv.post(c.query(""), nil))
				if ref := c.ref(t, refAsOf(whole, "", c.types...)); undated != ref {
					t.Errorf("undated:\n got %s\nwant %s", undated, ref)
				}
				differs := 0
				for _, at := range dates {
					got := c.api(t, srv.post(c.query(at), nil))
					if want := c.ref(t, refAsOf(whole, at, c.types...)); got != want {
						t.Errorf("asOf %s:\n got %s\nwant %s", at, got, want)
					}
					if got != undated {
						differs++
					}
				}
				// The dates must matter, or the comparison proves nothing.
				if differs == 0 {
					t.Errorf("no asOf answer differs from the undated one")
				}
				res := srv.post(c.query("2019-02-29"), nil)
				if len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != CodeBadUserInput || !strings.Contains(res.Errors[0].Message, "2019-02-29") {
					t.Errorf("bad date: %+v", res.Errors)
				}
			})
		}
	})
}
