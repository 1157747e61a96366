package embedded

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

var nameParts = strings.Fields("Krasniqi Krasniqu Kraniqi Seferović Seferovic SEFEROVIĆ Derakhshan Derakhshani Burim Burimi Bur Ali Alì Đorđe Djordje ß Straße Ltd LTD Network Net Ne N 1 12 123 Co. Ana Anna Anne Ann Zana O'Neil Ørsted Œuvre ǅemal")

func randomName(rng *rand.Rand) string {
	var parts []string
	for range 1 + rng.IntN(3) {
		parts = append(parts, nameParts[rng.IntN(len(nameParts))])
	}
	return strings.Join(parts, []string{" ", "  ", "-", ", "}[rng.IntN(4)])
}

// mutate makes a query from a name: a token or two, maybe cut to a prefix,
// maybe with a typo.
func mutate(rng *rand.Rand, name string) string {
	toks := graph.FoldTokens(name)
	if len(toks) == 0 {
		return "x"
	}
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
			t = append(t[:i:i], append([]rune{'x'}, t[i:]...)...)
		case 3:
			if len(t) > 1 {
				i := rng.IntN(len(t))
				t = append(t[:i:i], t[i+1:]...)
			}
		}
		out = append(out, string(t))
	}
	return strings.Join(out, " ")
}

// Search must page exactly as graph.RankHits over graph.MatchScore.
func TestSearchMatchesRankHits(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rng := rand.New(rand.NewPCG(9, 9))
	var es []graph.Entity
	for i := range 400 {
		e := graph.Entity{ID: fmt.Sprintf("person:%03d", rng.IntN(1000)), Kind: graph.Kinds[rng.IntN(3)], Name: randomName(rng)}
		if i%3 == 0 {
			e.Aliases = []string{randomName(rng)}
		}
		es = append(es, e)
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: es}); err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx, graph.SnapshotQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		q := graph.SearchQuery{Text: mutate(rng, randomName(rng)), First: 1 + rng.IntN(30)}
		if rng.IntN(3) == 0 {
			q.Kinds = []graph.Kind{graph.Kinds[rng.IntN(3)]}
		}
		var hits []graph.SearchHit
		toks := graph.FoldTokens(q.Text)
		if len(toks) == 0 {
			continue
		}
		for _, e := range snap.Nodes {
			if sc := graph.MatchScore(toks, &e); sc > 0 && graph.KindSet(q.Kinds).Has(e.Kind) {
				hits = append(hits, graph.SearchHit{Entity: e, Score: sc})
			}
		}
		after := ""
		for page := 0; page < 4; page++ {
			want, err := graph.RankHits(append([]graph.SearchHit(nil), hits...), q.First, after)
			if err != nil {
				t.Fatal(err)
			}
			q.After = after
			got, err := s.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if want.Hits == nil {
				want.Hits = []graph.SearchHit{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("query %d %+v page %d:\n got  %+v\n want %+v", i, q, page, got, want)
			}
			if !got.HasNextPage {
				break
			}
			after = got.EndCursor
		}
	}
}
