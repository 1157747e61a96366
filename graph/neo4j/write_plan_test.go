package neo4j_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// planStats sums the database hits of a profiled plan and counts its
// operators by name.
func planStats(p neo4jdrv.ProfiledPlan, ops map[string]int) int64 {
	ops[p.Operator()]++
	hits := p.DbHits()
	for _, c := range p.Children() {
		hits += planStats(c, ops)
	}
	return hits
}

// TestLinkEndsSeeksOneTypePerID profiles the id lookup an import makes for
// every batch of links: on a database with links of three types whose ids
// are of the form graph.LinkID gives (type first), it reads each type's id
// range and seeks every id only in the one type whose range holds it, not
// in the index of every type that has links; and it still finds the links
// that exist, whatever type the batch gives them.
func TestLinkEndsSeeksOneTypePerID(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	ctx := context.Background()
	s := open(t, cfg)
	types := []graph.LinkType{graph.LinkAssociateOf, graph.LinkFamilyOf, graph.LinkOwns}
	var es []graph.Entity
	var ls []graph.Link
	for i := range 60 {
		es = append(es, graph.Entity{ID: fmt.Sprintf("person:le-%02d", i), Kind: graph.KindPerson, Name: fmt.Sprintf("Link End %d", i)})
		if i > 0 {
			lt := types[i%len(types)]
			ls = append(ls, graph.Link{Type: lt, Source: es[i-1].ID, Target: es[i].ID})
		}
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: es, Links: ls}); err != nil {
		t.Fatal(err)
	}
	// The ids a batch of 1,000 links of the three types would have: the
	// 59 that exist (derived ids) and 941 that do not.
	ids := make([]string, 0, 1000)
	for i := 1; len(ids) < 1000; i++ {
		lt := types[i%len(types)]
		ids = append(ids, graph.LinkID(lt, fmt.Sprintf("person:le-%02d", i-1), fmt.Sprintf("person:le-%02d", i), ""))
	}
	d, err := neo4jdrv.NewDriverWithContext(cfg.URI, neo4jdrv.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	r, err := neo4jdrv.ExecuteQuery(ctx, d, neo4j.LinkBoundsCypher(), nil, neo4jdrv.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	var bounds [][3]string
	for _, rec := range r.Records {
		typ, _ := rec.Get("type")
		lo, _ := rec.Get("lo")
		hi, _ := rec.Get("hi")
		bounds = append(bounds, [3]string{typ.(string), lo.(string), hi.(string)})
	}
	if len(bounds) != len(types) {
		t.Fatalf("bounds of %d types, want the %d that have links: %v", len(bounds), len(types), bounds)
	}
	plan, seeks := neo4j.SeekPlan(ids, bounds)
	if seeks < len(ls) || seeks > len(ids) {
		t.Errorf("the plan seeks %d times for %d ids, want at most one seek each (and one for each of the %d that exist)", seeks, len(ids), len(ls))
	}
	r, err = neo4jdrv.ExecuteQuery(ctx, d, "PROFILE "+neo4j.LinkEndsCypher(), map[string]any{"ids": plan}, neo4jdrv.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Records) != len(ls) {
		t.Errorf("lookup found %d links, want %d", len(r.Records), len(ls))
	}
	ops := map[string]int{}
	hits := planStats(r.Summary.Profile(), ops)
	// One hit per id for its seek, a few per found link for its ends;
	// seeking every type in use would be three per id.
	if max := int64(len(ids) + 10*len(ls)); hits > max {
		t.Errorf("lookup of %d ids made %d database hits, want at most %d (seeks outside the id ranges?): %v", len(ids), hits, max, ops)
	}
	t.Logf("%d ids: %d database hits, operators %v", len(ids), hits, ops)
}

// TestSeekPlan checks which types' indexes an id is sought in: those whose
// id range holds it, every type with links for an id that is not ASCII
// (Go's byte order and Neo4j's may differ there), and no type without
// links.
func TestSeekPlan(t *testing.T) {
	bounds := [][3]string{
		{string(graph.LinkAssociateOf), "associate_of:a", "associate_of:m"},
		{string(graph.LinkOwns), "owns:a", "owns:z"},
		{string(graph.LinkLinkedTo), "a", "z"}, // hand-given ids spread over the alphabet
	}
	ids := []string{"associate_of:a", "associate_of:m", "associate_of:n", "owns:b", "owns:zz", "l:ç→ć", "family_of:x"}
	plan, seeks := neo4j.SeekPlan(ids, bounds)
	want := map[graph.LinkType][]any{
		graph.LinkAssociateOf: {"associate_of:a", "associate_of:m", "l:ç→ć"},
		graph.LinkOwns:        {"owns:b", "l:ç→ć"},
		graph.LinkLinkedTo:    {"associate_of:a", "associate_of:m", "associate_of:n", "owns:b", "owns:zz", "l:ç→ć", "family_of:x"},
	}
	n := 0
	for i, lt := range graph.LinkTypes {
		got := plan[i].([]any)
		if fmt.Sprint(got) != fmt.Sprint(want[lt]) && (len(got) > 0 || len(want[lt]) > 0) {
			t.Errorf("%s: seeks %v, want %v", lt, got, want[lt])
		}
		n += len(got)
	}
	if seeks != n || seeks != 12 {
		t.Errorf("seeks = %d (lists hold %d), want 12", seeks, n)
	}
}

// TestLinkBoundsReadIndexEnds checks the plan of the per-batch bounds query
// as the planner makes it for an empty database (a first import, or one
// right after DeleteAll, whose plan replan=skip then keeps): each type's
// smallest and largest id must come from the end of its id index, not
// from sorting the index, whose cost would grow with every batch. Profiled
// again over 3,000 links of one type, its database hits stay a handful per
// type.
func TestLinkBoundsReadIndexEnds(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	ctx := context.Background()
	s := open(t, cfg)
	raw := rawCypher(t, cfg)
	raw("CALL db.clearQueryCaches()", nil)
	d, err := neo4jdrv.NewDriverWithContext(cfg.URI, neo4jdrv.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	profile := func(what string) (int64, map[string]int, int) {
		r, err := neo4jdrv.ExecuteQuery(ctx, d, "PROFILE "+neo4j.LinkBoundsCypher(), nil, neo4jdrv.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		ops := map[string]int{}
		hits := planStats(r.Summary.Profile(), ops)
		for op := range ops {
			if strings.HasPrefix(op, "Sort") || strings.HasPrefix(op, "Top") || strings.HasPrefix(op, "PartialSort") {
				t.Errorf("%s: the bounds plan sorts (%s) instead of reading the index in order: %v", what, op, ops)
			}
		}
		return hits, ops, len(r.Records)
	}
	// Planned on the empty database, as the first batch of an import
	// after DeleteAll plans it.
	raw(neo4j.LinkBoundsCypher(), nil)
	profile("empty database")
	var es []graph.Entity
	for i := range 300 {
		es = append(es, graph.Entity{ID: fmt.Sprintf("person:lb-%03d", i), Kind: graph.KindPerson, Name: fmt.Sprintf("Link Bound %d", i)})
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: es}); err != nil {
		t.Fatal(err)
	}
	var ls []graph.Link
	for i := range 3000 {
		ls = append(ls, graph.Link{Type: graph.LinkAssociateOf, Source: es[i%300].ID, Target: es[(i*7+1)%300].ID, Role: fmt.Sprintf("r%d", i)})
	}
	if err := s.Upsert(ctx, graph.Batch{Links: ls}); err != nil {
		t.Fatal(err)
	}
	hits, ops, n := profile("3,000 links")
	if n != 1 {
		t.Errorf("bounds of %d types, want the one with links", n)
	}
	if max := int64(20 * len(graph.LinkTypes)); hits > max {
		t.Errorf("bounds over 3,000 links made %d database hits, want at most %d (an index scan?): %v", hits, max, ops)
	}
	t.Logf("bounds over 3,000 links: %d database hits, operators %v", hits, ops)
}
