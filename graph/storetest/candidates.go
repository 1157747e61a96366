package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// testCandidates checks screening's blocking against a brute-force
// reference (graph.BlockRank over every entity), on hand-made and on
// generated names, and graph.Match and graph.Xref over the store.
func testCandidates(t *testing.T, open func(t *testing.T) graph.Store) {
	t.Run("Blocking", func(t *testing.T) { testBlocking(t, open(t)) })
	t.Run("BlockingReference", func(t *testing.T) { testBlockingReference(t, open(t)) })
	t.Run("BlockingCrowded", func(t *testing.T) { testBlockingCrowded(t, open(t)) })
	t.Run("MatchGenerated", func(t *testing.T) { testMatchGenerated(t, open(t)) })
	t.Run("Identifiers", func(t *testing.T) { testMatchIdentifiers(t, open(t)) })
	t.Run("Invalid", func(t *testing.T) { testCandidatesInvalid(t, open(t)) })
	t.Run("XrefScopes", func(t *testing.T) { testXrefScopes(t, open(t)) })
	t.Run("Scripts", func(t *testing.T) { testScripts(t, open(t)) })
	t.Run("XrefIdentifications", func(t *testing.T) { testXrefIdentifications(t, open(t)) })
	t.Run("WholeRecords", func(t *testing.T) { testScreeningWholeRecords(t, open(t)) })
}

// testScreeningWholeRecords: blocking and the whole-graph snapshot may
// fetch only what scoring reads (Selection), but what match and xref
// return comes whole: description, sources and designations included;
// and a partial Candidates or Snapshot still carries what it selects.
func testScreeningWholeRecords(t *testing.T, s graph.Store) {
	ctx := context.Background()
	recs, ok := s.(graph.Records)
	if !ok {
		t.Fatal("the store keeps no records")
	}
	mk := func(id string) graph.Entity {
		e := person(id, "Fixture Whole Record", "F. W. Record")
		e.Description = "described " + id
		e.Countries = []string{"Kosovo"}
		e.Properties = map[string]string{"birthDate": "1970"}
		e.Designations = []graph.Designation{{Regime: "Fixture regime", Authority: "Fixture authority", ListedOn: "2020-01-02", Sources: src("listed " + id)}}
		return e
	}
	a, b := mk("person:whole-a"), mk("person:whole-b")
	upsert(t, s, graph.Batch{Entities: []graph.Entity{a, b}})
	whole := func(what string, e graph.Entity) {
		t.Helper()
		want := a
		if e.ID == b.ID {
			want = b
		}
		if e.Description != want.Description || len(e.Sources) != 1 || len(e.Designations) != 1 || e.Properties["birthDate"] != "1970" {
			t.Errorf("%s: %s not whole: %+v", what, e.ID, e)
		}
	}
	res, err := graph.Match(ctx, s, []graph.MatchQuery{{Names: []string{"Fixture Whole Record"}}}, graph.MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res[0].Candidates) != 2 {
		t.Fatalf("match: %v, want both fixtures", brief(res[0].Candidates))
	}
	for _, c := range res[0].Candidates {
		whole("match", c.Entity)
	}
	for _, q := range []graph.XrefQuery{{}, {IDs: []string{a.ID}}} {
		page, err := graph.Xref(ctx, s, recs, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Pairs) != 1 {
			t.Fatalf("xref %v: %d pairs, want 1", q.IDs, len(page.Pairs))
		}
		whole("xref", page.Pairs[0].A)
		whole("xref", page.Pairs[0].B)
	}
	sel := graph.Selection{Partial: true, Entity: graph.EntityName | graph.EntityAliases | graph.EntityCountries | graph.EntityProperties}
	got, err := s.Candidates(ctx, []graph.CandidateQuery{{Tokens: []string{"fixture", "whole"}, Select: sel}})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx, graph.SnapshotQuery{Select: sel})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range append(got[0], snap.Nodes...) {
		if e.Kind != graph.KindPerson || e.Name != a.Name || !slices.Equal(e.Aliases, a.Aliases) || !slices.Equal(e.Countries, a.Countries) || e.Properties["birthDate"] != "1970" {
			t.Errorf("partial read of %s lacks a selected field: %+v", e.ID, e)
		}
	}
}

func ids(es []graph.Entity) []string {
	out := make([]string, len(es))
	for i := range es {
		out[i] = es[i].ID
	}
	return out
}

func testBlocking(t *testing.T, s graph.Store) {
	ctx := context.Background()
	ents := []graph.Entity{
		{ID: "p:ana", Kind: graph.KindPerson, Name: "Ana Petrović"},
		{ID: "p:ana2", Kind: graph.KindPerson, Name: "Ana Marić", Aliases: []string{"Ana Petrovic-Maric"}},
		{ID: "p:ivo", Kind: graph.KindPerson, Name: "Ivo Kovač"},
		{ID: "o:petrovic", Kind: graph.KindOrganization, Name: "Petrović clan"},
		{ID: "c:reg", Kind: graph.KindCompany, Name: "Northwind Ltd", Properties: map[string]string{"registrationNumber": "HR-0042 17"}},
	}
	upsert(t, s, graph.Batch{Entities: ents})
	cases := []struct {
		q    graph.CandidateQuery
		want []string
	}{
		// Two tokens hit beat one; ties by id.
		{graph.CandidateQuery{Tokens: []string{"ana", "petrovic"}}, []string{"p:ana", "p:ana2", "o:petrovic"}},
		// A typo within the allowance (8 runes: 2 edits) still blocks.
		{graph.CandidateQuery{Tokens: []string{"petorvic"}}, []string{"o:petrovic", "p:ana", "p:ana2"}},
		{graph.CandidateQuery{Tokens: []string{"petrovic"}, Kinds: []graph.Kind{graph.KindPerson}}, []string{"p:ana", "p:ana2"}},
		{graph.CandidateQuery{Tokens: []string{"ana", "petrovic"}, Limit: 1}, []string{"p:ana"}},
		// Initials never block; a prefix is not a hit.
		{graph.CandidateQuery{Tokens: []string{"a", "pet"}}, nil},
		// Identifiers, in their normal form.
		{graph.CandidateQuery{Identifiers: []string{graph.NormalIdentifier("hr 004217")}}, []string{"c:reg"}},
		{graph.CandidateQuery{Identifiers: []string{"hr004218"}}, nil},
	}
	for _, c := range cases {
		got, err := s.Candidates(ctx, []graph.CandidateQuery{c.q})
		if err != nil {
			t.Fatalf("Candidates(%+v): %v", c.q, err)
		}
		if len(got) != 1 || !slices.Equal(ids(got[0]), c.want) {
			t.Errorf("Candidates(%+v) = %v, want %v", c.q, ids(got[0]), c.want)
		}
		for _, e := range got[0] {
			if e.Name == "" || e.Kind == "" {
				t.Errorf("candidate %s came back without its fields: %+v", e.ID, e)
			}
		}
	}
	// Several queries in one call answer in order.
	got, err := s.Candidates(ctx, []graph.CandidateQuery{{Tokens: []string{"kovac"}}, {Tokens: []string{"zzzz"}}, {Tokens: []string{"northwind"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !slices.Equal(ids(got[0]), []string{"p:ivo"}) || len(got[1]) != 0 || !slices.Equal(ids(got[2]), []string{"c:reg"}) {
		t.Errorf("batched candidates = %v", got)
	}
}

// genNames builds n people from small pools of given names and surnames,
// so that many share a surname or a given name, as families do.
func genNames(r *rand.Rand, n int) []graph.Entity {
	given := []string{"Arben", "Besnik", "Driton", "Elira", "Fatmir", "Gentiana", "Ilir", "Jeton", "Kaltrina", "Luan", "Mimoza", "Njomza"}
	family := []string{"Berisha", "Gashi", "Hoxha", "Kelmendi", "Morina", "Shala", "Rexhepi", "Bytyqi"}
	out := make([]graph.Entity, n)
	for i := range out {
		name := given[r.IntN(len(given))] + " " + family[r.IntN(len(family))]
		if r.IntN(4) == 0 {
			name = given[r.IntN(len(given))] + " " + given[r.IntN(len(given))] + " " + family[r.IntN(len(family))]
		}
		out[i] = graph.Entity{ID: fmt.Sprintf("person:g%03d", i), Kind: graph.KindPerson, Name: name}
	}
	return out
}

// testBlockingReference compares the store's blocking with BlockRank over
// every entity.
func testBlockingReference(t *testing.T, s graph.Store) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(18, 1))
	ents := genNames(r, 150)
	upsert(t, s, graph.Batch{Entities: ents})
	var qs []graph.CandidateQuery
	for k := 0; k < 40; k++ {
		e := ents[r.IntN(len(ents))]
		toks := graph.FoldTokens(typo(r, e.Name))
		qs = append(qs, graph.CandidateQuery{Tokens: toks, Limit: 1 + r.IntN(30)})
	}
	got, err := s.Candidates(ctx, qs)
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range qs {
		nq := q
		if err := nq.Normalize(); err != nil {
			t.Fatal(err)
		}
		m := graph.NewMatcher(nq.Tokens)
		ranks := make([]int, len(ents))
		for k := range ents {
			ranks[k] = graph.BlockRank(&nq, m, graph.BlockNames(ents[k].Names()), nil)
		}
		want := ids(graph.RankCandidates(ents, ranks, nq.Limit))
		if !slices.Equal(ids(got[i]), want) {
			t.Errorf("query %v (limit %d): got %v, want %v", q.Tokens, q.Limit, ids(got[i]), want)
		}
	}
}

// typo changes one letter of the longest token of a name (of 5 runes or
// more), or leaves the name alone.
func typo(r *rand.Rand, name string) string {
	toks := strings.Fields(name)
	k := 0
	for i, tk := range toks {
		if len(tk) > len(toks[k]) {
			k = i
		}
	}
	if len(toks[k]) < 5 || r.IntN(2) == 0 {
		return name
	}
	b := []byte(toks[k])
	p := 1 + r.IntN(len(b)-1)
	b[p] = 'x'
	toks[k] = string(b)
	return strings.Join(toks, " ")
}

// testMatchGenerated: on generated people, each found first (or tied
// first with a namesake) from its name with a typo, its tokens shuffled,
// or its middle name dropped; and no one matched to another by a shared
// surname alone.
func testMatchGenerated(t *testing.T, s graph.Store) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(18, 2))
	ents := genNames(r, 120)
	upsert(t, s, graph.Batch{Entities: ents})
	byName := map[string][]string{}
	for _, e := range ents {
		key := strings.Join(graph.FoldTokens(e.Name), " ")
		byName[key] = append(byName[key], e.ID)
	}
	var qs []graph.MatchQuery
	var want []graph.Entity
	for k := 0; k < 60; k++ {
		e := ents[r.IntN(len(ents))]
		toks := strings.Fields(e.Name)
		switch k % 3 {
		case 0:
			toks = strings.Fields(typo(r, e.Name))
		case 1:
			r.Shuffle(len(toks), func(i, j int) { toks[i], toks[j] = toks[j], toks[i] })
		case 2:
			if len(toks) == 3 {
				toks = []string{toks[0], toks[2]}
			}
		}
		qs = append(qs, graph.MatchQuery{Key: e.ID, Names: []string{strings.Join(toks, " ")}})
		want = append(want, e)
	}
	res, err := graph.Match(ctx, s, qs, graph.MatchOptions{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for i, rr := range res {
		if rr.Key != qs[i].Key {
			t.Fatalf("result %d has key %q, want %q", i, rr.Key, qs[i].Key)
		}
		if len(rr.Candidates) == 0 || !rr.Candidates[0].Match {
			t.Errorf("%q: no match, want %s (%q)", qs[i].Names[0], want[i].ID, want[i].Name)
			continue
		}
		// The entity is found, and whatever ranks above it scores the
		// same (a namesake the query cannot tell apart) or bears the
		// query's own name exactly (the query dropped a middle name).
		found := false
		qkey := sortedTokens(qs[i].Names[0])
		for _, c := range rr.Candidates {
			if c.Entity.ID == want[i].ID {
				found = c.Match
				break
			}
			if c.Score != rr.Candidates[0].Score && sortedTokens(c.Entity.Name) != qkey {
				break
			}
		}
		if !found {
			t.Errorf("%q: %s not first: %+v", qs[i].Names[0], want[i].ID, brief(rr.Candidates))
		}
		for _, c := range rr.Candidates {
			if c.Match && sharesOnlySurname(c.Entity.Name, want[i].Name) {
				t.Errorf("%q matched %s (%q) by surname alone (score %v, %v)", qs[i].Names[0], c.Entity.ID, c.Entity.Name, c.Score, c.Features)
			}
		}
	}
	// The same request answers the same, feature for feature.
	again, err := graph.Match(ctx, s, qs, graph.MatchOptions{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(again) != fmt.Sprint(res) {
		t.Error("a second identical match request answered differently")
	}
}

func sortedTokens(name string) string {
	t := graph.FoldTokens(name)
	slices.Sort(t)
	return strings.Join(t, " ")
}

// sharesOnlySurname reports whether two person names have the same last
// token and no other token in common.
func sharesOnlySurname(a, b string) bool {
	ta, tb := graph.FoldTokens(a), graph.FoldTokens(b)
	if ta[len(ta)-1] != tb[len(tb)-1] {
		return false
	}
	for _, x := range ta[:len(ta)-1] {
		if slices.Contains(tb[:len(tb)-1], x) {
			return false
		}
	}
	return true
}

func brief(cs []graph.MatchCandidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = fmt.Sprintf("%s %q %.3f", c.Entity.ID, c.Entity.Name, c.Score)
	}
	return out
}

// testMatchIdentifiers: an identifier held through an identity document
// finds its holder and raises the score; a different one vetoes the match.
func testMatchIdentifiers(t *testing.T, s graph.Store) {
	ctx := context.Background()
	upsert(t, s, graph.Batch{
		Entities: []graph.Entity{
			{ID: "person:fixture-a", Kind: graph.KindPerson, Name: "Fixture Person Alpha"},
			{ID: "id:fixture-a", Kind: graph.KindIdentification, Name: "Passport of a fixture", Properties: map[string]string{"number": "X1234567"}},
			{ID: "person:fixture-b", Kind: graph.KindPerson, Name: "Unrelated Name"},
		},
		Links: []graph.Link{{ID: "holds:a", Type: graph.LinkHolds, Source: "person:fixture-a", Target: "id:fixture-a"}},
	})
	res, err := graph.Match(ctx, s, []graph.MatchQuery{
		{Kind: graph.KindPerson, Names: []string{"Somebody Else"}, Identifiers: []string{"x 123 4567"}},
		{Kind: graph.KindPerson, Names: []string{"Fixture Alpha"}, Identifiers: []string{"Y0000000"}},
		{Kind: graph.KindPerson, Names: []string{"Fixture Alpha"}, Identifiers: []string{"X1234567"}},
	}, graph.MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := res[0].Candidates; len(c) == 0 || c[0].Entity.ID != "person:fixture-a" || !c[0].Match {
		t.Errorf("identifier alone: %v, want person:fixture-a matched", brief(c))
	}
	if c := res[1].Candidates; len(c) == 0 || c[0].Entity.ID != "person:fixture-a" || c[0].Match || c[0].Score >= graph.DefaultMatchThreshold {
		t.Errorf("conflicting identifier: %v, want person:fixture-a below the threshold, no match", brief(c))
	}
	if c := res[2].Candidates; len(c) == 0 || !c[0].Match || c[0].Score <= res[1].Candidates[0].Score {
		t.Errorf("agreeing identifier: %v", brief(c))
	}
}

func testCandidatesInvalid(t *testing.T, s graph.Store) {
	ctx := context.Background()
	_, err := s.Candidates(ctx, []graph.CandidateQuery{{Tokens: []string{"x"}, Kinds: []graph.Kind{"NOPE"}}})
	if !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("unknown kind: %v, want ErrInvalid", err)
	}
	_, err = graph.Match(ctx, s, []graph.MatchQuery{{Names: []string{"  "}}}, graph.MatchOptions{})
	if !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("empty name: %v, want ErrInvalid", err)
	}
	_, err = graph.Match(ctx, s, make([]graph.MatchQuery, graph.MaxMatchQueries+1), graph.MatchOptions{})
	if !errors.Is(err, graph.ErrTooComplex) {
		t.Errorf("too many queries: %v, want ErrTooComplex", err)
	}
	_, err = graph.Match(ctx, s, []graph.MatchQuery{{Names: []string{"A B"}, BirthDate: "1970-13"}}, graph.MatchOptions{})
	if !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("bad birth date: %v, want ErrInvalid", err)
	}
}

// testXrefScopes: on generated people (many namesakes), the whole-graph
// xref (blocking in memory) and xref of each id (blocking by the store)
// propose the same pairs, every one scoring from the threshold on, pages
// covering them all once.
func testXrefScopes(t *testing.T, s graph.Store) {
	ctx := context.Background()
	recs, ok := s.(graph.Records)
	if !ok {
		t.Fatal("the store keeps no records")
	}
	ents := genNames(rand.New(rand.NewPCG(18, 3)), 80)
	upsert(t, s, graph.Batch{Entities: ents})
	all, err := graph.Xref(ctx, s, recs, graph.XrefQuery{First: graph.MaxXrefFirst})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total == 0 || all.Total != len(all.Pairs) {
		t.Fatalf("whole-graph xref: %d pairs of %d", len(all.Pairs), all.Total)
	}
	whole := map[string]bool{}
	for _, p := range all.Pairs {
		if p.Score < graph.DefaultMatchThreshold || p.A.ID >= p.B.ID || len(p.Features) == 0 {
			t.Errorf("pair %s~%s: score %v, features %v", p.A.ID, p.B.ID, p.Score, p.Features)
		}
		whole[p.A.ID+"~"+p.B.ID] = true
	}
	for _, e := range ents {
		one, err := graph.Xref(ctx, s, recs, graph.XrefQuery{IDs: []string{e.ID}, First: graph.MaxXrefFirst})
		if err != nil {
			t.Fatal(err)
		}
		var want, got []string
		for k := range whole {
			if strings.HasPrefix(k, e.ID+"~") || strings.HasSuffix(k, "~"+e.ID) {
				want = append(want, k)
			}
		}
		for _, p := range one.Pairs {
			got = append(got, p.A.ID+"~"+p.B.ID)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("xref of %s = %v, whole-graph xref has %v", e.ID, got, want)
		}
	}
	// Pages of 7 cover the pairs once, in order.
	var paged []string
	after := ""
	for {
		page, err := graph.Xref(ctx, s, recs, graph.XrefQuery{First: 7, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Pairs {
			paged = append(paged, p.A.ID+"~"+p.B.ID)
		}
		if !page.HasNextPage {
			break
		}
		after = page.Pairs[len(page.Pairs)-1].Cursor
	}
	var order []string
	for _, p := range all.Pairs {
		order = append(order, p.A.ID+"~"+p.B.ID)
	}
	if !slices.Equal(paged, order) {
		t.Errorf("paged xref %v, want %v", paged, order)
	}
}

// testXrefIdentifications: identity documents are the same when their
// numbers are, whatever their captions say. Two described by the same
// words but with no number (a source's "forged documents") are never
// proposed; two with one number are; people of one name still are.
func testXrefIdentifications(t *testing.T, s graph.Store) {
	ctx := context.Background()
	recs, ok := s.(graph.Records)
	if !ok {
		t.Fatal("the store keeps no records")
	}
	upsert(t, s, graph.Batch{Entities: []graph.Entity{
		{ID: "id:described-a", Kind: graph.KindIdentification, Name: "Forged documents found with Fixture Alpha"},
		{ID: "id:described-b", Kind: graph.KindIdentification, Name: "Forged documents found with Fixture Alpha"},
		{ID: "id:numbered-a", Kind: graph.KindIdentification, Name: "Passport Q7654321", Properties: map[string]string{"number": "Q7654321"}},
		{ID: "id:numbered-b", Kind: graph.KindIdentification, Name: "Travel document", Properties: map[string]string{"number": "q 765 4321"}},
		{ID: "id:numbered-c", Kind: graph.KindIdentification, Name: "Forged documents found with Fixture Alpha", Properties: map[string]string{"number": "Z1111111"}},
		{ID: "person:namesake-a", Kind: graph.KindPerson, Name: "Fixture Omega Namesake"},
		{ID: "person:namesake-b", Kind: graph.KindPerson, Name: "Fixture Omega Namesake"},
	}})
	want := []string{"id:numbered-a~id:numbered-b", "person:namesake-a~person:namesake-b"}
	pairs := func(q graph.XrefQuery) []string {
		t.Helper()
		page, err := graph.Xref(ctx, s, recs, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range page.Pairs {
			out = append(out, p.A.ID+"~"+p.B.ID)
		}
		slices.Sort(out)
		return out
	}
	if got := pairs(graph.XrefQuery{}); !slices.Equal(got, want) {
		t.Errorf("whole-graph xref = %v, want %v", got, want)
	}
	for _, id := range []string{"id:described-a", "id:numbered-c"} {
		if got := pairs(graph.XrefQuery{IDs: []string{id}}); len(got) != 0 {
			t.Errorf("xref of %s = %v, want none", id, got)
		}
	}
	if got := pairs(graph.XrefQuery{IDs: []string{"id:numbered-b"}}); !slices.Equal(got, want[:1]) {
		t.Errorf("xref of id:numbered-b = %v, want %v", got, want[:1])
	}
}
