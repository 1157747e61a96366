package embedded

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/synth"
)

// cyrillic writes a Latin name in Cyrillic letters, so that the index holds
// its transliteration (graph.IndexTokens) beside its own tokens: a Latin
// query then finds candidates that graph.MatchScore does not match.
var cyrillic = strings.NewReplacer("sh", "ш", "a", "а", "b", "б", "d", "д", "e", "е", "g", "г", "i", "и", "k", "к",
	"l", "л", "m", "м", "n", "н", "o", "о", "r", "р", "s", "с", "t", "т", "u", "у", "v", "в", "z", "з",
	"A", "А", "B", "Б", "D", "Д", "E", "Е", "G", "Г", "K", "К", "L", "Л", "M", "М", "N", "Н", "R", "Р", "S", "С", "T", "Т", "V", "В", "Z", "З")

// searchTerms are queries made from names of the graph, like the bench's
// (an exact full name, a first name, a three-letter prefix, a one-letter
// typo) and more: other tokens, 1-3 letter prefixes, a prefix after a full
// token, transpositions, deletions, insertions, non-Latin, no match.
func searchTerms(rng *rand.Rand, names []string, n int) []string {
	var out []string
	for len(out) < n {
		name := names[rng.IntN(len(names))]
		toks := strings.Fields(name)
		tok := toks[rng.IntN(len(toks))]
		r := []rune(strings.ToLower(tok))
		switch rng.IntN(12) {
		case 0:
			out = append(out, name)
		case 1:
			out = append(out, toks[0])
		case 2:
			out = append(out, string(r[:min(len(r), 1+rng.IntN(3))]))
		case 3:
			r[len(r)/2] = 'x'
			out = append(out, string(r))
		case 4:
			if len(r) > 2 {
				i := rng.IntN(len(r) - 1)
				r[i], r[i+1] = r[i+1], r[i]
			}
			out = append(out, string(r))
		case 5:
			i := rng.IntN(len(r))
			out = append(out, string(append(r[:i:i], r[i+1:]...)))
		case 6:
			i := rng.IntN(len(r) + 1)
			out = append(out, string(append(r[:i:i], append([]rune{'e'}, r[i:]...)...)))
		case 7:
			if len(toks) > 1 {
				last := []rune(toks[len(toks)-1])
				out = append(out, toks[0]+" "+string(last[:min(len(last), 1+rng.IntN(4))]))
			}
		case 8:
			out = append(out, cyrillic.Replace(tok))
		case 9:
			out = append(out, cyrillic.Replace(name))
		case 10:
			out = append(out, tok+" "+names[rng.IntN(len(names))])
		case 11:
			out = append(out, []string{"zzzz", "qx", "k", "ка", "Ørsted", "a b c d"}[rng.IntN(6)])
		}
	}
	return out
}

// topKGraph is a graph/synth graph of n entities (without links: search
// reads names only), a tenth of its persons written in Cyrillic and some
// given an Arabic alias, n/6 more named from a few close words, with some
// entities deleted and some renamed after, so that slots are freed and
// reused.
func topKGraph(t testing.TB, n int) (*Store, string, []string) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	var names, ids []string
	err = synth.Generate(ctx, synth.Config{Entities: n, Seed: 3}, func(b graph.Batch) error {
		if len(b.Entities) == 0 {
			return nil
		}
		for i := range b.Entities {
			e := &b.Entities[i]
			switch {
			case e.Kind == graph.KindPerson && i%10 == 3:
				e.Name = cyrillic.Replace(e.Name)
			case i%37 == 5:
				e.Aliases = append(e.Aliases, "علی درخشان")
			}
			names = append(names, e.Name)
			ids = append(ids, e.ID)
		}
		return s.Upsert(ctx, graph.Batch{Entities: b.Entities})
	})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	// Names from a few words and their prefixes, extensions and typos,
	// so that queries of several tokens meet many candidates at every
	// score, and pages end among ties.
	var dense []graph.Entity
	words := strings.Fields("kari karim karimo kar karo kira lanmo lanmos lamno lanmoz lan vel vela velan vle")
	for k := range n / 6 {
		var ps []string
		for range 1 + rng.IntN(3) {
			ps = append(ps, words[rng.IntN(len(words))])
		}
		e := graph.Entity{ID: fmt.Sprintf("syn:dense:%05d", rng.IntN(n)), Kind: graph.Kinds[k%3], Name: strings.Join(ps, " ")}
		if rng.IntN(3) == 0 {
			e.Aliases = []string{words[rng.IntN(len(words))]}
		}
		dense = append(dense, e)
		names = append(names, e.Name)
		ids = append(ids, e.ID)
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: dense}); err != nil {
		t.Fatal(err)
	}
	// Each delete is a transaction of its own, synced: a few dozen.
	for range 40 {
		if err := s.DeleteEntity(ctx, ids[rng.IntN(len(ids))]); err != nil && !errors.Is(err, graph.ErrNotFound) {
			t.Fatal(err)
		}
	}
	var renamed []graph.Entity
	for k := range n / 50 {
		renamed = append(renamed, graph.Entity{ID: fmt.Sprintf("syn:person:new%d", k), Kind: graph.KindPerson, Name: names[rng.IntN(len(names))] + " " + names[rng.IntN(len(names))]})
		renamed = append(renamed, graph.Entity{ID: ids[rng.IntN(len(ids))], Kind: graph.KindPerson, Name: strings.Fields(names[rng.IntN(len(names))])[0]})
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: renamed}); err != nil {
		t.Fatal(err)
	}
	return s, dir, names
}

// Search's bounded ranking must answer exactly as the complete ranking it
// replaced (searchComplete) and as a brute-force ranking of every entity
// with graph.MatchScore and graph.RankHits: the same hits in the same order
// (ties by id), scores, cursors, next-page flags and totals, page after
// page, with and without kinds, for small and large pages; with SkipTotal
// the same pages. Checked on the store as written and as reopened (load).
func TestSearchTopKMatchesComplete(t *testing.T) {
	ctx := context.Background()
	s, dir, names := topKGraph(t, 12_000)
	rng := rand.New(rand.NewPCG(7, 7))
	terms := searchTerms(rng, names, 400)
	check := func(t *testing.T, s *Store) {
		snap, err := s.Snapshot(ctx, graph.SnapshotQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for i, text := range terms {
			q := graph.SearchQuery{Text: text, First: []int{1, 2, 3, 20, 100}[rng.IntN(5)]}
			if rng.IntN(4) == 0 {
				q.Kinds = []graph.Kind{graph.Kinds[rng.IntN(3)]}
			}
			toks := graph.FoldTokens(text)
			m := graph.NewMatcher(toks)
			var all []graph.SearchHit
			for _, e := range snap.Nodes {
				if sc := m.Score(graph.NameTokens(&e)); sc > 0 && graph.KindSet(q.Kinds).Has(e.Kind) {
					all = append(all, graph.SearchHit{Entity: e, Score: sc})
				}
			}
			after := ""
			for page := 0; page < 3; page++ {
				want, err := graph.RankHits(append([]graph.SearchHit(nil), all...), q.First, after)
				if err != nil {
					t.Fatal(err)
				}
				if want.Hits == nil {
					want.Hits = []graph.SearchHit{}
				}
				q.After, q.SkipTotal = after, false
				got, err := s.Search(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				complete, err := s.searchComplete(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("term %d %+v page %d:\n got  %s\n want %s", i, q, page, brief(got), brief(want))
				}
				if !reflect.DeepEqual(got, complete) {
					t.Fatalf("term %d %+v page %d: complete ranking differs:\n got      %s\n complete %s", i, q, page, brief(got), brief(complete))
				}
				q.SkipTotal = true
				skip, err := s.Search(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if skip.TotalCount > want.TotalCount || skip.TotalCount < len(skip.Hits) {
					t.Fatalf("term %d %+v page %d: total %d with SkipTotal, of %d, for %d hits", i, q, page, skip.TotalCount, want.TotalCount, len(skip.Hits))
				}
				skip.TotalCount = want.TotalCount
				if !reflect.DeepEqual(skip, want) {
					t.Fatalf("term %d %+v page %d: with SkipTotal:\n got  %s\n want %s", i, q, page, brief(skip), brief(want))
				}
				if !got.HasNextPage {
					break
				}
				after = got.EndCursor
			}
		}
	}
	t.Run("written", func(t *testing.T) { check(t, s) })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	t.Run("reopened", func(t *testing.T) { check(t, r) })
}

func brief(r graph.SearchResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "total %d next %v end %q:", r.TotalCount, r.HasNextPage, r.EndCursor)
	for _, h := range r.Hits {
		fmt.Fprintf(&b, " %s=%g", h.Entity.ID, h.Score)
	}
	return b.String()
}

// Search's cached terms (tokenIndex.matching) follow the dictionary: a
// token written after a search is found by the next one, and a deleted
// one is not.
func TestSearchSeesNewTokens(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ids := func(text string) []string {
		res, err := s.Search(ctx, graph.SearchQuery{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.Entity.ID)
		}
		return out
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: []graph.Entity{{ID: "person:a", Kind: graph.KindPerson, Name: "Kelmendi"}}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"kel", "kelmendo", "kelmendis"} {
		if got := ids(q); !reflect.DeepEqual(got, []string{"person:a"}) {
			t.Fatalf("%q: %v", q, got)
		}
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: []graph.Entity{{ID: "person:b", Kind: graph.KindPerson, Name: "Kelmendis"}}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"kel", "kelmendo", "kelmendis"} {
		if got := ids(q); len(got) != 2 {
			t.Fatalf("%q after a new token: %v", q, got)
		}
	}
	if err := s.DeleteEntity(ctx, "person:a"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"kel", "kelmendo", "kelmendis"} {
		if got := ids(q); !reflect.DeepEqual(got, []string{"person:b"}) {
			t.Fatalf("%q after a delete: %v", q, got)
		}
	}
}
