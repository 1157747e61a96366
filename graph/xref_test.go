package graph

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSelectFirst(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 7))
	for range 500 {
		n := 1 + r.IntN(60)
		s := make([]int32, n)
		for i := range s {
			s[i] = int32(r.IntN(1000))*1000 + int32(i) // distinct
		}
		r.Shuffle(n, func(i, j int) { s[i], s[j] = s[j], s[i] })
		k := 1 + r.IntN(n)
		want := slices.Sorted(slices.Values(s))[:k]
		selectFirst(s, k)
		if got := slices.Sorted(slices.Values(s[:k])); !slices.Equal(got, want) {
			t.Fatalf("selectFirst(%d of %d) = %v, want %v", k, n, got, want)
		}
	}
}

// genXrefEntities builds entities whose names share tokens heavily (a
// common token on most, so blocking cuts at its limit), with initials,
// repeated tokens, one-token names, aliases, Cyrillic spellings, typos,
// birth dates, countries and identifiers.
func genXrefEntities(r *rand.Rand, n int) []Entity {
	given := []string{"Arben", "Besnik", "Driton", "Elira", "Fatmir", "Ilir", "Jeton", "Luan", "B", "A"}
	family := []string{"Berisha", "Gashi", "Hoxha", "Kelmendi", "Morina", "Shala", "Berishe", "Gashy"}
	cyr := map[string]string{"Berisha": "Бериша", "Gashi": "Гаши", "Morina": "Морина", "Arben": "Арбен", "Ilir": "Илир"}
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	out := make([]Entity, n)
	for i := range out {
		var toks []string
		switch r.IntN(6) {
		case 0:
			toks = []string{pick(family)}
		case 1:
			toks = []string{pick(given), pick(given), pick(family)}
		case 2:
			toks = []string{pick(given), pick(family), "Trading"}
		default:
			toks = []string{pick(given), pick(family)}
		}
		for k, tk := range toks {
			if c, ok := cyr[tk]; ok && r.IntN(4) == 0 {
				toks[k] = c
			}
		}
		e := Entity{ID: fmt.Sprintf("person:x%03d", i), Kind: KindPerson, Name: strings.Join(toks, " "), Properties: map[string]string{}}
		if r.IntN(5) == 0 {
			e.Kind = KindCompany
			e.Name += " Ltd"
			if r.IntN(3) == 0 {
				e.Properties["registrationNumber"] = fmt.Sprintf("R%d", r.IntN(4))
			}
		}
		if r.IntN(4) == 0 {
			e.Aliases = []string{pick(given) + " " + pick(family)}
		}
		if r.IntN(3) == 0 {
			e.Properties["birthDate"] = fmt.Sprintf("19%02d", 60+r.IntN(3))
		}
		if r.IntN(2) == 0 {
			e.Countries = []string{pick([]string{"Kosovo", "Albania"})}
		}
		out[i] = e
	}
	return out
}

// TestXrefWholeBruteForce: the whole-graph xref, which scores only the
// candidates nameBound and canReach let through, proposes exactly the
// pairs of scoring every candidate that blocking (BlockRank over every
// entity, cut at the limit) gives each entity.
func TestXrefWholeBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 8))
	es := genXrefEntities(r, 400)
	held := map[string][]string{}
	for _, threshold := range []float64{0.3, 0.5, 0.7, 0.9} {
		got, _, err := xrefWhole(context.Background(), es, held, map[string]Verdict{}, threshold)
		if err != nil {
			t.Fatal(err)
		}
		subjects := make([]subject, len(es))
		blocks := make([][][]string, len(es))
		for i := range es {
			subjects[i] = entitySubject(&es[i], nil)
			blocks[i] = BlockNames(es[i].Names())
		}
		want := map[string]float64{}
		var sc scorer
		cut := 0
		for i := range es {
			q := candidateQuery(es[i].Names(), subjects[i].ids, es[i].Kind)
			q.Kinds = []Kind{es[i].Kind}
			if err := q.Normalize(); err != nil {
				t.Fatal(err)
			}
			m := NewMatcher(q.Tokens)
			ranks := make([]int, len(es))
			for k := range es {
				if es[k].Kind == es[i].Kind {
					ranks[k] = BlockRank(&q, m, blocks[k], subjects[k].ids)
				}
			}
			cands := RankCandidates(es, ranks, q.Limit)
			if len(cands) == q.Limit {
				cut++
			}
			for _, b := range cands {
				k := slices.IndexFunc(es, func(e Entity) bool { return e.ID == b.ID })
				if k == i {
					continue
				}
				res := sc.compare(&subjects[i], &subjects[k])
				if !res.vetoed && res.score >= threshold {
					want[PairKey(es[i].ID, b.ID)] = res.score
				}
			}
		}
		if cut == 0 {
			t.Fatal("no entity's blocking reached the limit: the test does not exercise the cut")
		}
		gotSet := map[string]float64{}
		for _, p := range got {
			gotSet[PairKey(p.a.ID, p.b.ID)] = p.score
		}
		if len(gotSet) != len(got) {
			t.Errorf("threshold %v: %d pairs, %d distinct", threshold, len(got), len(gotSet))
		}
		for k, v := range want {
			if g, ok := gotSet[k]; !ok || g != v {
				t.Errorf("threshold %v: pair %s scores %v by brute force, xref has %v (%v)", threshold, k, v, g, ok)
			}
		}
		for k := range gotSet {
			if _, ok := want[k]; !ok {
				t.Errorf("threshold %v: xref proposes %s, brute force does not", threshold, k)
			}
		}
		t.Logf("threshold %v: %d pairs, %d entities cut at the limit", threshold, len(want), cut)
	}
}

// TestNameBound: on generated names, no pair of entities scores above
// nameBound with the rank blocking gives them.
func TestNameBound(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 9))
	es := genXrefEntities(r, 200)
	var sc scorer
	for i := range es {
		a := entitySubject(&es[i], nil)
		q := candidateQuery(es[i].Names(), nil, "")
		if err := q.Normalize(); err != nil {
			t.Fatal(err)
		}
		m := NewMatcher(q.Tokens)
		sa := shapeOf(&a)
		for k := range es {
			b := entitySubject(&es[k], nil)
			rank := BlockRank(&q, m, BlockNames(es[k].Names()), nil)
			sb := shapeOf(&b)
			name, _ := sc.bestName(&a, &b)
			if bound := nameBound(&sa, &sb, rank); name > bound+1e-9 {
				t.Errorf("%q ~ %q: name score %v above the bound %v (rank %d)", es[i].Name, es[k].Name, name, bound, rank)
			}
		}
	}
}

// TestBlockIndexCandidates: the in-memory blocking returns what BlockRank
// over every entity returns (cut at the limit, ties by id), also when
// common tokens are read off their cached unions (commonAt lowered so
// that most tokens are common, one or two to a query).
func TestBlockIndexCandidates(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 10))
	es := genXrefEntities(r, 300)
	held := map[string][]string{}
	for _, commonAt := range []int{commonPosting, 40, 5} {
		bx := newBlockIndex(slices.Clone(es), held)
		bx.commonAt = commonAt
		for i := range bx.es {
			e := &bx.es[i]
			q := candidateQuery(e.Names(), bx.ids[i], "")
			if r.IntN(2) == 0 {
				q.Kinds = []Kind{e.Kind}
			}
			q.Limit = 1 + r.IntN(MaxMatchCandidates)
			if err := q.Normalize(); err != nil {
				t.Fatal(err)
			}
			m := NewMatcher(q.Tokens)
			kinds := KindSet(q.Kinds)
			ranks := make([]int, len(bx.es))
			for k := range bx.es {
				if kinds.Has(bx.es[k].Kind) {
					ranks[k] = BlockRank(&q, m, BlockNames(bx.es[k].Names()), bx.ids[k])
				}
			}
			want := ids(RankCandidates(bx.es, ranks, q.Limit))
			var got []string
			for _, s := range bx.candidates(&q) {
				got = append(got, bx.es[s].ID)
				if rk := bx.rank(s); rk != ranks[s] {
					t.Errorf("commonAt %d, %q: rank of %s is %d, BlockRank %d", commonAt, e.Name, bx.es[s].ID, rk, ranks[s])
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("commonAt %d, %q (limit %d): got %v, want %v", commonAt, e.Name, q.Limit, got, want)
			}
		}
	}
}

func ids(es []Entity) []string {
	out := make([]string, len(es))
	for i := range es {
		out[i] = es[i].ID
	}
	return out
}
