package graph

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// blockIndex is Store.Candidates over entities already in memory (a
// whole-graph xref has them all from one snapshot): the same tokens, the
// same typo rule and the same ranking (BlockRank, then id), so the pairs do
// not depend on the store, and no round trip per entity.
type blockIndex struct {
	es     []Entity
	ids    [][]string // identifiers of each entity, with the documents it holds
	post   map[string][]int32
	byLen  map[int][]string
	idPost map[string][]int32
	expand map[string][]string // a token's dictionary matches, computed once
}

func newBlockIndex(es []Entity, held map[string][]string) *blockIndex {
	x := &blockIndex{es: es, ids: make([][]string, len(es)), post: map[string][]int32{}, byLen: map[int][]string{},
		idPost: map[string][]int32{}, expand: map[string][]string{}}
	for i := range es {
		for _, t := range IndexTokens(&es[i]) {
			x.post[t] = append(x.post[t], int32(i))
		}
		x.ids[i] = entitySubject(&es[i], held[es[i].ID]).ids
		for _, id := range x.ids[i] {
			x.idPost[id] = append(x.idPost[id], int32(i))
		}
	}
	for t := range x.post {
		n := utf8.RuneCountInString(t)
		x.byLen[n] = append(x.byLen[n], t)
	}
	for _, ts := range x.byLen {
		slices.Sort(ts)
	}
	return x
}

// matches returns the dictionary tokens equal to q or within its typo
// allowance (Matcher.Typo).
func (x *blockIndex) matches(m *Matcher, k int) []string {
	q := m.Tokens()[k]
	if out, ok := x.expand[q]; ok {
		return out
	}
	var out []string
	if _, ok := x.post[q]; ok {
		out = append(out, q)
	}
	n := utf8.RuneCountInString(q)
	if allow := TypoAllowance(n); allow > 0 {
		for l := n - allow; l <= n+allow; l++ {
			for _, t := range x.byLen[l] {
				if t != q {
					if _, ok := m.Typo(k, t); ok {
						out = append(out, t)
					}
				}
			}
		}
	}
	x.expand[q] = out
	return out
}

// candidates is Store.Candidates of q over the index: the entities of
// the given kind, best BlockRank first then id, at most q.Limit. rank and
// last are scratch maps, reused across calls.
func (x *blockIndex) candidates(q *CandidateQuery, rank, last map[int32]int) []int32 {
	clear(rank)
	clear(last)
	m := NewMatcher(q.Tokens)
	// BlockRank, from the postings: one for each query token that some
	// token of the entity matches, 100 for an identifier in common.
	for k := range q.Tokens {
		for _, t := range x.matches(m, k) {
			for _, i := range x.post[t] {
				if last[i] != k+1 {
					last[i] = k + 1
					rank[i]++
				}
			}
		}
	}
	for _, id := range q.Identifiers {
		for _, i := range x.idPost[id] {
			if last[i] != -1 {
				last[i] = -1
				rank[i] += 100
			}
		}
	}
	kinds := KindSet(q.Kinds)
	out := make([]int32, 0, len(rank))
	for i := range rank {
		if kinds.Has(x.es[i].Kind) {
			out = append(out, i)
		}
	}
	slices.SortFunc(out, func(a, b int32) int {
		if rank[a] != rank[b] {
			return rank[b] - rank[a]
		}
		return strings.Compare(x.es[a].ID, x.es[b].ID)
	})
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out
}
