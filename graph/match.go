package graph

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// TypoAllowance is the number of edits (insertions, deletions,
// substitutions, transpositions) a query token of this many runes may be
// away from a name token: none below 4 runes, 1 up to 7, 2 from 8.
func TypoAllowance(runes int) int {
	switch {
	case runes < 4:
		return 0
	case runes < 8:
		return 1
	}
	return 2
}

// Scores of a single query token against a name token.
const (
	scoreExact  = 1.0
	scorePrefix = 0.7
	scoreTypo   = 0.5
)

// MatchScore ranks an entity for a search: 0 when it does not match (see
// SearchQuery). Higher is better: an exact match of a whole name (the name
// or an alias, folded) scores 100, otherwise the best name's sum of
// per-token scores (exact 1, prefix 0.7, typo 0.5 minus 0.1 per edit),
// divided by the number of tokens of that name so shorter names with the
// same matches rank first, plus a bonus of 0.5 when the matched name is the
// primary name rather than an alias. Scores are rounded to 1e-9 so both
// stores compare equal.
func MatchScore(query []string, e *Entity) float64 {
	return NewMatcher(query).Score(NameTokens(e))
}

// Matcher is MatchScore for one query, for scoring many entities: it folds
// nothing (names come as NameTokens) and reuses its buffers. It is not safe
// for concurrent use.
type Matcher struct {
	tokens []string
	runes  [][]rune
	allow  []int // TypoAllowance of each token
	joined string
	dist   osa
}

// NewMatcher prepares the folded query tokens (FoldTokens) for scoring.
func NewMatcher(query []string) *Matcher {
	m := &Matcher{tokens: query, runes: make([][]rune, len(query)), allow: make([]int, len(query)), joined: strings.Join(query, " ")}
	for i, q := range query {
		m.runes[i] = []rune(q)
		m.allow[i] = TypoAllowance(len(m.runes[i]))
	}
	return m
}

// Tokens returns the query tokens.
func (m *Matcher) Tokens() []string { return m.tokens }

// Score is MatchScore of the entity whose NameTokens are names.
func (m *Matcher) Score(names [][]string) float64 {
	if len(m.tokens) == 0 {
		return 0
	}
	best := 0.0
	for i, toks := range names {
		if len(toks) == 0 {
			continue
		}
		var s float64
		if joinedEquals(toks, m.joined) {
			s = scoreWholeName
		} else {
			sum := 0.0
			for k := range m.tokens {
				ts := m.tokenScore(k, toks)
				if ts == 0 {
					sum = 0
					break
				}
				sum += ts
			}
			if sum == 0 {
				continue
			}
			s = m.nameScore(sum, len(toks))
		}
		if i == 0 {
			s += scorePrimary
		}
		best = max(best, s)
	}
	return roundScore(best)
}

// NameKey is NameTokens of e as one string: each name's tokens joined by
// a space, the names (the name first, then the aliases) by '|'. Folded
// tokens hold only letters and digits, so ScoreKey can split it again; a
// store may keep it beside an entity so that scoring it reads one string
// and builds no token slices.
func NameKey(e *Entity) string {
	var b strings.Builder
	for i, n := range e.Names() {
		if i > 0 {
			b.WriteByte('|')
		}
		for k, t := range FoldTokens(n) {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t)
		}
	}
	return b.String()
}

// ScoreKey is Score of the entity whose NameKey is key: the same
// operations in the same order, over substrings of key, so it allocates
// nothing and gives the very same float.
func (m *Matcher) ScoreKey(key string) float64 {
	if len(m.tokens) == 0 {
		return 0
	}
	best := 0.0
	for i := 0; ; i++ {
		name, rest, more := strings.Cut(key, "|")
		if s, ok := m.nameKeyScore(name); ok {
			if i == 0 {
				s += scorePrimary
			}
			best = max(best, s)
		}
		if !more {
			break
		}
		key = rest
	}
	return roundScore(best)
}

// nameKeyScore is Score's score of one name, its tokens joined by spaces,
// without the primary bonus; ok is false when it does not match (or has
// no tokens).
func (m *Matcher) nameKeyScore(name string) (float64, bool) {
	if name == "" {
		return 0, false
	}
	if name == m.joined {
		return scoreWholeName, true
	}
	sum := 0.0
	for k := range m.tokens {
		ts := m.tokenKeyScore(k, name)
		if ts == 0 {
			return 0, false
		}
		sum += ts
	}
	return m.nameScore(sum, strings.Count(name, " ")+1), true
}

// tokenKeyScore is tokenScore over the space-separated tokens of name.
func (m *Matcher) tokenKeyScore(k int, name string) float64 {
	best := 0.0
	for {
		t, rest, more := strings.Cut(name, " ")
		s := m.TokenScore(k, t)
		if s == scoreExact {
			return s
		}
		best = max(best, s)
		if !more {
			return best
		}
		name = rest
	}
}

// Parts of MatchScore beside the per-token scores.
const (
	scoreWholeName = 100
	scorePrimary   = 0.5
)

// nameScore is the score of a name of nameToks tokens whose best token
// scores against the query tokens add up to sum.
func (m *Matcher) nameScore(sum float64, nameToks int) float64 {
	return 10 * sum / float64(max(nameToks, len(m.tokens)))
}

func roundScore(s float64) float64 { return math.Round(s*1e9) / 1e9 }

// Bound is the highest Score an entity can have whose name tokens score at
// most best[k] against the k-th query token (TokenScore), whose primary
// name has at least primary tokens and whose aliases at least alias (0: the
// entity has no such name with tokens): what a store ranking one page may
// compare with the page's worst hit to skip an entity without scoring it.
// It takes the whole-name score wherever a name may be the query, and
// computes with Score's own operations in Score's order, so it is never
// below the Score it bounds, floating point included (rounded addition,
// division, max and math.Round are monotone).
func (m *Matcher) Bound(best []float64, primary, alias int) float64 {
	if len(m.tokens) == 0 {
		return 0
	}
	sum, exact := 0.0, true
	for k := range m.tokens {
		if best[k] <= 0 {
			return 0
		}
		sum += best[k]
		exact = exact && best[k] >= scoreExact
	}
	name := func(toks int) float64 {
		if exact && toks <= len(m.tokens) {
			return scoreWholeName // the name may be the query itself
		}
		return m.nameScore(sum, toks)
	}
	b := 0.0
	if primary > 0 {
		b = name(primary) + scorePrimary
	}
	if alias > 0 {
		b = max(b, name(alias))
	}
	return roundScore(b)
}

// joinedEquals reports whether strings.Join(toks, " ") == joined without
// building the string.
func joinedEquals(toks []string, joined string) bool {
	off := 0
	for i, t := range toks {
		if i > 0 {
			if off >= len(joined) || joined[off] != ' ' {
				return false
			}
			off++
		}
		if !strings.HasPrefix(joined[off:], t) {
			return false
		}
		off += len(t)
	}
	return off == len(joined)
}

// tokenScore is the best score of the k-th query token against any of
// toks.
func (m *Matcher) tokenScore(k int, toks []string) float64 {
	best := 0.0
	for _, t := range toks {
		s := m.TokenScore(k, t)
		if s == scoreExact {
			return s
		}
		best = max(best, s)
	}
	return best
}

// TokenScore is the score of the k-th query token against the name token
// t: 0 when t neither equals it, extends it nor is a Typo of it.
func (m *Matcher) TokenScore(k int, t string) float64 {
	q := m.tokens[k]
	switch {
	case t == q:
		return scoreExact
	case strings.HasPrefix(t, q):
		return scorePrefix
	}
	if d, ok := m.Typo(k, t); ok {
		return scoreTypo - 0.1*float64(d)
	}
	return 0
}

// Typo returns the edit distance between the k-th query token and t, and
// whether it is within the token's TypoAllowance.
func (m *Matcher) Typo(k int, t string) (int, bool) {
	allow := m.allow[k]
	if allow == 0 {
		return 0, false
	}
	d := m.dist.distance(m.runes[k], t, allow)
	return d, d <= allow
}

// RuneMask sets one of 64 bits per rune of t, for MasksWithin.
func RuneMask(t string) uint64 {
	var m uint64
	for _, r := range t {
		m |= 1 << (uint32(r) % 64)
	}
	return m
}

// MasksWithin reports whether two tokens with RuneMasks a and b may be
// within allow edits: one edit changes at most two bits of a mask (a
// substitution drops one rune and adds another), so masks differing in
// more than 2·allow bits rule a typo out without computing the distance.
func MasksWithin(a, b uint64, allow int) bool {
	return bits.OnesCount64(a^b) <= 2*allow
}

// osa computes optimal-string-alignment distances, reusing its buffers
// across calls: a typo search compares the query with thousands of tokens.
type osa struct {
	prev2, prev, cur []int
	b                []rune
}

// distance is the distance between a and b, or more than limit (at most
// limit+1) when it exceeds limit. Only the band of cells within limit of
// the diagonal is computed: a cell further off costs more than limit to
// reach, so it never lies on an alignment within the limit.
func (o *osa) distance(a []rune, bs string, limit int) int {
	b := o.b[:0]
	for _, r := range bs {
		b = append(b, r)
	}
	o.b = b
	la, lb := len(a), len(b)
	if d := la - lb; d > limit || -d > limit {
		return limit + 1
	}
	if cap(o.cur) < lb+1 {
		o.prev2, o.prev, o.cur = make([]int, lb+1), make([]int, lb+1), make([]int, lb+1)
	}
	prev2, prev, cur := o.prev2[:lb+1], o.prev[:lb+1], o.cur[:lb+1]
	out := limit + 1 // what a cell off the band counts as
	for j := range prev {
		prev[j] = min(j, out)
	}
	for i := 1; i <= la; i++ {
		lo, hi := max(1, i-limit), min(lb, i+limit)
		cur[lo-1] = out
		if lo == 1 {
			cur[0] = min(i, out)
		}
		rowMin := cur[lo-1]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			c := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				c = min(c, prev2[j-2]+1)
			}
			c = min(c, out)
			cur[j] = c
			rowMin = min(rowMin, c)
		}
		if hi < lb {
			cur[hi+1] = out
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}

// RankHits sorts hits by score descending then id, and cuts the page that
// follows cursor after (empty for the first page). Stores collect every
// matching entity with its MatchScore and call this, so paging is the same
// everywhere.
func RankHits(hits []SearchHit, first int, after string) (SearchResult, error) {
	slices.SortFunc(hits, func(a, b SearchHit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Entity.ID, b.Entity.ID)
	})
	for i := range hits {
		hits[i].Cursor = EncodeCursor(hits[i].Score, hits[i].Entity.ID)
	}
	start := 0
	if after != "" {
		c, err := DecodeCursor(after)
		if err != nil {
			return SearchResult{}, err
		}
		// Keyset paging: the first hit strictly after the cursor's position,
		// so a cursor stays valid when entities are added or removed.
		start = len(hits)
		for i, h := range hits {
			if h.Score < c.Score || (h.Score == c.Score && h.Entity.ID > c.ID) {
				start = i
				break
			}
		}
	}
	end := min(start+first, len(hits))
	res := SearchResult{Hits: hits[start:end], TotalCount: len(hits), HasNextPage: end < len(hits)}
	if end > start {
		res.EndCursor = hits[end-1].Cursor
	}
	return res, nil
}

// Cursor is a position in a ranked result. Batch is the batch of index
// candidates the position is in, for a store that ranks its index's
// candidates batch by batch: only in cursors of Neo4j stores of earlier
// versions, which did; read so that they stay valid positions (score and
// id), and 0 for a ranking of every candidate.
type Cursor struct {
	Score float64
	ID    string
	Batch int
}

// EncodeCursor makes an opaque cursor.
func EncodeCursor(score float64, id string) string {
	return EncodeBatchCursor(0, score, id)
}

// EncodeBatchCursor makes an opaque cursor in a batch of candidates.
func EncodeBatchCursor(batch int, score float64, id string) string {
	s := strconv.FormatFloat(score, 'g', -1, 64) + "|" + id
	if batch > 0 {
		s = strconv.Itoa(batch) + ";" + s
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

// DecodeCursor parses a cursor made by EncodeCursor or EncodeBatchCursor.
func DecodeCursor(s string) (Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, fmt.Errorf("malformed cursor: %w", ErrInvalid)
	}
	score, id, ok := strings.Cut(string(b), "|")
	if !ok || id == "" {
		return Cursor{}, fmt.Errorf("malformed cursor: %w", ErrInvalid)
	}
	batch := 0
	if bs, rest, ok := strings.Cut(score, ";"); ok {
		if batch, err = strconv.Atoi(bs); err != nil || batch < 1 {
			return Cursor{}, fmt.Errorf("malformed cursor: %w", ErrInvalid)
		}
		score = rest
	}
	f, err := strconv.ParseFloat(score, 64)
	if err != nil {
		return Cursor{}, fmt.Errorf("malformed cursor: %w", ErrInvalid)
	}
	return Cursor{Score: f, ID: id, Batch: batch}, nil
}

// SearchKey is what a store's search reads of a candidate, as one string
// it can keep beside the entity: the id, the kind and NameKey, separated by
// tabs (an id holds no control character, a kind and a NameKey none at
// all). One property read and one string a candidate, where the id, kind,
// name and aliases were four reads and a list, and Matcher.ScoreKey scores
// it without building token slices. graph/neo4j keeps it on every entity
// node; graph/formats' Cypher script writes it too.
func SearchKey(e *Entity) string {
	return e.ID + "\t" + string(e.Kind) + "\t" + NameKey(e)
}

// ParseSearchKey splits a SearchKey into the id, the kind and the NameKey.
func ParseSearchKey(key string) (id, kind, names string, ok bool) {
	id, rest, ok1 := strings.Cut(key, "\t")
	kind, names, ok2 := strings.Cut(rest, "\t")
	return id, kind, names, ok1 && ok2 && id != ""
}
