package embedded

import (
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
)

// The ASCII fast path must fold exactly as the shared graph.FoldTokens.
func TestFoldTokensMatchesGraph(t *testing.T) {
	for _, s := range []string{
		"Burim Krasniqi", "  KRASNIQI, burim!! ", "O'Neil-Smith Ltd. (UK) 2025", "a_b\tc\x00d\x7f", "",
		"Nusret Seferović", "ĐORĐE ßtraße", "Ali Derakhshan / علی درخشان",
	} {
		if got, want := foldTokens(s), graph.FoldTokens(s); !slices.Equal(got, want) {
			t.Errorf("foldTokens(%q) = %q, graph.FoldTokens = %q", s, got, want)
		}
	}
	for r := rune(0); r < 128; r++ {
		s := "x" + string(r) + "y"
		if got, want := foldTokens(s), graph.FoldTokens(s); !slices.Equal(got, want) {
			t.Errorf("foldTokens(%q) = %q, graph.FoldTokens = %q", s, got, want)
		}
	}
}
