package embedded

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/skein-project/skein/graph"
)

// tokenIndex is an inverted index from folded name tokens to entity slots.
// Prefix and typo matching run over the dictionary of distinct tokens, kept
// sorted lazily (rebuilt on the first search after a write), never over
// every entity.
type tokenIndex struct {
	post map[string][]int32

	mu    sync.Mutex // guards dict and byLen, rebuilt by readers holding the store's read lock
	dict  []string
	byLen map[int][]string // the dictionary by length in runes, for typo matching
	dirty bool
}

func newTokenIndex() *tokenIndex {
	return &tokenIndex{post: map[string][]int32{}}
}

// nameTokens folds each of e's names (name first, then aliases) into
// tokens, as graph.MatchScore does; nodes keep them so that scoring a
// search candidate needs no Unicode folding.
func nameTokens(e *graph.Entity) [][]string {
	names := e.Names()
	out := make([][]string, len(names))
	for i, n := range names {
		out[i] = foldTokens(n)
	}
	return out
}

// distinctTokens is the set of tokens over all names.
func distinctTokens(names [][]string) []string {
	var toks []string
	for _, n := range names {
		for _, t := range n {
			if !slices.Contains(toks, t) {
				toks = append(toks, t)
			}
		}
	}
	return toks
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
func (x *tokenIndex) dictionary() ([]string, map[int][]string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.dirty || x.dict == nil {
		d := make([]string, 0, len(x.post))
		for t := range x.post {
			d = append(d, t)
		}
		slices.Sort(d)
		byLen := map[int][]string{}
		for _, t := range d {
			n := utf8.RuneCountInString(t)
			byLen[n] = append(byLen[n], t)
		}
		x.dict, x.byLen, x.dirty = d, byLen, false
	}
	return x.dict, x.byLen
}

// candidates returns the slots of entities having, for every query token,
// some name token that equals it, extends it or is within its typo
// allowance: a superset of what graph.MatchScore accepts, which has the
// last word.
func (x *tokenIndex) candidates(query []string) []int32 {
	dict, byLen := x.dictionary()
	var dist osa
	var result map[int32]bool
	for _, q := range query {
		set := map[int32]bool{}
		add := func(t string) {
			for _, i := range x.post[t] {
				if result == nil || result[i] {
					set[i] = true
				}
			}
		}
		// Exact and prefix matches are a contiguous range of the dictionary.
		start, _ := slices.BinarySearch(dict, q)
		end := start
		for end < len(dict) && strings.HasPrefix(dict[end], q) {
			add(dict[end])
			end++
		}
		qr := []rune(q)
		if allow := graph.TypoAllowance(len(qr)); allow > 0 {
			for n := len(qr) - allow; n <= len(qr)+allow; n++ {
				for _, t := range byLen[n] {
					if !strings.HasPrefix(t, q) && dist.distance(qr, t, allow) <= allow {
						add(t)
					}
				}
			}
		}
		result = set
		if len(result) == 0 {
			return nil
		}
	}
	out := make([]int32, 0, len(result))
	for i := range result {
		out = append(out, i)
	}
	return out
}

// osa computes optimal-string-alignment distances (the distance
// graph.MatchScore uses), reusing its buffers across calls: a typo search
// compares the query with thousands of dictionary tokens.
type osa struct {
	prev2, prev, cur []int
	b                []rune
}

// distance is the distance between a and b, or limit+1 when it exceeds
// limit.
func (o *osa) distance(a []rune, bs string, limit int) int {
	b := o.b[:0]
	for _, r := range bs {
		b = append(b, r)
	}
	o.b = b
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	if cap(o.cur) < len(b)+1 {
		o.prev2, o.prev, o.cur = make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	}
	prev2, prev, cur := o.prev2[:len(b)+1], o.prev[:len(b)+1], o.cur[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// foldTokens is graph.FoldTokens with a fast path for ASCII names, where
// folding is just lower-casing; Unicode normalisation costs microseconds
// per name, which adds up over a million entities at start-up.
func foldTokens(s string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return graph.FoldTokens(s)
		}
	}
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	})
}
