package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
)

// crowdSize is how many companies share the persons' one name token in
// testBlockingCrowded: more than a store's index may answer for one
// query at once (the Neo4j store asks its full-text indexes 20,000 hits
// at a time), so blocking that ranks only the hits of such an answer is
// caught.
const crowdSize = 20_050

// testBlockingCrowded: a name token shared by tens of thousands of
// entities of another kind changes neither a person's candidates (of its
// kind) nor its xref pairs. The persons' names are longer than the
// companies' (initials, which blocking ignores), so a full-text index
// scores the companies' hits higher: a store that cuts an index's answer
// by its own score, then keeps the person kind, loses the persons. The
// oracles: graph.BlockRank over every entity, and the xref of the same
// persons before the crowd came.
func testBlockingCrowded(t *testing.T, s graph.Store) {
	ctx := context.Background()
	recs, ok := s.(graph.Records)
	if !ok {
		t.Fatal("the store keeps no records")
	}
	persons := []graph.Entity{
		person("person:crowd-a", "Crowdname A B C D E"),
		person("person:crowd-b", "Crowdname A B C D E"),
		person("person:crowd-c", "Crowdname F G H I J"),
	}
	persons[0].Properties = map[string]string{"birthDate": "1971-02-03"}
	persons[1].Properties = map[string]string{"birthDate": "1971-02-03"}
	upsert(t, s, graph.Batch{Entities: persons})
	xref := func() []string {
		t.Helper()
		page, err := graph.Xref(ctx, s, recs, graph.XrefQuery{IDs: []string{persons[0].ID}, First: graph.MaxXrefFirst})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range page.Pairs {
			out = append(out, fmt.Sprintf("%s %s %.6f", p.A.ID, p.B.ID, p.Score))
		}
		return out
	}
	before := xref()
	if len(before) == 0 {
		t.Fatalf("xref of %s found no pair among the persons alone", persons[0].ID)
	}
	crowd := make([]graph.Entity, crowdSize)
	for i := range crowd {
		crowd[i] = company(fmt.Sprintf("company:crowd-%05d", i), "Crowdname")
	}
	for start := 0; start < len(crowd); start += 5000 {
		upsert(t, s, graph.Batch{Entities: crowd[start:min(start+5000, len(crowd))]})
	}
	all := append(slices.Clone(persons), crowd...)
	qs := []graph.CandidateQuery{
		{Tokens: []string{"crowdname"}, Kinds: []graph.Kind{graph.KindPerson}},
		{Tokens: []string{"crowdname"}, Kinds: []graph.Kind{graph.KindPerson}, Limit: 2},
		{Tokens: []string{"crowdname"}, Limit: 7},
		{Tokens: []string{"crowdnam"}, Kinds: []graph.Kind{graph.KindPerson}}, // a typo
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
		kinds := graph.KindSet(nq.Kinds)
		var es []graph.Entity
		var ranks []int
		for k := range all {
			if !kinds.Has(all[k].Kind) {
				continue
			}
			es = append(es, all[k])
			ranks = append(ranks, graph.BlockRank(&nq, m, graph.BlockNames(all[k].Names()), nil))
		}
		if want := ids(graph.RankCandidates(es, ranks, nq.Limit)); !slices.Equal(ids(got[i]), want) {
			t.Errorf("query %v of %v (limit %d) among %d companies: got %v, want %v", q.Tokens, q.Kinds, nq.Limit, crowdSize, ids(got[i]), want)
		}
	}
	if after := xref(); !slices.Equal(after, before) {
		t.Errorf("xref of %s among %d companies of its name: %v, alone: %v", persons[0].ID, crowdSize, after, before)
	}
}
