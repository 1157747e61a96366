package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/skein-project/skein/graph"
)

// Letters a generated name is made of, with their Cyrillic and Greek
// spellings under the ICAO tables graph.Latinize follows. There is no u:
// Greek writes it ου, which those tables give back as "ou".
var (
	scriptConsonants = []string{"v", "g", "d", "z", "k", "l", "m", "n", "p", "r", "s", "t", "f"}
	scriptVowels     = []string{"a", "e", "i", "o"}
	scriptFinals     = []string{"", "", "n", "r", "s", "k"}
	toCyrillic       = map[string]string{"v": "в", "g": "г", "d": "д", "z": "з", "k": "к", "l": "л", "m": "м", "n": "н", "p": "п",
		"r": "р", "s": "с", "t": "т", "f": "ф", "a": "а", "e": "е", "i": "и", "o": "о"}
	toGreek = map[string]string{"v": "β", "g": "γ", "d": "δ", "z": "ζ", "k": "κ", "l": "λ", "m": "μ", "n": "ν", "p": "π",
		"r": "ρ", "s": "σ", "t": "τ", "f": "φ", "a": "α", "e": "ε", "i": "ι", "o": "ο"}
	// Marks a writer may put on a vowel; folding drops them.
	latinMarked = map[string]string{"a": "á", "e": "é", "i": "í", "o": "ö"}
	greekMarked = map[string]string{"α": "ά", "ε": "έ", "ι": "ί", "ο": "ό"}
)

// scriptName is a generated name: its words as letters of scriptConsonants,
// scriptVowels and scriptFinals.
type scriptName [][]string

func genScriptName(r *rand.Rand) scriptName {
	words := make(scriptName, 2+r.IntN(2))
	for w := range words {
		for range 2 + r.IntN(2) {
			words[w] = append(words[w], scriptConsonants[r.IntN(len(scriptConsonants))], scriptVowels[r.IntN(len(scriptVowels))])
		}
		if f := scriptFinals[r.IntN(len(scriptFinals))]; f != "" {
			words[w] = append(words[w], f)
		}
	}
	return words
}

// key is the name as graph.Latinize should give it.
func (n scriptName) key() string {
	words := make([]string, len(n))
	for i, w := range n {
		words[i] = strings.Join(w, "")
	}
	return strings.Join(words, " ")
}

// in spells the name in script "latin" (some vowels marked), "cyrillic" or
// "greek" (some vowels with a tonos, final sigma), each word capitalised.
func (n scriptName) in(script string, r *rand.Rand) string {
	words := make([]string, len(n))
	for i, w := range n {
		var b strings.Builder
		for k, l := range w {
			switch script {
			case "latin":
				if m, ok := latinMarked[l]; ok && r.IntN(4) == 0 {
					l = m
				}
			case "cyrillic":
				l = toCyrillic[l]
			case "greek":
				l = toGreek[l]
				if m, ok := greekMarked[l]; ok && r.IntN(4) == 0 {
					l = m
				}
				if l == "σ" && k == len(w)-1 {
					l = "ς"
				}
			}
			b.WriteString(l)
		}
		rs := []rune(b.String())
		rs[0] = unicode.ToUpper(rs[0])
		words[i] = string(rs)
	}
	return strings.Join(words, " ")
}

var scripts = []string{"latin", "cyrillic", "greek"}

// testScripts: on generated names stored in Latin (with marks), Cyrillic
// or Greek, a query in any of the three scripts finds the entity first and
// matches it; the store's blocking equals the brute-force reference for
// those queries; and xref pairs an entity with its copy in another script,
// over the whole graph and per id.
func testScripts(t *testing.T, s graph.Store) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(18, 4))
	var names []scriptName
	var ents []graph.Entity
	seen := map[string]bool{}
	for len(ents) < 60 {
		n := genScriptName(r)
		sorted := strings.Fields(n.key())
		slices.Sort(sorted)
		if seen[strings.Join(sorted, " ")] {
			continue
		}
		seen[strings.Join(sorted, " ")] = true
		names = append(names, n)
		ents = append(ents, graph.Entity{ID: fmt.Sprintf("person:s%02d", len(ents)), Kind: graph.KindPerson,
			Name: n.in(scripts[len(ents)%3], r)})
	}
	// Copies in the next script, for xref: the first ten entities.
	var copies []graph.Entity
	for i := range 10 {
		copies = append(copies, graph.Entity{ID: fmt.Sprintf("person:t%02d", i), Kind: graph.KindPerson,
			Name: names[i].in(scripts[(i+1)%3], r)})
	}
	upsert(t, s, graph.Batch{Entities: append(slices.Clone(ents), copies...)})
	all := append(slices.Clone(ents), copies...)
	copyOf := map[string]string{}
	for i, c := range copies {
		copyOf[ents[i].ID] = c.ID
	}

	var qs []graph.MatchQuery
	var want []int
	for i, n := range names {
		for _, sc := range scripts {
			qs = append(qs, graph.MatchQuery{Key: sc, Names: []string{n.in(sc, r)}})
			want = append(want, i)
		}
	}
	res, err := graph.Match(ctx, s, qs, graph.MatchOptions{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	for k, rr := range res {
		e := ents[want[k]]
		c := rr.Candidates
		// The copy (same name in another script) may tie; it sorts by
		// id after the original.
		if len(c) == 0 || c[0].Entity.ID != e.ID || !c[0].Match {
			t.Errorf("%s query %q: got %v, want %s (%q) first and matched", rr.Key, qs[k].Names[0], brief(c), e.ID, e.Name)
		}
	}

	// Blocking equals BlockRank over every entity, on the entities'
	// BlockNames as on the queries'.
	var cqs []graph.CandidateQuery
	for _, q := range qs {
		var toks []string
		for _, n := range graph.BlockNames(q.Names) {
			toks = append(toks, n...)
		}
		cqs = append(cqs, graph.CandidateQuery{Tokens: toks, Limit: 1 + r.IntN(5)})
	}
	got, err := s.Candidates(ctx, cqs)
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range cqs {
		nq := q
		if err := nq.Normalize(); err != nil {
			t.Fatal(err)
		}
		m := graph.NewMatcher(nq.Tokens)
		ranks := make([]int, len(all))
		for k := range all {
			ranks[k] = graph.BlockRank(&nq, m, graph.BlockNames(all[k].Names()), nil)
		}
		if w := ids(graph.RankCandidates(all, ranks, nq.Limit)); !slices.Equal(ids(got[i]), w) {
			t.Errorf("blocking %q (limit %d): got %v, want %v", qs[i].Names[0], nq.Limit, ids(got[i]), w)
		}
	}

	recs, ok := s.(graph.Records)
	if !ok {
		t.Fatal("the store keeps no records")
	}
	whole, err := graph.Xref(ctx, s, recs, graph.XrefQuery{First: graph.MaxXrefFirst})
	if err != nil {
		t.Fatal(err)
	}
	pairs := map[string]bool{}
	for _, p := range whole.Pairs {
		pairs[p.A.ID+"~"+p.B.ID] = true
	}
	for id, c := range copyOf {
		if !pairs[id+"~"+c] {
			t.Errorf("whole-graph xref misses %s~%s (%q, %q)", id, c, all[slices.IndexFunc(all, func(e graph.Entity) bool { return e.ID == id })].Name,
				all[slices.IndexFunc(all, func(e graph.Entity) bool { return e.ID == c })].Name)
		}
		one, err := graph.Xref(ctx, s, recs, graph.XrefQuery{IDs: []string{c}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(one.Pairs, func(p graph.XrefPair) bool { return p.A.ID == id && p.B.ID == c }) {
			t.Errorf("xref of %s misses %s", c, id)
		}
	}
}
