package graph

import (
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Scores of one name token against another (after nomenklatura's
// logic-v2 name alignment: parts paired one to one, order free, each pair
// scored, unpaired parts weighed in).
const (
	partInitial = 0.8 // "b" against "burim"
	// weightExtraPart is the weight of a part left unpaired once two or
	// more parts are paired: a middle name one side lacks costs little.
	// With fewer than two pairs an unpaired part weighs as much as a
	// paired one, so a shared surname alone ("Krasniqi" against "Burim
	// Krasniqi") scores half at most, never a match.
	weightExtraPart = 0.3
)

// subject is one side of a comparison: a query, or an entity as xref sees
// it, in the forms the features compare.
type subject struct {
	names     []string   // as given, for the explanations
	tokens    [][]string // LatinTokens of each name, at most MaxMatchNameTokens
	birth     *Date
	countries []string // Latinized
	// countryBits has a bit per country (a hash of it): two subjects
	// with no bit in common have no country in common.
	countryBits uint64
	ids         []string // NormalIdentifier values, sorted
}

func newSubject(names []string, birth string, countries, ids []string) subject {
	s := subject{names: names, tokens: make([][]string, len(names))}
	for i, n := range names {
		t := LatinTokens(n)
		if len(t) > MaxMatchNameTokens {
			t = t[:MaxMatchNameTokens]
		}
		s.tokens[i] = t
	}
	if birth != "" {
		if d, err := ParseDate(birth); err == nil {
			s.birth = &d
		}
	}
	for _, c := range countries {
		if c = strings.TrimSpace(Latinize(c)); c != "" && !slices.Contains(s.countries, c) {
			s.countries = append(s.countries, c)
		}
	}
	slices.Sort(s.countries)
	for _, c := range s.countries {
		h := fnv.New64a()
		h.Write([]byte(c))
		s.countryBits |= 1 << (h.Sum64() % 64)
	}
	for _, id := range ids {
		if id = NormalIdentifier(id); id != "" {
			s.ids = append(s.ids, id)
		}
	}
	slices.Sort(s.ids)
	s.ids = slices.Compact(s.ids)
	return s
}

func querySubject(q *MatchQuery) subject {
	return newSubject(q.Names, q.BirthDate, q.Countries, q.Identifiers)
}

// entitySubject describes e; held are the identifiers of the documents it
// holds (HOLDS links), beside its own identifier fields.
func entitySubject(e *Entity, held []string) subject {
	countries := slices.Clone(e.Countries)
	for _, p := range []string{"nationality", "jurisdiction", "country"} {
		for _, c := range strings.Split(e.Properties[p], ";") {
			if c = strings.TrimSpace(c); c != "" {
				countries = append(countries, c)
			}
		}
	}
	return newSubject(e.Names(), e.Properties["birthDate"], countries, append(EntityIdentifiers(e), held...))
}

// scorer compares subjects, reusing its distance buffers. Not safe for
// concurrent use.
type scorer struct {
	dist  osa
	buf   []rune
	pairs []partPair
	used  []bool
	// explain builds the features' details; off, compare only scores
	// (xref and match score every candidate first, then explain the
	// ones they keep).
	explain bool
}

// scored is a comparison's outcome. raw is the sum before clamping to
// [0, 1], which orders candidates that both reach 1.
type scoredPair struct {
	score, raw float64
	vetoed     bool
	features   []MatchFeature
}

func round9(v float64) float64 { return math.Round(v*1e9) / 1e9 }

// compare scores how likely b is the same as a.
func (sc *scorer) compare(a, b *subject) scoredPair {
	var out scoredPair
	name, detail := sc.bestName(a, b)
	out.features = append(out.features, MatchFeature{Name: FeatureName, Score: round9(name), Detail: detail})
	total := name
	add := func(f MatchFeature) {
		f.Score = round9(f.Score)
		total += f.Score
		out.features = append(out.features, f)
	}
	if !sc.explain {
		return qualify(a, b, name)
	}
	if a.birth != nil || b.birth != nil {
		switch {
		case a.birth == nil || b.birth == nil:
			add(MatchFeature{Name: FeatureBirthDate, Detail: "only one side has a birth date: " + dateText(a.birth) + " / " + dateText(b.birth)})
		case a.birth.First <= b.birth.Last && b.birth.First <= a.birth.Last:
			add(MatchFeature{Name: FeatureBirthDate, Score: weightDateAgrees, Detail: fmt.Sprintf("birth dates agree: %s and %s", a.birth.Text, b.birth.Text)})
		default:
			out.vetoed = true
			add(MatchFeature{Name: FeatureBirthDate, Score: weightConflict, Detail: fmt.Sprintf("birth dates conflict: %s and %s", a.birth.Text, b.birth.Text)})
		}
	}
	if len(a.ids) > 0 || len(b.ids) > 0 {
		common := intersect(a.ids, b.ids)
		switch {
		case len(common) > 0:
			add(MatchFeature{Name: FeatureIdentifier, Score: max(scoreIdentifierMatches-name, weightDateAgrees), Detail: "identifier in common: " + strings.Join(common, ", ")})
		case len(a.ids) == 0 || len(b.ids) == 0:
			add(MatchFeature{Name: FeatureIdentifier, Detail: "only one side has identifiers: " + listText(a.ids) + " / " + listText(b.ids)})
		default:
			out.vetoed = true
			add(MatchFeature{Name: FeatureIdentifier, Score: weightConflict, Detail: "identifiers differ: " + listText(a.ids) + " / " + listText(b.ids)})
		}
	}
	if len(a.countries) > 0 && len(b.countries) > 0 {
		if common := intersect(a.countries, b.countries); len(common) > 0 {
			add(MatchFeature{Name: FeatureCountry, Score: weightCountryOverlap, Detail: "countries in common: " + strings.Join(common, ", ")})
		} else {
			add(MatchFeature{Name: FeatureCountry, Detail: "no country in common: " + listText(a.countries) + " / " + listText(b.countries)})
		}
	}
	out.raw = round9(total)
	out.score = round9(min(max(total, 0), 1))
	return out
}

// qualify is compare without the features' details, given the name
// score: the same arithmetic.
func qualify(a, b *subject, name float64) scoredPair {
	out := scoredPair{}
	total := name
	if a.birth != nil && b.birth != nil {
		if a.birth.First <= b.birth.Last && b.birth.First <= a.birth.Last {
			total += weightDateAgrees
		} else {
			out.vetoed = true
			total += weightConflict
		}
	}
	if len(a.ids) > 0 && len(b.ids) > 0 {
		if hasCommon(a.ids, b.ids) {
			total += round9(max(scoreIdentifierMatches-name, weightDateAgrees))
		} else {
			out.vetoed = true
			total += weightConflict
		}
	}
	if a.countryBits&b.countryBits != 0 && hasCommon(a.countries, b.countries) {
		total += weightCountryOverlap
	}
	out.raw = round9(total)
	out.score = round9(min(max(total, 0), 1))
	return out
}

func hasCommon(a, b []string) bool {
	for _, v := range a {
		if _, ok := slices.BinarySearch(b, v); ok {
			return true
		}
	}
	return false
}

func dateText(d *Date) string {
	if d == nil {
		return "none"
	}
	return d.Text
}

func listText(vs []string) string {
	if len(vs) == 0 {
		return "none"
	}
	return strings.Join(vs, ", ")
}

// intersect is the values of sorted a that sorted b also holds.
func intersect(a, b []string) []string {
	var out []string
	for _, v := range a {
		if _, ok := slices.BinarySearch(b, v); ok {
			out = append(out, v)
		}
	}
	return out
}

// bestName is the best name score over every pair of names of a and b,
// with its explanation; ties go to the first pair.
func (sc *scorer) bestName(a, b *subject) (float64, string) {
	best, detail := -1.0, ""
	for i, at := range a.tokens {
		for j, bt := range b.tokens {
			s, parts := sc.names(at, bt)
			if s > best {
				best = s
				if sc.explain {
					detail = fmt.Sprintf("%q ~ %q: %s", a.names[i], b.names[j], parts)
				}
			}
		}
	}
	return round9(max(best, 0)), detail
}

type partPair struct {
	i, j  int
	score float64
}

// names aligns two token lists one to one, best pairs first, and scores
// the alignment: the mean of the paired scores, unpaired parts weighing
// weightExtraPart each once two parts pair, 1 each otherwise.
func (sc *scorer) names(a, b []string) (float64, string) {
	pairs := sc.pairs[:0]
	for i, x := range a {
		for j, y := range b {
			if s := sc.part(x, y); s > 0 {
				pairs = append(pairs, partPair{i, j, s})
			}
		}
	}
	sc.pairs = pairs
	slices.SortStableFunc(pairs, func(p, q partPair) int {
		switch {
		case p.score > q.score:
			return -1
		case p.score < q.score:
			return 1
		}
		return 0
	})
	if cap(sc.used) < len(a)+len(b) {
		sc.used = make([]bool, len(a)+len(b))
	}
	used := sc.used[:len(a)+len(b)]
	clear(used)
	usedA, usedB := used[:len(a)], used[len(a):]
	var sum float64
	var explain []string
	paired := 0
	for _, p := range pairs {
		if usedA[p.i] || usedB[p.j] {
			continue
		}
		usedA[p.i], usedB[p.j] = true, true
		sum += p.score
		paired++
		if sc.explain {
			explain = append(explain, sc.partText(a[p.i], b[p.j], p.score))
		}
	}
	extra := 0
	var extras []string
	for i, u := range usedA {
		if !u {
			extra++
			extras = append(extras, a[i])
		}
	}
	for j, u := range usedB {
		if !u {
			extra++
			extras = append(extras, b[j])
		}
	}
	if sc.explain && extra > 0 {
		explain = append(explain, "unpaired: "+strings.Join(extras, ", "))
	}
	if paired == 0 {
		return 0, strings.Join(explain, "; ")
	}
	w := 1.0
	if paired >= 2 {
		w = weightExtraPart
	}
	return sum / (float64(paired) + w*float64(extra)), strings.Join(explain, "; ")
}

// partText explains one paired part.
func (sc *scorer) partText(x, y string, score float64) string {
	switch {
	case x == y:
		return x + " = " + y
	case score == partInitial && (utf8.RuneCountInString(x) == 1 || utf8.RuneCountInString(y) == 1):
		return x + " initial of " + y
	}
	sc.buf = append(sc.buf[:0], []rune(x)...)
	d := sc.dist.distance(sc.buf, y, TypoAllowance(min(utf8.RuneCountInString(x), utf8.RuneCountInString(y))))
	edits := "edits"
	if d == 1 {
		edits = "edit"
	}
	return fmt.Sprintf("%s ~ %s (%d %s)", x, y, d, edits)
}

// part scores one token against another: 1 when equal, partInitial for an
// initial of the other, 1 - edits/length within the typo allowance of the
// shorter token (TypoAllowance), else 0.
func (sc *scorer) part(x, y string) float64 {
	if x == y {
		return 1
	}
	nx, ny := utf8.RuneCountInString(x), utf8.RuneCountInString(y)
	if nx == 1 && ny > 1 && strings.HasPrefix(y, x) || ny == 1 && nx > 1 && strings.HasPrefix(x, y) {
		return partInitial
	}
	if nx == 1 || ny == 1 {
		return 0
	}
	allow := TypoAllowance(min(nx, ny))
	if allow == 0 {
		return 0
	}
	if d := nx - ny; d > allow || -d > allow {
		return 0
	}
	sc.buf = sc.buf[:0]
	for _, r := range x {
		sc.buf = append(sc.buf, r)
	}
	d := sc.dist.distance(sc.buf, y, allow)
	if d > allow {
		return 0
	}
	return 1 - float64(d)/float64(max(nx, ny))
}
