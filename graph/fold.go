package graph

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// special maps letters that Unicode decomposition does not reduce to ASCII
// but that investigators type without their marks.
var special = strings.NewReplacer(
	"đ", "d", "Đ", "d", "ß", "ss", "ø", "o", "Ø", "o", "ł", "l", "Ł", "l",
	"æ", "ae", "Æ", "ae", "œ", "oe", "Œ", "oe", "ı", "i", "þ", "th", "Þ", "th",
)

// Fold lowercases s and strips diacritics, so "Seferović" and "SEFEROVIC"
// fold to the same "seferovic". It is the one folding used by search on every
// store (the Neo4j store indexes the folded text).
func Fold(s string) string {
	if isASCII(s) { // the common case: nothing to decompose
		return strings.ToLower(s)
	}
	// Invalid bytes would stop the transformer half-way; they match nothing
	// anyway.
	// Lower-case first (it can add marks: İ -> i̇), then strip marks, then
	// map the special letters (decomposition can produce them: Ǽ -> Æ).
	s = strings.ToLower(strings.ToValidUTF8(s, " "))
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return special.Replace(out)
}

// FoldTokens folds s and splits it into tokens of letters and digits.
func FoldTokens(s string) []string {
	if isASCII(s) {
		// The common case, and a hot one: a store folds every name it
		// loads.
		return strings.FieldsFunc(strings.ToLower(s), notASCIIAlnum)
	}
	return strings.FieldsFunc(Fold(s), notAlnum)
}

func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }

// notASCIIAlnum is notAlnum for lower-case ASCII, without the Unicode
// tables.
func notASCIIAlnum(r rune) bool { return !('a' <= r && r <= 'z' || '0' <= r && r <= '9') }

// NameTokens is FoldTokens of each of e's names (Names: the name first,
// then the aliases), what Matcher.Score takes.
func NameTokens(e *Entity) [][]string {
	names := e.Names()
	out := make([][]string, len(names))
	for i, n := range names {
		out[i] = FoldTokens(n)
	}
	return out
}

// SearchText is the folded, space-separated tokens of all the entity's
// names: what search matches against, and what the Neo4j full-text index
// holds.
func SearchText(e *Entity) string {
	var toks []string
	for _, n := range e.Names() {
		toks = append(toks, FoldTokens(n)...)
	}
	return strings.Join(toks, " ")
}

// LatinText is the space-separated LatinTokens of those of the entity's
// names that transliteration changes (written in Cyrillic or Greek), empty
// when none: with SearchText, the tokens BlockNames gives, which the Neo4j
// store indexes for screening's blocking apart from search's.
func LatinText(e *Entity) string {
	var toks []string
	for _, n := range e.Names() {
		if l := LatinTokens(n); !slices.Equal(l, FoldTokens(n)) {
			toks = append(toks, l...)
		}
	}
	return strings.Join(toks, " ")
}

// IndexTokens is the distinct tokens of BlockNames of the entity's names
// (SearchText's and LatinText's), in order of first appearance: what the
// embedded store indexes an entity by. Search scores its hits by
// NameTokens, so the transliterated tokens only widen screening's
// blocking.
func IndexTokens(e *Entity) []string {
	var toks []string
	for _, n := range BlockNames(e.Names()) {
		for _, t := range n {
			if !slices.Contains(toks, t) {
				toks = append(toks, t)
			}
		}
	}
	return toks
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
