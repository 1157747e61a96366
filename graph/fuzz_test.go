package graph

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSearchNormalize: the search-query normaliser never panics, yields
// tokens that are already folded, and every entity named by the query
// itself matches it.
func FuzzSearchNormalize(f *testing.F) {
	for _, s := range []string{"seferovic", "Nusret Seferović", "ŠKALJARI", "a\x00b", "'; MATCH (n) DETACH DELETE n //", "\u0301\u0301", "ǅ ß İ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := SearchQuery{Text: s}
		err := q.Normalize()
		toks := FoldTokens(s)
		if err == nil && len(toks) == 0 {
			t.Fatalf("accepted a query without tokens: %q", s)
		}
		for _, tok := range toks {
			if !utf8.ValidString(tok) && utf8.ValidString(s) {
				t.Fatalf("token %q of valid input is not UTF-8", tok)
			}
			if again := FoldTokens(tok); len(again) != 1 || again[0] != tok {
				t.Fatalf("folding is not idempotent: %q -> %q", tok, again)
			}
		}
		if len(toks) > 0 && len(toks) < 20 {
			e := Entity{ID: "x", Name: strings.Join(toks, " ")}
			if MatchScore(toks, &e) < 100 {
				t.Fatalf("a name equal to the query must match exactly: %q", s)
			}
		}
	})
}

// FuzzValidateID: ids are accepted only when they are non-empty, bounded
// UTF-8 without white space, and cursors round-trip any accepted id.
func FuzzValidateID(f *testing.F) {
	for _, s := range []string{"person:burim-krasniqi", "", " ", "a b", "x\n", strings.Repeat("a", 300), "\xff"} {
		f.Add(s, 1.5)
	}
	f.Fuzz(func(t *testing.T, id string, score float64) {
		if err := ValidateID(id); err != nil {
			return
		}
		if id == "" || len(id) > MaxIDLength || !utf8.ValidString(id) || strings.ContainsAny(id, " \t\n\r") {
			t.Fatalf("accepted bad id %q", id)
		}
		if score != score { // NaN cannot round-trip through text equality
			return
		}
		c, err := DecodeCursor(EncodeCursor(score, id))
		if err != nil || c.ID != id || c.Score != score {
			t.Fatalf("cursor round trip of (%v, %q): %+v %v", score, id, c, err)
		}
	})
}
