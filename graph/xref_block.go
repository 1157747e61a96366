package graph

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// blockIndex is Store.Candidates over entities already in memory (a
// whole-graph xref has them all from one snapshot): the same tokens, the
// same typo rule and the same ranking (BlockRank, then id), so the pairs do
// not depend on the store, and no round trip per entity. It works on slots
// (positions in es, which is in id order, so ties break on ints) and dense
// scratch arrays: a whole-graph xref asks it once per entity.
type blockIndex struct {
	es     []Entity // in id order
	kinds  []uint8  // index of each entity's kind in kindIdx
	ids    [][]string
	post   map[string][]int32 // each posting in slot (id) order
	idPost map[string][]int32
	// Typo lookup: del1 maps every token of 3 runes or more, and each
	// string one rune shorter, to the tokens it came from (two tokens
	// within one edit share such a string); byLen and masks serve the
	// longer query tokens, whose allowance is two edits.
	del1    map[string][]string
	byLen   map[int][]string
	masks   map[int][]uint64
	expand  map[string][]string // a token's dictionary matches, computed once
	kindIdx map[Kind]uint8
	// common caches, for a query token whose matches are posted for more
	// than commonPosting entities, the union of those postings of each
	// kind filter, in slot order: a token such as "trading" ties an
	// entity to a fifth of the graph, and is not walked for each (see
	// candidates).
	common   map[string][]int32
	commonAt int // commonPosting; tests lower it

	// Scratch of candidates, reused across calls.
	stamp   []uint32 // epoch of the call that last touched the slot
	lastK   []int32  // last query token (k+1) that counted for the slot
	tokRank []int32  // query tokens matched
	idHit   []bool   // an identifier in common
	epoch   uint32
	touched []int32
	bucket  []int32
	rankN   []int32
}

// commonPosting is from how many posted entities a query token's matches
// are walked once (blockIndex.common) rather than for every query.
const commonPosting = 256

// newBlockIndex indexes es, which it sorts by id.
func newBlockIndex(es []Entity, held map[string][]string) *blockIndex {
	slices.SortFunc(es, func(a, b Entity) int { return strings.Compare(a.ID, b.ID) })
	n := len(es)
	x := &blockIndex{es: es, kinds: make([]uint8, n), ids: make([][]string, n),
		post: map[string][]int32{}, idPost: map[string][]int32{}, del1: map[string][]string{},
		byLen: map[int][]string{}, masks: map[int][]uint64{}, expand: map[string][]string{},
		kindIdx: map[Kind]uint8{}, common: map[string][]int32{}, commonAt: commonPosting,
		stamp: make([]uint32, n), lastK: make([]int32, n), tokRank: make([]int32, n), idHit: make([]bool, n)}
	for i := range es {
		k, ok := x.kindIdx[es[i].Kind]
		if !ok {
			k = uint8(len(x.kindIdx))
			x.kindIdx[es[i].Kind] = k
		}
		x.kinds[i] = k
		for _, t := range IndexTokens(&es[i]) {
			x.post[t] = append(x.post[t], int32(i))
		}
		x.ids[i] = entitySubject(&es[i], held[es[i].ID]).ids
		for _, id := range x.ids[i] {
			x.idPost[id] = append(x.idPost[id], int32(i))
		}
	}
	for t := range x.post {
		rs := []rune(t)
		x.byLen[len(rs)] = append(x.byLen[len(rs)], t)
		if len(rs) >= 3 {
			x.del1[t] = append(x.del1[t], t)
			for _, v := range deletions(rs) {
				x.del1[v] = append(x.del1[v], t)
			}
		}
	}
	for l, ts := range x.byLen {
		slices.Sort(ts)
		ms := make([]uint64, len(ts))
		for i, t := range ts {
			ms[i] = RuneMask(t)
		}
		x.masks[l] = ms
	}
	return x
}

// deletions is the distinct strings rs gives with one rune left out.
func deletions(rs []rune) []string {
	out := make([]string, 0, len(rs))
	for i := range rs {
		if i > 0 && rs[i] == rs[i-1] {
			continue // the same string as leaving out rs[i-1]
		}
		out = append(out, string(rs[:i])+string(rs[i+1:]))
	}
	return out
}

// matches returns the dictionary tokens equal to q or within its typo
// allowance (Matcher.Typo), in no particular order.
func (x *blockIndex) matches(m *Matcher, k int) []string {
	q := m.Tokens()[k]
	if out, ok := x.expand[q]; ok {
		return out
	}
	var out []string
	if _, ok := x.post[q]; ok {
		out = append(out, q)
	}
	rs := []rune(q)
	n := len(rs)
	switch allow := TypoAllowance(n); allow {
	case 0:
	case 1:
		// Within one edit (transpositions included), two strings share
		// themselves or a one-rune deletion.
		seen := map[string]bool{q: true}
		for _, v := range append(deletions(rs), q) {
			for _, t := range x.del1[v] {
				if seen[t] {
					continue
				}
				seen[t] = true
				if _, ok := m.Typo(k, t); ok {
					out = append(out, t)
				}
			}
		}
	default:
		mask := RuneMask(q)
		for l := n - allow; l <= n+allow; l++ {
			ms := x.masks[l]
			for i, t := range x.byLen[l] {
				if !MasksWithin(ms[i], mask, allow) || t == q {
					continue
				}
				if _, ok := m.Typo(k, t); ok {
					out = append(out, t)
				}
			}
		}
	}
	x.expand[q] = out
	return out
}

// kindMask is the bit set of q's kinds among the indexed ones; every bit
// when q has none.
func (x *blockIndex) kindMask(kinds []Kind) uint64 {
	if len(kinds) == 0 {
		return ^uint64(0)
	}
	var m uint64
	for _, k := range kinds {
		if i, ok := x.kindIdx[k]; ok {
			m |= 1 << i
		}
	}
	return m
}

// commonUnion returns the union, in slot order, of the postings of toks
// (a query token's matches) restricted to the kinds of mask, computed once
// per token and kinds.
func (x *blockIndex) commonUnion(q string, toks []string, mask uint64) []int32 {
	key := q + "\x00" + strconv.FormatUint(mask, 16)
	if u, ok := x.common[key]; ok {
		return u
	}
	var u []int32
	for _, t := range toks {
		for _, i := range x.post[t] {
			if mask&(1<<x.kinds[i]) != 0 {
				u = append(u, i)
			}
		}
	}
	slices.Sort(u)
	u = slices.Compact(u)
	x.common[key] = u
	return u
}

// candidates is Store.Candidates of q over the index: the slots of the
// entities of q's kinds, best BlockRank first then id, at most q.Limit, in
// no particular order, with tokRank and idHit set for each. The result is
// valid until the next call.
//
// The query token whose matches are posted for the most entities (if
// more than commonPosting) is not walked: the entities it ties alone all
// rank 1, so their count is known from the token's cached union, the
// others' ranks from a search in it, and when the cut falls within rank 1
// the first of them by id are read off the union in order.
func (x *blockIndex) candidates(q *CandidateQuery) []int32 {
	x.epoch++
	if x.epoch == 0 { // wrapped: forget every stamp
		clear(x.stamp)
		x.epoch = 1
	}
	ep := x.epoch
	mask := x.kindMask(q.Kinds)
	x.touched = x.touched[:0]
	touch := func(i int32) bool {
		if x.stamp[i] == ep {
			return true
		}
		if mask&(1<<x.kinds[i]) == 0 {
			return false
		}
		x.stamp[i] = ep
		x.lastK[i], x.tokRank[i], x.idHit[i] = 0, 0, false
		x.touched = append(x.touched, i)
		return true
	}
	m := NewMatcher(q.Tokens)
	near := make([][]string, len(q.Tokens))
	big, most := -1, x.commonAt
	for k := range q.Tokens {
		near[k] = x.matches(m, k)
		posted := 0
		for _, t := range near[k] {
			posted += len(x.post[t])
		}
		if posted > most {
			big, most = k, posted
		}
	}
	// BlockRank, from the postings: one for each query token that some
	// token of the entity matches, 100 for an identifier in common.
	for k := range q.Tokens {
		if k == big {
			continue
		}
		for _, t := range near[k] {
			for _, i := range x.post[t] {
				if touch(i) && x.lastK[i] != int32(k+1) {
					x.lastK[i] = int32(k + 1)
					x.tokRank[i]++
				}
			}
		}
	}
	for _, id := range q.Identifiers {
		for _, i := range x.idPost[id] {
			if touch(i) {
				x.idHit[i] = true
			}
		}
	}
	var common []int32 // the common token's entities, in slot order
	alone := 0         // how many of them nothing else touched
	if big >= 0 {
		common = x.commonUnion(q.Tokens[big], near[big], mask)
		alone = len(common)
		for _, i := range x.touched {
			if _, ok := slices.BinarySearch(common, i); ok {
				x.tokRank[i]++
				alone--
			}
		}
	}
	if len(x.touched)+alone <= q.Limit {
		for _, i := range common {
			if touch(i) { // not touched before: ranks 1
				x.tokRank[i] = max(x.tokRank[i], 1)
			}
		}
		return x.touched
	}
	// The cut: every slot ranked above the lowest rank that makes it, and
	// the first of that rank by id.
	maxRank := 1
	for _, i := range x.touched {
		maxRank = max(maxRank, x.rank(i))
	}
	x.rankN = slices.Grow(x.rankN[:0], maxRank+1)[:maxRank+1]
	clear(x.rankN)
	for _, i := range x.touched {
		x.rankN[x.rank(i)]++
	}
	x.rankN[1] += int32(alone)
	cut, above := maxRank, 0
	for ; cut > 1 && above+int(x.rankN[cut]) < q.Limit; cut-- {
		above += int(x.rankN[cut])
	}
	room := q.Limit - above
	out := x.touched[:0:0]
	x.bucket = x.bucket[:0]
	for _, i := range x.touched {
		switch r := x.rank(i); {
		case r > cut:
			out = append(out, i)
		case r == cut:
			x.bucket = append(x.bucket, i)
		}
	}
	if cut == 1 && alone > 0 {
		// Merge rank 1 of the touched with the common token's
		// entities nothing else touched, in slot order, up to the room.
		slices.Sort(x.bucket)
		var first []int32
		b, c := 0, 0
		for len(first) < room && (b < len(x.bucket) || c < len(common)) {
			if c < len(common) && x.stamp[common[c]] == ep {
				c++ // touched: counted with its rank
				continue
			}
			if c == len(common) || b < len(x.bucket) && x.bucket[b] < common[c] {
				first = append(first, x.bucket[b])
				b++
				continue
			}
			first = append(first, common[c])
			c++
		}
		for _, i := range first {
			if touch(i) {
				x.tokRank[i] = 1
			}
		}
		return append(out, first...)
	}
	if len(x.bucket) > room {
		// The room first by id: a selection, not a sort.
		selectFirst(x.bucket, room)
		x.bucket = x.bucket[:room]
	}
	return append(out, x.bucket...)
}

func (x *blockIndex) rank(i int32) int {
	r := int(x.tokRank[i])
	if x.idHit[i] {
		r += 100
	}
	return r
}

// selectFirst reorders s so that its first k elements are the k least
// (in no order among themselves): quickselect, with the middle
// element as pivot.
func selectFirst(s []int32, k int) {
	less := func(a, b int32) bool { return a < b }
	lo, hi := 0, len(s)-1
	for lo < hi {
		p := s[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for less(s[i], p) {
				i++
			}
			for less(p, s[j]) {
				j--
			}
			if i <= j {
				s[i], s[j] = s[j], s[i]
				i++
				j--
			}
		}
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			return
		}
	}
}

// nameShape is what bounds an entity's name scores without comparing
// tokens: for each of its names (as the scorer sees them), how many
// tokens and how many of one rune (initials); and how often at most one
// token of more runes repeats within a name.
type nameShape struct {
	tokens, initials []int
	dup              int
}

func shapeOf(s *subject) nameShape {
	sh := nameShape{tokens: make([]int, len(s.tokens)), initials: make([]int, len(s.tokens)), dup: 1}
	for i, toks := range s.tokens {
		sh.tokens[i] = len(toks)
		for a, t := range toks {
			if utf8.RuneCountInString(t) == 1 {
				sh.initials[i]++
				continue
			}
			n := 1
			for _, u := range toks[a+1:] {
				if u == t {
					n++
				}
			}
			sh.dup = max(sh.dup, n)
		}
	}
	return sh
}

// nameBound is an upper bound of scorer.bestName(a, b) when blocking found
// r of a's tokens matched by b's (BlockRank without identifiers). A token
// pair scores above 0 only when both are equal, one is an initial of the
// other, or they are within the typo allowance of the shorter, which is
// within blocking's; so at most r·dup tokens of more than one rune pair
// with such tokens of b, and initials pair at most once each. With p parts
// paired, scoring at most 1 each, a name pair scores at most p over p plus
// the unpaired parts weighed as scorer.names weighs them, which grows with
// p.
func nameBound(a, b *nameShape, r int) float64 {
	best := 0.0
	for i, na := range a.tokens {
		for j, nb := range b.tokens {
			p := min(na, nb, r*a.dup+a.initials[i]+b.initials[j])
			if p == 0 {
				continue
			}
			w := 1.0
			if p >= 2 {
				w = weightExtraPart
			}
			best = max(best, float64(p)/(float64(p)+w*float64(na+nb-2*p)))
		}
	}
	return best
}

// canReach reports whether a and b might score threshold or more, given
// the name bound: false only when even the bound with every qualifier
// that could apply stays below it. An identifier on both sides is never
// ruled out (in common, it scores high whatever the names).
func canReach(a, b *subject, name, threshold float64) bool {
	if len(a.ids) > 0 && len(b.ids) > 0 {
		return true
	}
	bonus := 0.0
	if a.birth != nil && b.birth != nil {
		bonus += weightDateAgrees
	}
	if len(a.countries) > 0 && len(b.countries) > 0 {
		bonus += weightCountryOverlap
	}
	return name+bonus+1e-6 >= threshold
}
