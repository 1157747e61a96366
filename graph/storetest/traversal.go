package storetest

import (
	"context"
	"testing"

	"github.com/skein-project/skein/graph"
)

// fixture loads a small hand-made graph whose answers are worked out by
// hand below:
//
//	person:a -l01 MEMBER_OF-> org:x <-l02 MEMBER_OF- person:b
//	person:a -l03 ASSOCIATE_OF-> person:b, person:b -l09 ASSOCIATE_OF-> person:a
//	person:a -l08 LINKED_TO-> person:a (self-link)
//	org:x -l05 OWNS-> company:y <-l04 DIRECTOR_OF- person:c
//	person:c -l06 FAMILY_OF-> person:d -l07 ASSOCIATE_OF-> person:f
//	person:e (no links)
func fixture(t *testing.T, s graph.Store) {
	t.Helper()
	upsert(t, s, graph.Batch{
		Entities: []graph.Entity{
			person("person:a", "Arben Avdiu"), person("person:b", "Besnik Berisha"),
			person("person:c", "Celik Cena"), person("person:d", "Drita Dema"),
			person("person:e", "Elira Elezi"), person("person:f", "Fatos Frasheri"),
			org("org:x", "X Network"), company("company:y", "Y Trading Ltd"),
		},
		Links: []graph.Link{
			lnk("l01", graph.LinkMemberOf, "person:a", "org:x"),
			lnk("l02", graph.LinkMemberOf, "person:b", "org:x"),
			lnk("l03", graph.LinkAssociateOf, "person:a", "person:b"),
			lnk("l04", graph.LinkDirectorOf, "person:c", "company:y"),
			lnk("l05", graph.LinkOwns, "org:x", "company:y"),
			lnk("l06", graph.LinkFamilyOf, "person:c", "person:d"),
			lnk("l07", graph.LinkAssociateOf, "person:d", "person:f"),
			lnk("l08", graph.LinkLinkedTo, "person:a", "person:a"),
			lnk("l09", graph.LinkAssociateOf, "person:b", "person:a"),
		},
	})
}

func testNeighborhood(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	fixture(t, s)
	cases := []struct {
		name      string
		q         graph.NeighborhoodQuery
		nodes     []string
		links     []string
		truncated bool
	}{
		{"depth 0", graph.NeighborhoodQuery{ID: "person:a", Depth: 0},
			[]string{"person:a"}, []string{"l08"}, false},
		{"depth 1", graph.NeighborhoodQuery{ID: "person:a", Depth: 1},
			[]string{"person:a", "org:x", "person:b"}, []string{"l01", "l02", "l03", "l08", "l09"}, false},
		{"depth 2", graph.NeighborhoodQuery{ID: "person:a", Depth: 2},
			[]string{"person:a", "org:x", "person:b", "company:y"}, []string{"l01", "l02", "l03", "l05", "l08", "l09"}, false},
		{"depth 3", graph.NeighborhoodQuery{ID: "person:a", Depth: 3},
			[]string{"person:a", "org:x", "person:b", "company:y", "person:c"}, []string{"l01", "l02", "l03", "l04", "l05", "l08", "l09"}, false},
		{"depth 6", graph.NeighborhoodQuery{ID: "person:a", Depth: graph.MaxDepth},
			[]string{"person:a", "org:x", "person:b", "company:y", "person:c", "person:d", "person:f"},
			[]string{"l01", "l02", "l03", "l04", "l05", "l06", "l07", "l08", "l09"}, false},
		{"from the middle", graph.NeighborhoodQuery{ID: "company:y", Depth: 1},
			[]string{"company:y", "org:x", "person:c"}, []string{"l04", "l05"}, false},
		{"isolated", graph.NeighborhoodQuery{ID: "person:e", Depth: 3},
			[]string{"person:e"}, nil, false},
		{"link types", graph.NeighborhoodQuery{ID: "person:a", Depth: 2, LinkTypes: []graph.LinkType{graph.LinkMemberOf}},
			[]string{"person:a", "org:x", "person:b"}, []string{"l01", "l02"}, false},
		{"kinds", graph.NeighborhoodQuery{ID: "person:a", Depth: 3, Kinds: []graph.Kind{graph.KindPerson}},
			[]string{"person:a", "person:b"}, []string{"l03", "l08", "l09"}, false},
		{"start of another kind", graph.NeighborhoodQuery{ID: "person:a", Depth: 3, Kinds: []graph.Kind{graph.KindOrganization}},
			[]string{"person:a", "org:x"}, []string{"l01", "l08"}, false},
		{"kinds reach through", graph.NeighborhoodQuery{ID: "org:x", Depth: 2, Kinds: []graph.Kind{graph.KindCompany, graph.KindPerson}},
			[]string{"org:x", "company:y", "person:a", "person:b", "person:c"}, []string{"l01", "l02", "l03", "l04", "l05", "l08", "l09"}, false},
		{"limit cuts by distance then id", graph.NeighborhoodQuery{ID: "person:a", Depth: 2, Limit: 2},
			[]string{"person:a", "org:x"}, []string{"l01", "l08"}, true},
		{"limit exactly reached", graph.NeighborhoodQuery{ID: "person:a", Depth: 2, Limit: 4},
			[]string{"person:a", "org:x", "person:b", "company:y"}, []string{"l01", "l02", "l03", "l05", "l08", "l09"}, false},
		{"limit reached before depth", graph.NeighborhoodQuery{ID: "person:a", Depth: 3, Limit: 4},
			[]string{"person:a", "org:x", "person:b", "company:y"}, []string{"l01", "l02", "l03", "l05", "l08", "l09"}, true},
		{"limit one", graph.NeighborhoodQuery{ID: "person:e", Depth: 1, Limit: 1},
			[]string{"person:e"}, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sg, err := s.Neighborhood(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			eqStrings(t, "nodes", entityIDs(sg.Nodes), c.nodes)
			eqStrings(t, "links", linkIDs(sg.Links), c.links)
			if sg.Truncated != c.truncated {
				t.Errorf("truncated = %v, want %v", sg.Truncated, c.truncated)
			}
		})
	}
	t.Run("full records", func(t *testing.T) {
		sg, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: "company:y", Depth: 1})
		if err != nil || len(sg.Nodes) == 0 || len(sg.Links) == 0 {
			t.Fatalf("%+v, %v", sg, err)
		}
		eqEntity(t, "node", sg.Nodes[0], company("company:y", "Y Trading Ltd"))
		eqLink(t, "link", sg.Links[0], lnk("l04", graph.LinkDirectorOf, "person:c", "company:y"))
	})
	t.Run("errors", func(t *testing.T) {
		_, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: "person:nobody", Depth: 1})
		wantErr(t, "unknown id", err, graph.ErrNotFound)
		_, err = s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: "person:a", Depth: graph.MaxDepth + 1})
		wantErr(t, "depth too large", err, graph.ErrTooComplex)
		_, err = s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: "person:a", Depth: 1 << 30})
		wantErr(t, "huge depth", err, graph.ErrTooComplex)
		_, err = s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: "person:a", Depth: -1})
		wantErr(t, "negative depth", err, graph.ErrTooComplex)
		_, err = s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: "person:a", Depth: 1, Limit: graph.MaxLimit + 1})
		wantErr(t, "limit too large", err, graph.ErrTooComplex)
		_, err = s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: "person:a", Depth: 1, Kinds: []graph.Kind{"ALIEN"}})
		wantErr(t, "unknown kind", err, graph.ErrInvalid)
	})
}

func pathLinks(ps []graph.Path) [][]string {
	out := [][]string{}
	for _, p := range ps {
		out = append(out, linkIDs(p.Links))
	}
	return out
}

func eqPaths(t *testing.T, what string, got []graph.Path, want [][]string) {
	t.Helper()
	g := pathLinks(got)
	ok := len(g) == len(want)
	for i := 0; ok && i < len(g); i++ {
		ok = len(g[i]) == len(want[i])
		for j := 0; ok && j < len(g[i]); j++ {
			ok = g[i][j] == want[i][j]
		}
	}
	if !ok {
		t.Errorf("%s:\n got  %q\n want %q", what, g, want)
	}
}

func testPaths(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	fixture(t, s)
	cases := []struct {
		name string
		q    graph.PathQuery
		want [][]string
	}{
		{"ordered by length then link ids", graph.PathQuery{From: "person:a", To: "company:y"},
			[][]string{{"l01", "l05"}, {"l03", "l02", "l05"}, {"l09", "l02", "l05"}}},
		{"reverse direction", graph.PathQuery{From: "company:y", To: "person:a"},
			[][]string{{"l05", "l01"}, {"l05", "l02", "l03"}, {"l05", "l02", "l09"}}},
		{"parallel links are distinct paths", graph.PathQuery{From: "person:a", To: "person:b"},
			[][]string{{"l03"}, {"l09"}, {"l01", "l02"}}},
		{"max hops", graph.PathQuery{From: "person:a", To: "person:d", MaxHops: 4},
			[][]string{{"l01", "l05", "l04", "l06"}}},
		{"longer max hops", graph.PathQuery{From: "person:a", To: "person:d", MaxHops: 5},
			[][]string{{"l01", "l05", "l04", "l06"}, {"l03", "l02", "l05", "l04", "l06"}, {"l09", "l02", "l05", "l04", "l06"}}},
		{"limit", graph.PathQuery{From: "person:a", To: "person:d", MaxHops: 5, Limit: 2},
			[][]string{{"l01", "l05", "l04", "l06"}, {"l03", "l02", "l05", "l04", "l06"}}},
		{"too short", graph.PathQuery{From: "person:a", To: "person:d", MaxHops: 3}, nil},
		{"link types", graph.PathQuery{From: "person:a", To: "person:b", LinkTypes: []graph.LinkType{graph.LinkMemberOf}},
			[][]string{{"l01", "l02"}}},
		{"link types cut the way", graph.PathQuery{From: "person:a", To: "company:y", LinkTypes: []graph.LinkType{graph.LinkMemberOf, graph.LinkAssociateOf}}, nil},
		{"no path", graph.PathQuery{From: "person:a", To: "person:e"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps, err := s.Paths(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			eqPaths(t, "paths", ps, c.want)
		})
	}
	t.Run("nodes follow links", func(t *testing.T) {
		ps, err := s.Paths(ctx, graph.PathQuery{From: "company:y", To: "person:a"})
		if err != nil || len(ps) != 3 {
			t.Fatalf("%v, %v", ps, err)
		}
		eqStrings(t, "nodes", entityIDs(ps[1].Nodes), []string{"company:y", "org:x", "person:b", "person:a"})
		if ps[1].Length() != 3 {
			t.Errorf("length %d", ps[1].Length())
		}
		eqEntity(t, "node record", ps[1].Nodes[2], person("person:b", "Besnik Berisha"))
		eqLink(t, "link record", ps[1].Links[2], lnk("l03", graph.LinkAssociateOf, "person:a", "person:b"))
	})
	t.Run("errors", func(t *testing.T) {
		_, err := s.Paths(ctx, graph.PathQuery{From: "person:a", To: "person:a"})
		wantErr(t, "from == to", err, graph.ErrInvalid)
		_, err = s.Paths(ctx, graph.PathQuery{From: "person:a", To: "person:nobody"})
		wantErr(t, "unknown to", err, graph.ErrNotFound)
		_, err = s.Paths(ctx, graph.PathQuery{From: "person:nobody", To: "person:a"})
		wantErr(t, "unknown from", err, graph.ErrNotFound)
		_, err = s.Paths(ctx, graph.PathQuery{From: "person:a", To: "person:b", MaxHops: graph.MaxHops + 1})
		wantErr(t, "maxHops too large", err, graph.ErrTooComplex)
		_, err = s.Paths(ctx, graph.PathQuery{From: "person:a", To: "person:b", MaxHops: 1 << 30})
		wantErr(t, "huge maxHops", err, graph.ErrTooComplex)
		_, err = s.Paths(ctx, graph.PathQuery{From: "person:a", To: "person:b", Limit: graph.MaxPathLimit + 1})
		wantErr(t, "limit too large", err, graph.ErrTooComplex)
	})
}

func testShared(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	fixture(t, s)
	cases := []struct {
		name string
		q    graph.SharedQuery
		want []string
	}{
		{"depth 1", graph.SharedQuery{IDs: []string{"person:a", "person:b"}}, []string{"org:x"}},
		{"depth 2", graph.SharedQuery{IDs: []string{"person:a", "person:b"}, Depth: 2}, []string{"company:y", "org:x"}},
		{"apart", graph.SharedQuery{IDs: []string{"person:a", "person:c"}, Depth: 1}, nil},
		{"apart depth 2", graph.SharedQuery{IDs: []string{"person:a", "person:c"}, Depth: 2}, []string{"company:y", "org:x"}},
		{"three", graph.SharedQuery{IDs: []string{"person:a", "person:b", "person:c"}, Depth: 3}, []string{"company:y", "org:x"}},
		{"duplicates ignored", graph.SharedQuery{IDs: []string{"person:a", "person:b", "person:a"}}, []string{"org:x"}},
		{"isolated", graph.SharedQuery{IDs: []string{"person:a", "person:e"}, Depth: 3}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			es, err := s.SharedAssociates(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			eqStrings(t, "shared", entityIDs(es), c.want)
		})
	}
	t.Run("errors", func(t *testing.T) {
		_, err := s.SharedAssociates(ctx, graph.SharedQuery{IDs: []string{"person:a"}})
		wantErr(t, "one id", err, graph.ErrInvalid)
		_, err = s.SharedAssociates(ctx, graph.SharedQuery{IDs: []string{"person:a", "person:a"}})
		wantErr(t, "same id twice", err, graph.ErrInvalid)
		_, err = s.SharedAssociates(ctx, graph.SharedQuery{IDs: []string{"person:a", "person:nobody"}})
		wantErr(t, "unknown id", err, graph.ErrNotFound)
		_, err = s.SharedAssociates(ctx, graph.SharedQuery{IDs: []string{"person:a", "person:b"}, Depth: graph.MaxSharedDepth + 1})
		wantErr(t, "depth too large", err, graph.ErrTooComplex)
	})
}

func testSnapshot(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	t.Run("empty store", func(t *testing.T) {
		sg, err := s.Snapshot(ctx, graph.SnapshotQuery{})
		if err != nil || len(sg.Nodes) != 0 || len(sg.Links) != 0 {
			t.Errorf("%+v, %v", sg, err)
		}
	})
	fixture(t, s)
	all := []string{"company:y", "org:x", "person:a", "person:b", "person:c", "person:d", "person:e", "person:f"}
	cases := []struct {
		name  string
		q     graph.SnapshotQuery
		nodes []string
		links []string
	}{
		{"whole graph", graph.SnapshotQuery{}, all, []string{"l01", "l02", "l03", "l04", "l05", "l06", "l07", "l08", "l09"}},
		{"whole graph, link types", graph.SnapshotQuery{LinkTypes: []graph.LinkType{graph.LinkAssociateOf}}, all, []string{"l03", "l07", "l09"}},
		{"one id depth 0", graph.SnapshotQuery{IDs: []string{"person:a"}}, []string{"person:a"}, []string{"l08"}},
		{"one id depth 1", graph.SnapshotQuery{IDs: []string{"person:c"}, Depth: 1}, []string{"company:y", "person:c", "person:d"}, []string{"l04", "l06"}},
		{"two ids", graph.SnapshotQuery{IDs: []string{"person:d", "person:a"}, Depth: 1},
			[]string{"org:x", "person:a", "person:b", "person:c", "person:d", "person:f"}, []string{"l01", "l02", "l03", "l06", "l07", "l08", "l09"}},
		{"link types", graph.SnapshotQuery{IDs: []string{"person:c"}, Depth: 2, LinkTypes: []graph.LinkType{graph.LinkFamilyOf}},
			[]string{"person:c", "person:d"}, []string{"l06"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sg, err := s.Snapshot(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			eqStrings(t, "nodes", entityIDs(sg.Nodes), c.nodes)
			eqStrings(t, "links", linkIDs(sg.Links), c.links)
			if sg.Truncated {
				t.Errorf("snapshot truncated")
			}
			// A topology snapshot has at least the same shape.
			q := c.q
			q.Topology = true
			shape, err := s.Snapshot(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			eqStrings(t, "topology nodes", nodeShapes(shape.Nodes), nodeShapes(sg.Nodes))
			eqStrings(t, "topology links", linkShapes(shape.Links), linkShapes(sg.Links))
		})
	}
	t.Run("errors", func(t *testing.T) {
		_, err := s.Snapshot(ctx, graph.SnapshotQuery{IDs: []string{"person:nobody"}, Depth: 1})
		wantErr(t, "unknown id", err, graph.ErrNotFound)
		_, err = s.Snapshot(ctx, graph.SnapshotQuery{IDs: []string{"person:a"}, Depth: graph.MaxDepth + 1})
		wantErr(t, "depth too large", err, graph.ErrTooComplex)
	})
}

// testLimits checks that oversized requests are refused, whatever the data.
func testLimits(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	fixture(t, s)
	many := make([]string, graph.MaxIDsPerQuery+1)
	for i := range many {
		many[i] = "person:" + string(rune('a'+i%26)) + string(rune('0'+i/26%10)) + string(rune('0'+i/260))
	}
	_, err := s.SharedAssociates(ctx, graph.SharedQuery{IDs: many})
	wantErr(t, "shared: too many ids", err, graph.ErrTooComplex)
	_, err = s.Snapshot(ctx, graph.SnapshotQuery{IDs: many, Depth: 1})
	wantErr(t, "snapshot: too many ids", err, graph.ErrTooComplex)
	_, err = s.Snapshot(ctx, graph.SnapshotQuery{IDs: []string{"person:a"}, Depth: 1 << 20})
	wantErr(t, "snapshot: huge depth", err, graph.ErrTooComplex)
	_, err = s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: "person:a", Depth: 100, Limit: 1 << 20})
	wantErr(t, "neighborhood: huge depth and limit", err, graph.ErrTooComplex)
}

// nodeShapes and linkShapes are what a topology snapshot must hold of
// entities and links (graph.SnapshotQuery.Topology).
func nodeShapes(es []graph.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID + " " + string(e.Kind)
	}
	return out
}

func linkShapes(ls []graph.Link) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = string(l.Type) + " " + l.Source + " " + l.Target
	}
	return out
}
