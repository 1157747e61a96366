package graph

import (
	"slices"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Nusret Seferović": "nusret seferovic",
		"SEFEROVIĆ":        "seferovic",
		"Škaljari":         "skaljari",
		"Kavač":            "kavac",
		"Đorđe":            "dorde",
		"Straße":           "strasse",
		"plain":            "plain",
		"Ǽ":                "ae",       // decomposes to Æ, mapped after
		"İstanbul":         "istanbul", // lower-casing adds a combining dot
		"a\xf5Ѷ":           "a ѵ",      // invalid UTF-8 does not stop folding
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFoldTokens(t *testing.T) {
	got := FoldTokens("  ALPA Trading-FZCO, (Dubai) ")
	want := []string{"alpa", "trading", "fzco", "dubai"}
	if !slices.Equal(got, want) {
		t.Fatalf("FoldTokens = %q, want %q", got, want)
	}
	if len(FoldTokens("--- ,,, ")) != 0 {
		t.Fatal("punctuation-only text must have no tokens")
	}
}

func TestSearchTextCoversAliases(t *testing.T) {
	e := Entity{Name: "Nusret Seferović", Aliases: []string{"Seferovic"}}
	if got, want := SearchText(&e), "nusret seferovic seferovic"; got != want {
		t.Fatalf("SearchText = %q, want %q", got, want)
	}
}

// The ASCII fast path of FoldTokens must split exactly as the Unicode one.
func TestFoldTokensASCIIPath(t *testing.T) {
	inputs := []string{"Burim Krasniqi", "  KRASNIQI, burim!! ", "O'Neil-Smith Ltd. (UK) 2025", "a_b\tc\x00d\x7f", ""}
	for r := rune(0); r < 128; r++ {
		inputs = append(inputs, "x"+string(r)+"Y")
	}
	for _, s := range inputs {
		if got, want := FoldTokens(s), strings.FieldsFunc(Fold(s), notAlnum); !slices.Equal(got, want) {
			t.Errorf("FoldTokens(%q) = %q, Unicode path %q", s, got, want)
		}
	}
}
