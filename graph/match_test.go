package graph

import (
	"errors"
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
		if got := editDistance([]rune(c.a), []rune(c.b), c.limit); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
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
