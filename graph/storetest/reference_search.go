package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

var searchWords = strings.Fields("Krasniqi Krasniqu Kraniqi Seferović Seferovic SEFEROVIĆ Derakhshan Derakhshani Burim Burimi Bur Ali Alì Đorđe Djordje Straße Ltd Network Net Zana Ana Anna Anne Ørsted Hoxha Hoxhaj Kelmendi Gashi Berisha Berishaj Thaçi Thaci 2025 Co")

func randomSearchName(rng *rand.Rand) string {
	var parts []string
	for range 1 + rng.IntN(3) {
		parts = append(parts, searchWords[rng.IntN(len(searchWords))])
	}
	return strings.Join(parts, []string{" ", "-", ", "}[rng.IntN(3)])
}

// searchQueryFrom makes a query out of a name: one or two of its tokens,
// as typed, cut to a prefix, or with a typo.
func searchQueryFrom(rng *rand.Rand, name string) string {
	toks := strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' || r == ',' })
	var out []string
	for range 1 + rng.IntN(2) {
		t := []rune(toks[rng.IntN(len(toks))])
		switch rng.IntN(5) {
		case 0:
			t = t[:1+rng.IntN(len(t))]
		case 1:
			if len(t) > 1 {
				i := rng.IntN(len(t) - 1)
				t[i], t[i+1] = t[i+1], t[i]
			}
		case 2:
			i := rng.IntN(len(t))
			t = append(t[:i:i], append([]rune{'e'}, t[i:]...)...)
		case 3:
			t = []rune(strings.ToUpper(string(t)))
		}
		out = append(out, string(t))
	}
	return strings.Join(out, " ")
}

// testSearchReference compares search on random names with the documented
// ranking computed from graph.MatchScore over every entity: a store whose
// candidate retrieval misses matches (or finds extra ones) fails here.
func testSearchReference(t *testing.T, open Opener) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(77, 3))
	var es []graph.Entity
	for i := range 200 {
		e := graph.Entity{ID: fmt.Sprintf("%s:s%03d", strings.ToLower(string(graph.Kinds[i%3])), i), Kind: graph.Kinds[i%3], Name: randomSearchName(rng)}
		if i%4 == 0 {
			e.Aliases = []string{randomSearchName(rng)}
		}
		es = append(es, e)
	}
	s := open(t)
	upsert(t, s, graph.Batch{Entities: es})
	stored, err := s.Entities(ctx, entityIDs(es)) // as normalised by the store
	if err != nil {
		t.Fatal(err)
	}
	matched := 0
	for i := range 60 {
		q := graph.SearchQuery{Text: searchQueryFrom(rng, es[rng.IntN(len(es))].Name), First: graph.MaxFirst}
		if i%5 == 0 {
			q.Kinds = []graph.Kind{graph.Kinds[rng.IntN(3)]}
		}
		if len(graph.FoldTokens(q.Text)) == 0 {
			continue
		}
		want := ranked(q.Text, stored, q.Kinds...)
		got, err := s.Search(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		if got.TotalCount != len(want) {
			t.Errorf("query %q kinds %v: totalCount %d, want %d", q.Text, q.Kinds, got.TotalCount, len(want))
		}
		want = want[:min(len(want), q.First)]
		eqStrings(t, fmt.Sprintf("query %q kinds %v", q.Text, q.Kinds), hitIDs(got.Hits), hitIDs(want))
		if len(want) > 0 {
			matched++
		}
	}
	if matched < 40 {
		t.Errorf("only %d of 60 random queries matched anything; the test exercises too little", matched)
	}
}
