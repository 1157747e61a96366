package graph

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
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
// entity, cut at the limit) gives each entity, each once, on one worker
// or several.
func TestXrefWholeBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 8))
	es := genXrefEntities(r, 400)
	held := map[string][]string{}
	defer func(c int) { xrefChunk = c }(xrefChunk)
	for k, threshold := range []float64{0.3, 0.5, 0.7, 0.9} {
		// Chunks of 512 (one worker) and of 7 (every core taking
		// chunks in turn): the same pairs.
		xrefChunk = []int{512, 7}[k%2]
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

// matchedParts is, by brute force, what blocking's scratch keeps of an
// entity (blockScratch.kBits, partSum): the bits of the query tokens some
// of its block tokens match, and the sum of their best part scores.
func matchedParts(q *CandidateQuery, m *Matcher, names [][]string) (uint64, float64) {
	var bits uint64
	sum := 0.0
	for k, qt := range q.Tokens {
		best, hit := 0.0, false
		for _, toks := range names {
			for _, tk := range toks {
				if tk == qt {
					best, hit = 1, true
				} else if d, ok := m.Typo(k, tk); ok {
					best, hit = max(best, 1-float64(d)/float64(max(utf8.RuneCountInString(qt), utf8.RuneCountInString(tk)))), true
				}
			}
		}
		if hit {
			bits |= tokenBit(k)
			sum += best
		}
	}
	return bits, sum
}

// TestNameBound: on generated names, no pair of entities scores above
// nameBound with what blocking knows of them: the rank alone, and the
// rank with the matched tokens and their best part scores.
func TestNameBound(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 9))
	es := genXrefEntities(r, 200)
	var sc scorer
	tighter := 0
	for i := range es {
		a := entitySubject(&es[i], nil)
		q := candidateQuery(es[i].Names(), nil, "")
		if err := q.Normalize(); err != nil {
			t.Fatal(err)
		}
		m := NewMatcher(q.Tokens)
		sa := shapeOf(&a)
		aBits := nameBits(&sa, q.Tokens)
		for k := range es {
			b := entitySubject(&es[k], nil)
			names := BlockNames(es[k].Names())
			rank := BlockRank(&q, m, names, nil)
			bits, sum := matchedParts(&q, m, names)
			sb := shapeOf(&b)
			name, _ := sc.bestName(&a, &b)
			loose := nameBound(&sa, &sb, rank, float64(rank), anyTokens, nil)
			tight := nameBound(&sa, &sb, rank, sum, bits, aBits)
			if name > tight+1e-9 || tight > loose+1e-9 {
				t.Errorf("%q ~ %q: name score %v, bounds %v (tight) %v (rank %d)", es[i].Name, es[k].Name, name, tight, loose, rank)
			}
			if tight < loose {
				tighter++
			}
		}
	}
	if tighter == 0 {
		t.Error("the matched tokens and part scores never tightened the bound")
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
		w := bx.newScratch()
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
			for _, s := range bx.candidates(w, &q) {
				got = append(got, bx.es[s].ID)
				if rk := w.rank(s); rk != ranks[s] {
					t.Errorf("commonAt %d, %q: rank of %s is %d, BlockRank %d", commonAt, e.Name, bx.es[s].ID, rk, ranks[s])
				}
				// The part sum is exact but for the common token's
				// part, counted as 1.
				bits, sum := matchedParts(&q, m, BlockNames(bx.es[s].Names()))
				if sl := w.slots[s]; sl.kBits != bits || sl.partSum < sum-1e-9 || sl.partSum > sum+1+1e-9 {
					t.Errorf("commonAt %d, %q: %s has bits %b, part sum %v; by brute force %b, %v", commonAt, e.Name, bx.es[s].ID, sl.kBits, sl.partSum, bits, sum)
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

// TestBlockRanker: BlockRanker ranks every generated entity as BlockRank
// does, for queries with typos, identifiers and repeated calls (its memo
// and stamps carried from one entity to the next).
func TestBlockRanker(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 11))
	es := genXrefEntities(r, 200)
	for i := range es {
		if r.IntN(3) == 0 {
			es[i].Properties["registrationNumber"] = fmt.Sprintf("R%d", r.IntN(4))
		}
	}
	for i := range 60 {
		e := &es[r.IntN(len(es))]
		q := candidateQuery(append(e.Names(), es[i].Name+"x"), EntityIdentifiers(e), "")
		if err := q.Normalize(); err != nil {
			t.Fatal(err)
		}
		m := NewMatcher(q.Tokens)
		br := NewBlockRanker(&q)
		for k := range es {
			names := BlockNames(es[k].Names())
			ids := EntityIdentifiers(&es[k])
			want := BlockRank(&q, m, names, ids)
			var flat []string
			for _, n := range names {
				flat = append(flat, n...)
			}
			if got := br.Rank([][]string{flat}, ids); got != want {
				t.Errorf("query %v, %q: BlockRanker %d, BlockRank %d", q.Tokens, es[k].Name, got, want)
			}
		}
	}
}
