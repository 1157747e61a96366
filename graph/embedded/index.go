package embedded

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/skein-project/skein/graph"
)

// tokenIndex is an inverted index from name tokens (graph.IndexTokens:
// folded, and transliterated to Latin where that differs) to entity slots.
// Prefix and typo matching run over the dictionary of distinct tokens, kept
// sorted lazily (rebuilt on the first search after a write), never over
// every entity.
type tokenIndex struct {
	post map[string][]int32

	mu    sync.Mutex // guards dict and byLen, rebuilt by readers holding the store's read lock
	dict  []string
	byLen map[int][]string // the dictionary by length in runes, for typo matching
	masks map[int][]uint64 // graph.RuneMask of each token of byLen
	dirty bool
	// near caches, per token, the dictionary tokens equal to it or within
	// its typo allowance (screening's blocking asks for the same names
	// over and over); emptied when the dictionary is rebuilt.
	near map[string][]string
	// matching caches, per query token, its terms (search asks for the
	// same names over and over, and a typo scan reads the dictionary's
	// tokens of three lengths); emptied when the dictionary is rebuilt.
	matching     map[string][]term
	matchingSize int // terms held in matching
}

func newTokenIndex() *tokenIndex {
	return &tokenIndex{post: map[string][]int32{}}
}

func (x *tokenIndex) add(i int32, toks []string) {
	for _, t := range toks {
		p, ok := x.post[t]
		if !ok {
			x.dirty = true
		}
		x.post[t] = append(p, i)
	}
}

func (x *tokenIndex) remove(i int32, toks []string) {
	for _, t := range toks {
		p := x.post[t]
		if k := slices.Index(p, i); k >= 0 {
			p = slices.Delete(p, k, k+1)
		}
		if len(p) == 0 {
			delete(x.post, t)
			x.dirty = true
			continue
		}
		x.post[t] = p
	}
}

// dictionary returns the distinct tokens in order, and by rune length.
func (x *tokenIndex) dictionary() ([]string, map[int][]string, map[int][]uint64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.dirty || x.dict == nil {
		d := make([]string, 0, len(x.post))
		for t := range x.post {
			d = append(d, t)
		}
		slices.Sort(d)
		byLen := map[int][]string{}
		masks := map[int][]uint64{}
		for _, t := range d {
			n := utf8.RuneCountInString(t)
			byLen[n] = append(byLen[n], t)
			masks[n] = append(masks[n], graph.RuneMask(t))
		}
		x.dict, x.byLen, x.masks, x.dirty = d, byLen, masks, false
		x.near = nil
		x.matching, x.matchingSize = nil, 0
	}
	return x.dict, x.byLen, x.masks
}

// term is a dictionary token a query token matches, with its
// graph.Matcher.TokenScore.
type term struct {
	tok   string
	score float64
}

// terms returns, for each of m's tokens, the dictionary tokens equal to it,
// extending it or within its typo allowance, best score first: an entity
// matches a search only if, for every query token, some token of its is
// among these (graph.Matcher.Score has the last word).
func (x *tokenIndex) terms(m *graph.Matcher) [][]term {
	dict, byLen, masks := x.dictionary()
	out := make([][]term, len(m.Tokens()))
	for k, q := range m.Tokens() {
		x.mu.Lock()
		ts, ok := x.matching[q]
		x.mu.Unlock()
		if ok {
			out[k] = ts
			continue
		}
		// Exact and prefix matches are a contiguous range of the dictionary.
		i, _ := slices.BinarySearch(dict, q)
		for ; i < len(dict) && strings.HasPrefix(dict[i], q); i++ {
			ts = append(ts, term{dict[i], m.TokenScore(k, dict[i])})
		}
		n := utf8.RuneCountInString(q)
		if allow := graph.TypoAllowance(n); allow > 0 {
			qm := graph.RuneMask(q)
			for l := n - allow; l <= n+allow; l++ {
				ms := masks[l]
				for j, t := range byLen[l] {
					if !graph.MasksWithin(ms[j], qm, allow) || strings.HasPrefix(t, q) {
						continue // no typo, or taken above
					}
					if s := m.TokenScore(k, t); s > 0 {
						ts = append(ts, term{t, s})
					}
				}
			}
		}
		slices.SortStableFunc(ts, func(a, b term) int {
			switch {
			case a.score > b.score:
				return -1
			case a.score < b.score:
				return 1
			}
			return 0
		})
		out[k] = ts
		x.mu.Lock()
		if x.matching == nil || x.matchingSize+len(ts) > maxMatching {
			x.matching, x.matchingSize = map[string][]term{}, 0
		}
		x.matching[q] = ts
		x.matchingSize += len(ts)
		x.mu.Unlock()
	}
	return out
}

// maxMatching bounds the terms the cache of terms holds, 24 bytes each
// (the tokens are the dictionary's): 6 MiB.
const maxMatching = 1 << 18

// nearTokens returns the dictionary tokens equal to m's k-th token or
// within its typo allowance.
func (x *tokenIndex) nearTokens(m *graph.Matcher, k int) []string {
	_, byLen, masks := x.dictionary()
	q := m.Tokens()[k]
	x.mu.Lock()
	out, ok := x.near[q]
	x.mu.Unlock()
	if ok {
		return out
	}
	if _, ok := x.post[q]; ok {
		out = append(out, q)
	}
	n := utf8.RuneCountInString(q)
	if allow := graph.TypoAllowance(n); allow > 0 {
		qm := graph.RuneMask(q)
		for l := n - allow; l <= n+allow; l++ {
			ms := masks[l]
			for j, t := range byLen[l] {
				if t == q || !graph.MasksWithin(ms[j], qm, allow) {
					continue
				}
				if _, ok := m.Typo(k, t); ok {
					out = append(out, t)
				}
			}
		}
	}
	x.mu.Lock()
	if x.near == nil || len(x.near) > maxNear {
		x.near = map[string][]string{}
	}
	x.near[q] = out
	x.mu.Unlock()
	return out
}

// maxNear bounds the cache of nearTokens.
const maxNear = 200_000

// idIndex maps identifiers (graph.EntityIdentifiers) to entity slots.
type idIndex map[string][]int32

func (x idIndex) add(i int32, ids []string) {
	for _, id := range ids {
		x[id] = append(x[id], i)
	}
}

func (x idIndex) remove(i int32, ids []string) {
	for _, id := range ids {
		p := x[id]
		if k := slices.Index(p, i); k >= 0 {
			p = slices.Delete(p, k, k+1)
		}
		if len(p) == 0 {
			delete(x, id)
			continue
		}
		x[id] = p
	}
}
