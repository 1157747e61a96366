package graph

import (
	"encoding/base64"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"krasniqi", "krasniqi", 2, 0},
		{"krasniqu", "krasniqi", 2, 1},
		{"kransiqi", "krasniqi", 2, 1}, // transposition counts once
		{"krasni", "krasniqi", 2, 2},
		{"abc", "xyzabc", 2, 3}, // beyond the limit: limit+1
	}
	for _, c := range cases {
		var o osa
		if got := o.distance([]rune(c.a), c.b, c.limit); got != c.want {
			t.Errorf("distance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
}

// TestEditDistanceBand: the banded distance equals the full matrix's
// wherever that is within the limit, and exceeds the limit (limit+1)
// wherever it does not, on random strings over a small alphabet (many
// repeats and transpositions), reusing one osa throughout.
func TestEditDistanceBand(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 12))
	word := func() []rune {
		w := make([]rune, r.IntN(11))
		for i := range w {
			w[i] = []rune("abcé")[r.IntN(4)]
		}
		return w
	}
	var o osa
	for range 20000 {
		a, b := word(), word()
		if r.IntN(3) == 0 && len(a) > 1 { // a transposition or two of a
			b = slices.Clone(a)
			for range 1 + r.IntN(2) {
				k := r.IntN(len(b) - 1)
				b[k], b[k+1] = b[k+1], b[k]
			}
		}
		limit := r.IntN(4)
		want := osaMatrix(a, b)
		got := o.distance(a, string(b), limit)
		if want <= limit && got != want || want > limit && got != limit+1 {
			t.Fatalf("distance(%q, %q, %d) = %d, full matrix %d", string(a), string(b), limit, got, want)
		}
	}
}

func TestMatchScore(t *testing.T) {
	seferovic := Entity{ID: "p:1", Name: "Nusret Seferović", Aliases: []string{"Seferovic"}}
	krasniqi := Entity{ID: "p:2", Name: "Burim Krasniqi"}
	network := Entity{ID: "o:1", Name: "Krasniqi network"}

	if s := MatchScore(FoldTokens("seferovic"), &seferovic); s == 0 {
		t.Fatal("folded query must match a diacritic name")
	}
	if s := MatchScore(FoldTokens("sefer"), &seferovic); s == 0 {
		t.Fatal("prefix must match")
	}
	if s := MatchScore(FoldTokens("krasniqu"), &krasniqi); s == 0 {
		t.Fatal("one typo in an 8-letter token must match")
	}
	if s := MatchScore(FoldTokens("kra"), &Entity{Name: "Kre"}); s != 0 {
		t.Fatal("short tokens allow no typo")
	}
	if s := MatchScore(FoldTokens("burim seferovic"), &seferovic); s != 0 {
		t.Fatal("every query token must match")
	}
	exact := MatchScore(FoldTokens("krasniqi network"), &network)
	partial := MatchScore(FoldTokens("krasniqi network"), &krasniqi)
	if exact <= partial {
		t.Fatalf("exact name %v must outrank partial %v", exact, partial)
	}
	// An exact alias match still ranks above a token match of a longer name.
	aliasExact := MatchScore(FoldTokens("seferovic"), &seferovic)
	if aliasExact < 100 {
		t.Fatalf("whole-alias match scored %v, want >= 100", aliasExact)
	}
}

// referenceScore is MatchScore as its documentation reads, written
// plainly: fold every name, join tokens, a full distance matrix per pair.
func referenceScore(query []string, e *Entity) float64 {
	best := 0.0
	for i, n := range e.Names() {
		toks := FoldTokens(n)
		bonus := 0.0
		if i == 0 {
			bonus = 0.5
		}
		switch {
		case len(toks) == 0 || len(query) == 0:
		case strings.Join(toks, " ") == strings.Join(query, " "):
			best = max(best, 100+bonus)
		default:
			per := make([]float64, len(query))
			for k, q := range query {
				for _, t := range toks {
					d := osaMatrix([]rune(q), []rune(t))
					switch {
					case t == q:
						per[k] = max(per[k], 1)
					case strings.HasPrefix(t, q):
						per[k] = max(per[k], 0.7)
					case d <= TypoAllowance(len([]rune(q))):
						per[k] = max(per[k], 0.5-0.1*float64(d))
					}
				}
			}
			if slices.Contains(per, 0) {
				continue
			}
			sum := 0.0
			for _, p := range per {
				sum += p
			}
			best = max(best, 10*sum/float64(max(len(toks), len(query)))+bonus)
		}
	}
	return math.Round(best*1e9) / 1e9
}

// osaMatrix is the optimal-string-alignment distance, unbounded.
func osaMatrix(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// One Matcher scoring many entities must give what the plain reading of
// MatchScore gives, to the bit, whatever its buffers hold from before.
func TestMatcherMatchesReference(t *testing.T) {
	words := strings.Fields("Krasniqi Krasniqu Kraniqi Kransiqi Seferović SEFEROVIC Derakhshan Derakhshani Burim Burimi Bur Đorđe Djordje Straße Strasse Ltd Network Net N 12 123 Ana Anna Anne O'Neil Ørsted")
	rng := rand.New(rand.NewPCG(5, 6))
	name := func() string {
		var ps []string
		for range 1 + rng.IntN(3) {
			ps = append(ps, words[rng.IntN(len(words))])
		}
		return strings.Join(ps, " ")
	}
	matched := 0
	for range 500 {
		q := FoldTokens(name())
		for k, tok := range q {
			if r := []rune(tok); len(r) > 2 && rng.IntN(2) == 0 {
				q[k] = string(r[:len(r)-1-rng.IntN(2)]) // a prefix, or a typo of a longer word
			}
		}
		m := NewMatcher(q)
		for range 40 {
			e := Entity{Name: name()}
			if rng.IntN(2) == 0 {
				e.Aliases = []string{name()}
			}
			want := referenceScore(q, &e)
			if got := m.Score(NameTokens(&e)); got != want {
				t.Fatalf("query %q on %q %q: Matcher %v, reference %v", q, e.Name, e.Aliases, got, want)
			}
			if got := MatchScore(q, &e); got != want {
				t.Fatalf("query %q on %q %q: MatchScore %v, reference %v", q, e.Name, e.Aliases, got, want)
			}
			if want > 0 {
				matched++
			}
		}
	}
	if matched < 1000 {
		t.Errorf("only %d of 20000 random pairs matched", matched)
	}
}

func TestRankHitsPaging(t *testing.T) {
	var hits []SearchHit
	for _, id := range []string{"d", "b", "a", "c", "e"} {
		score := 1.0
		if id == "c" {
			score = 2
		}
		hits = append(hits, SearchHit{Entity: Entity{ID: id}, Score: score})
	}
	var order []string
	after := ""
	for page := 0; page < 5; page++ {
		res, err := RankHits(append([]SearchHit(nil), hits...), 2, after)
		if err != nil {
			t.Fatal(err)
		}
		if res.TotalCount != 5 {
			t.Fatalf("TotalCount = %d", res.TotalCount)
		}
		for _, h := range res.Hits {
			order = append(order, h.Entity.ID)
		}
		if !res.HasNextPage {
			break
		}
		after = res.EndCursor
	}
	want := "c a b d e"
	if got := strings.Join(order, " "); got != want {
		t.Fatalf("paged order %q, want %q", got, want)
	}
}

func TestRankHitsCursorSurvivesInsert(t *testing.T) {
	hits := []SearchHit{{Entity: Entity{ID: "a"}, Score: 1}, {Entity: Entity{ID: "c"}, Score: 1}}
	first, _ := RankHits(append([]SearchHit(nil), hits...), 1, "")
	// "b" appears between pages: the next page continues after "a".
	hits = append(hits, SearchHit{Entity: Entity{ID: "b"}, Score: 1})
	next, err := RankHits(hits, 5, first.EndCursor)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(idsOf(next.Hits), " "); got != "b c" {
		t.Fatalf("after insert got %q, want %q", got, "b c")
	}
}

func TestDecodeCursorRejectsGarbage(t *testing.T) {
	for _, c := range []string{"!!!", "bm9waXBl", EncodeCursor(1, "")} {
		if _, err := DecodeCursor(c); !errors.Is(err, ErrInvalid) {
			t.Errorf("DecodeCursor(%q) err = %v, want ErrInvalid", c, err)
		}
	}
}

func idsOf(hs []SearchHit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Entity.ID)
	}
	return out
}

// A batch cursor keeps its batch; a plain one is batch 0; a bad batch is
// refused.
func TestBatchCursor(t *testing.T) {
	c, err := DecodeCursor(EncodeBatchCursor(3, 4.5, "person:a|b;c"))
	if err != nil || c != (Cursor{Score: 4.5, ID: "person:a|b;c", Batch: 3}) {
		t.Errorf("batch cursor decodes to %+v, %v", c, err)
	}
	if c, err := DecodeCursor(EncodeCursor(4.5, "x")); err != nil || c.Batch != 0 {
		t.Errorf("plain cursor decodes to %+v, %v", c, err)
	}
	for _, s := range []string{"0;4.5|x", "-1;4.5|x", "b;4.5|x", "3;|x"} {
		if _, err := DecodeCursor(base64.RawURLEncoding.EncodeToString([]byte(s))); !errors.Is(err, ErrInvalid) {
			t.Errorf("DecodeCursor(%q) err = %v, want ErrInvalid", s, err)
		}
	}
}

// Bound, given each query token's best TokenScore over all of an entity's
// tokens, its primary name's length and its shortest alias's, is never below the entity's Score, and is
// reached by some entities (a bound never reached would skip nothing).
func TestBoundIsAnUpperBound(t *testing.T) {
	words := strings.Fields("Krasniqi Krasniqu Kraniqi Seferović Burim Burimi Bur Ali Ana Anna Anne Ann Ltd Network Net N 12 123 Kari Karim")
	rng := rand.New(rand.NewPCG(8, 9))
	name := func() string {
		var ps []string
		for range 1 + rng.IntN(4) {
			ps = append(ps, words[rng.IntN(len(words))])
		}
		return strings.Join(ps, " ")
	}
	reached := 0
	for range 20000 {
		q := FoldTokens(name())
		for k, tok := range q {
			if r := []rune(tok); len(r) > 2 && rng.IntN(2) == 0 {
				q[k] = string(r[:len(r)-1-rng.IntN(2)])
			}
		}
		m := NewMatcher(q)
		e := Entity{Name: name()}
		for range rng.IntN(3) {
			e.Aliases = append(e.Aliases, name())
		}
		names := NameTokens(&e)
		best := make([]float64, len(q))
		primary, alias := len(names[0]), 0
		for i, toks := range names {
			if i > 0 && len(toks) > 0 && (alias == 0 || len(toks) < alias) {
				alias = len(toks)
			}
			for _, tok := range toks {
				for k := range q {
					best[k] = max(best[k], m.TokenScore(k, tok))
				}
			}
		}
		s, b := m.Score(names), m.Bound(best, primary, alias)
		if s > b {
			t.Fatalf("query %q on %q %q: Score %v above Bound %v (best %v, names of %d and %d tokens)", q, e.Name, e.Aliases, s, b, best, primary, alias)
		}
		if s > 0 && s == b {
			reached++
		}
	}
	if reached < 1000 {
		t.Errorf("Bound reached only %d times", reached)
	}
}

// ScoreKey of an entity's NameKey is Score of its NameTokens, to the bit:
// names of one to four tokens, punctuation, marks, empty and token-less
// names and aliases, and queries of exact, prefix and typo tokens.
func TestScoreKeyIsScore(t *testing.T) {
	words := strings.Fields("Krasniqi Krasniqu Kraniqi Seferović SEFEROVIC Burim Burimi Bur Ali Ana Anna Anne Ann Ltd. Network Net N 12 123 Kari Karim - & Đorđe")
	rng := rand.New(rand.NewPCG(3, 4))
	name := func() string {
		var ps []string
		for range rng.IntN(5) {
			ps = append(ps, words[rng.IntN(len(words))])
		}
		return strings.Join(ps, " ")
	}
	matched := 0
	for range 20000 {
		q := FoldTokens(name())
		for k, tok := range q {
			if r := []rune(tok); len(r) > 2 && rng.IntN(2) == 0 {
				q[k] = string(r[:len(r)-1-rng.IntN(2)])
			}
		}
		m := NewMatcher(q)
		e := Entity{Name: name()}
		for range rng.IntN(3) {
			e.Aliases = append(e.Aliases, name())
		}
		want, got := m.Score(NameTokens(&e)), m.ScoreKey(NameKey(&e))
		if got != want {
			t.Fatalf("query %q on %q %q (key %q): ScoreKey %v, Score %v", q, e.Name, e.Aliases, NameKey(&e), got, want)
		}
		if want > 0 {
			matched++
		}
	}
	if matched < 1000 {
		t.Errorf("only %d of the entities matched", matched)
	}
	e := Entity{Name: "Burim Krasniqi", Aliases: []string{"B. Krasniqi"}}
	m, key := NewMatcher(FoldTokens("krasniq")), NameKey(&e)
	if n := testing.AllocsPerRun(100, func() { m.ScoreKey(key) }); n != 0 {
		t.Errorf("ScoreKey allocates %v times a call", n)
	}
}
