package graph

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Defaults and limits of screening (match), duplicate finding (xref) and
// judgements. Every caller (GraphQL, POST /api/match, the CLI) takes them
// from here.
const (
	DefaultMatchThreshold = 0.7
	DefaultMatchLimit     = 5    // candidates per query
	MaxMatchLimit         = 50   // candidates per query
	MaxMatchQueries       = 1000 // queries per request
	MaxMatchNames         = 20   // names per query
	MaxMatchValues        = 20   // countries, identifiers per query
	MaxMatchNameTokens    = 12   // tokens of one name that are compared
	// MaxMatchCandidates bounds what blocking hands the scorer for one
	// query (or one entity of xref): the entities sharing most name tokens
	// or an identifier with it.
	MaxMatchCandidates = 100
	// MaxMatchBodyBytes bounds a POST /api/match body.
	MaxMatchBodyBytes = 4 << 20
	DefaultXrefFirst  = 50
	MaxXrefFirst      = 500
	// MaxXrefEntities bounds the entities one xref compares with the rest
	// of the graph (the whole graph when no ids are given).
	MaxXrefEntities = MaxSnapshotNodes
	// DefaultJudgementFirst and MaxJudgementFirst page judgements.
	DefaultJudgementFirst = 50
	MaxJudgementFirst     = MaxRecordFirst
)

// Weights of the features that qualify a name score (after nomenklatura's
// logic-v1: the best of the name and identifier scores, then qualifiers
// added). A conflicting birth date or identifier takes more than any name
// can give above the default threshold, and vetoes the match outright.
const (
	weightDateAgrees       = 0.1
	weightCountryOverlap   = 0.05
	weightConflict         = -0.5
	scoreIdentifierMatches = 0.95 // the score an agreeing identifier alone gives
)

// MatchQuery is one name to screen: the names it goes by (aliases count as
// names), optionally what kind it is, when it was born, its countries and
// identifiers (document, registration, IMO numbers, IBANs). Key is the
// caller's own reference, returned with the result.
type MatchQuery struct {
	Key         string   `json:"key,omitempty"`
	Kind        Kind     `json:"kind,omitempty"`
	Names       []string `json:"names"`
	BirthDate   string   `json:"birthDate,omitempty"`
	Countries   []string `json:"countries,omitempty"`
	Identifiers []string `json:"identifiers,omitempty"`
}

// MatchOptions are the knobs of one match request.
type MatchOptions struct {
	Threshold float64 // score from which a candidate is a match; 0 means DefaultMatchThreshold
	Limit     int     // candidates per query; 0 means DefaultMatchLimit
}

// Normalize applies defaults and checks limits.
func (o *MatchOptions) Normalize() error {
	if err := matchThreshold(&o.Threshold, "match"); err != nil {
		return err
	}
	return inRange(&o.Limit, DefaultMatchLimit, 1, MaxMatchLimit, "match: limit")
}

// matchThreshold applies DefaultMatchThreshold to a zero *v, then checks
// that it is above 0 and at most 1 (a score); what names the request in
// the error. Match and xref requests share it.
func matchThreshold(v *float64, what string) error {
	if *v == 0 {
		*v = DefaultMatchThreshold
	}
	if !(*v > 0 && *v <= 1) {
		return fmt.Errorf("%s: threshold must be above 0 and at most 1: %w", what, ErrInvalid)
	}
	return nil
}

// MatchResult is the answer to one query: its candidates, best first.
type MatchResult struct {
	Key        string           `json:"key,omitempty"`
	Candidates []MatchCandidate `json:"candidates"`
}

// MatchCandidate is an entity a query may be, with its score (0 to 1),
// whether it reaches the threshold, and the features that explain it.
type MatchCandidate struct {
	Entity   Entity         `json:"entity"`
	Score    float64        `json:"score"`
	Match    bool           `json:"match"`
	Features []MatchFeature `json:"features"`
}

// MatchFeature is one part of a score: what it added (or took away) and why.
type MatchFeature struct {
	Name   string  `json:"name"`
	Score  float64 `json:"score"`
	Detail string  `json:"detail"`
}

// Feature names.
const (
	FeatureName       = "name"
	FeatureBirthDate  = "birthDate"
	FeatureIdentifier = "identifier"
	FeatureCountry    = "country"
)

// Normalize trims and checks a query; i is its position, for errors.
func (q *MatchQuery) Normalize(i int) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("match: query %d: "+format+": %w", append(append([]any{i}, args...), ErrInvalid)...)
	}
	if len(q.Key) > MaxIDLength || !utf8.ValidString(q.Key) {
		return bad("key must be at most %d bytes of UTF-8", MaxIDLength)
	}
	if q.Kind != "" && !q.Kind.Valid() {
		return bad("unknown kind %q", q.Kind)
	}
	q.Names = cleanList(q.Names, "")
	if len(q.Names) == 0 {
		return bad("give at least one name")
	}
	if len(q.Names) > MaxMatchNames {
		return fmt.Errorf("match: query %d: %d names, at most %d: %w", i, len(q.Names), MaxMatchNames, ErrTooComplex)
	}
	tokens := 0
	for _, n := range q.Names {
		if err := validateText("name", n, MaxNameLength); err != nil {
			return bad("%v", err)
		}
		tokens += len(LatinTokens(n))
	}
	if tokens == 0 {
		return bad("the names hold no letters or digits")
	}
	if q.BirthDate = strings.TrimSpace(q.BirthDate); q.BirthDate != "" {
		if _, err := ParseDate(q.BirthDate); err != nil {
			return bad("birthDate: %v", err)
		}
	}
	q.Countries = cleanList(q.Countries, "")
	q.Identifiers = cleanList(q.Identifiers, "")
	if len(q.Countries) > MaxMatchValues || len(q.Identifiers) > MaxMatchValues {
		return fmt.Errorf("match: query %d: at most %d countries and %d identifiers: %w", i, MaxMatchValues, MaxMatchValues, ErrTooComplex)
	}
	for _, v := range append(slices.Clone(q.Countries), q.Identifiers...) {
		if err := validateText("value", v, MaxNameLength); err != nil {
			return bad("%v", err)
		}
	}
	return nil
}

// NormalizeMatch checks a whole request.
func NormalizeMatch(qs []MatchQuery, o *MatchOptions) error {
	if len(qs) > MaxMatchQueries {
		return fmt.Errorf("match: %d queries, at most %d per request: %w", len(qs), MaxMatchQueries, ErrTooComplex)
	}
	for i := range qs {
		if err := qs[i].Normalize(i); err != nil {
			return err
		}
	}
	return o.Normalize()
}

// NormalIdentifier is the form identifiers are compared in: letters and
// digits only, folded ("AB 12-34/5" and "ab12345" agree).
func NormalIdentifier(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return r
		}
		return -1
	}, Latinize(s))
}

// EntityIdentifiers returns the normalised values of the entity's
// identifier fields (Field.Identifier), sorted and unique.
func EntityIdentifiers(e *Entity) []string {
	spec, ok := e.Kind.Spec()
	if !ok {
		return nil
	}
	var out []string
	for _, f := range spec.Fields {
		if !f.Identifier {
			continue
		}
		if v := NormalIdentifier(e.Properties[f.Property]); v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// CandidateQuery asks a store for the entities a match should score
// (blocking). See Store.Candidates.
type CandidateQuery struct {
	// Tokens are name tokens (LatinTokens, and FoldTokens for names not in
	// Latin script); initials (one rune) are ignored.
	Tokens []string
	// Identifiers are NormalIdentifier values.
	Identifiers []string
	Kinds       []Kind
	// Limit is the most entities returned; 0 means MaxMatchCandidates.
	Limit int
	// Select is what the caller reads of the entities returned (the zero
	// value: whole records); it never changes which are returned. A store
	// answering several queries at once may fetch, for all of them, what
	// any of them selects.
	Select Selection
}

// scoringSelection is what screening reads of an entity to score it
// (entitySubject): its names, countries and properties. Match and xref
// score candidates fetched so, and fetch whole records only for what they
// return.
var scoringSelection = Selection{Partial: true, Entity: EntityName | EntityAliases | EntityCountries | EntityProperties}

// Normalize applies defaults and limits.
func (q *CandidateQuery) Normalize() error {
	var toks []string
	for _, t := range q.Tokens {
		if utf8.RuneCountInString(t) > 1 && !slices.Contains(toks, t) {
			toks = append(toks, t)
		}
	}
	q.Tokens = toks
	q.Identifiers = cleanList(q.Identifiers, "")
	if len(q.Tokens) > MaxMatchNames*MaxMatchNameTokens || len(q.Identifiers) > MaxMatchValues {
		return fmt.Errorf("candidates: too many tokens or identifiers: %w", ErrTooComplex)
	}
	if err := validKinds(q.Kinds); err != nil {
		return err
	}
	return inRange(&q.Limit, MaxMatchCandidates, 1, MaxMatchCandidates, "candidates: limit")
}

// BlockRank is how strongly blocking ties an entity to a candidate query:
// 100 for an identifier in common, plus one for each query token that some
// name token of the entity equals or is a typo of (within TypoAllowance).
// Every store ranks candidates by it (then by id), so all return the same
// ones. names are the entity's BlockNames, ids its identifiers
// (EntityIdentifiers).
func BlockRank(q *CandidateQuery, m *Matcher, names [][]string, ids []string) int {
	rank := 0
	for _, id := range q.Identifiers {
		if slices.Contains(ids, id) {
			rank = 100
			break
		}
	}
	for k, qt := range q.Tokens {
	next:
		for _, toks := range names {
			for _, t := range toks {
				if t == qt {
					rank++
					break next
				}
				if _, ok := m.Typo(k, t); ok {
					rank++
					break next
				}
			}
		}
	}
	return rank
}

// BlockRanker is BlockRank for one query over many entities: it
// remembers which query tokens each distinct name token counts for (the
// entities blocking finds on a large graph repeat the same few tokens).
// It is not safe for concurrent use.
type BlockRanker struct {
	q     *CandidateQuery
	m     *Matcher
	memo  map[string][]int32 // name token -> the query tokens (k) it counts for
	stamp []uint32           // per query token: the Rank call that counted it
	epoch uint32
}

// NewBlockRanker prepares BlockRank of the normalized query q.
func NewBlockRanker(q *CandidateQuery) *BlockRanker {
	return &BlockRanker{q: q, m: NewMatcher(q.Tokens), memo: map[string][]int32{}, stamp: make([]uint32, len(q.Tokens))}
}

// Rank is BlockRank(q, m, names, ids) for an entity whose name tokens
// (the tokens of its BlockNames, grouped in any way: BlockRank asks only
// whether some name token matches) are tokens.
func (b *BlockRanker) Rank(tokens [][]string, ids []string) int {
	rank := 0
	for _, id := range b.q.Identifiers {
		if slices.Contains(ids, id) {
			rank = 100
			break
		}
	}
	b.epoch++
	if b.epoch == 0 {
		clear(b.stamp)
		b.epoch = 1
	}
	for _, toks := range tokens {
		for _, t := range toks {
			ks, ok := b.memo[t]
			if !ok {
				for k, qt := range b.q.Tokens {
					if t == qt {
						ks = append(ks, int32(k))
					} else if _, typo := b.m.Typo(k, t); typo {
						ks = append(ks, int32(k))
					}
				}
				b.memo[t] = ks
			}
			for _, k := range ks {
				if b.stamp[k] != b.epoch {
					b.stamp[k] = b.epoch
					rank++
				}
			}
		}
	}
	return rank
}

// BlockNames is the name tokens blocking compares, on the query's side and
// on the entity's (both stores index them): FoldTokens of each name, and
// LatinTokens too where they differ, so a name written in Cyrillic or Greek
// and its Latin spelling find each other whichever side is which.
func BlockNames(names []string) [][]string {
	var out [][]string
	for _, n := range names {
		f := FoldTokens(n)
		out = append(out, f)
		if l := LatinTokens(n); !slices.Equal(l, f) {
			out = append(out, l)
		}
	}
	return out
}

// RankCandidates sorts ranked entities by rank descending then id, drops
// those of rank 0 and keeps the first limit.
func RankCandidates(es []Entity, ranks []int, limit int) []Entity {
	idx := make([]int, 0, len(es))
	for i := range es {
		if ranks[i] > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		if ranks[a] != ranks[b] {
			return ranks[b] - ranks[a]
		}
		return strings.Compare(es[a].ID, es[b].ID)
	})
	if len(idx) > limit {
		idx = idx[:limit]
	}
	out := make([]Entity, len(idx))
	for k, i := range idx {
		out[k] = es[i]
	}
	return out
}
