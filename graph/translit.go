package graph

import (
	"strings"
)

// latin maps the base letters of the Cyrillic and Greek scripts, lower
// case and without marks (Fold has removed them: й is и, ё is е, ά is α),
// to Latin, after the transliteration tables of ICAO Doc 9303
// ("Machine Readable Travel Documents", Part 3, section 6: the tables
// passports use in their machine-readable zone, so a name typed from a
// passport folds the way the passport wrote it). Serbian and Macedonian
// letters follow the same tables (ђ d, ћ c, ј j, љ lj, њ nj, џ dz), which is
// also what their Latin alphabets give once Fold strips the marks (Đ d,
// Ć c). Of the Greek digraphs only ου (ou) is taken as one (see
// Latinize); the others go letter by letter.
var latin = map[rune]string{
	// Cyrillic.
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'ґ': "g", 'д': "d", 'ђ': "d", 'е': "e", 'є': "ie",
	'ж': "zh", 'з': "z", 'ѕ': "dz", 'и': "i", 'і': "i", 'ј': "j", 'к': "k", 'л': "l", 'љ': "lj",
	'м': "m", 'н': "n", 'њ': "nj", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'ћ': "c",
	'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'џ': "dz", 'ш': "sh", 'щ': "shch",
	'ъ': "ie", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
	// Greek.
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th", 'ι': "i",
	'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s",
	'ς': "s", 'τ': "t", 'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
}

// Latinize is Fold followed by the transliteration of Cyrillic and Greek
// letters to Latin (see latin): "Нусрет Сеферовић" and "Nusret Seferović"
// both give "nusret seferovic". Letters of other scripts are kept.
func Latinize(s string) string {
	f := Fold(s)
	if isASCII(f) {
		return f
	}
	var b strings.Builder
	b.Grow(len(f))
	prev := rune(0)
	for _, r := range f {
		if r == 'υ' && prev == 'ο' {
			b.WriteString("u")
			prev = r
			continue
		}
		prev = r
		if l, ok := latin[r]; ok {
			b.WriteString(l)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// LatinTokens is Latinize split into tokens of letters and digits, what
// screening compares names by.
func LatinTokens(s string) []string {
	if isASCII(s) {
		return FoldTokens(s)
	}
	return strings.FieldsFunc(Latinize(s), notAlnum)
}
