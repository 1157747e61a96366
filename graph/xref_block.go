package graph

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// blockIndex is Store.Candidates over entities already in memory (a
// whole-graph xref has them all from one snapshot): the same tokens, the
// same typo rule and the same ranking (BlockRank, then id), so the pairs do
// not depend on the store, and no round trip per entity. It works on slots
// (positions in es, which is in id order, so ties break on ints) and dense
// scratch arrays: a whole-graph xref asks it once per entity. The index
// is safe for concurrent use once built; each goroutine asking it brings
// its own blockScratch.
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
	kindIdx map[Kind]uint8
	// The caches below are filled as queries ask, read far more often
	// than written (sync.Map: no lock on a hit): expand holds a
	// token's dictionary matches, computed once; common, for a query
	// token whose matches are posted for more than commonPosting
	// entities, the union of those postings of each kind filter, in slot
	// order: a token such as "trading" ties an entity to a fifth of the
	// graph, and is not walked for each (see candidates).
	expand   sync.Map // string -> []nearToken
	common   sync.Map // string -> *unionSet
	commonAt int      // commonPosting; tests lower it
}

// blockScratch is one goroutine's scratch for blockIndex.candidates,
// reused across its calls; its slots hold the ranks of the last call's.
type blockScratch struct {
	slots   []slotScratch
	epoch   uint32
	touched []int32
	bucket  []int32
	rankN   []int32
}

// slotScratch is what a call of candidates knows of one slot, in one
// place: the postings a query walks touch slots all over the graph.
type slotScratch struct {
	stamp   uint32 // epoch of the call that last touched the slot
	lastK   int32  // last query token (k+1) that counted for the slot
	tokRank int32  // query tokens matched
	idHit   bool   // an identifier in common
	// What bounds the slot's name score beyond tokRank (see nameBound):
	// the bits of the query tokens matched (k < 64), and the sum over
	// them of the best part score the matching tokens allow (cur: the
	// last token's).
	kBits        uint64
	partSum, cur float64
}

func (x *blockIndex) newScratch() *blockScratch {
	return &blockScratch{slots: make([]slotScratch, len(x.es))}
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
		byLen: map[int][]string{}, masks: map[int][]uint64{},
		kindIdx: map[Kind]uint8{}, commonAt: commonPosting}
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

// nearToken is a dictionary token that matches a query token, and the
// most a part pair of the two can score (scorer.part): 1 when equal, 1 -
// edits/longer length for a typo.
type nearToken struct {
	t    string
	part float64
	post []int32 // its postings
}

// matches returns the dictionary tokens equal to q or within its typo
// allowance (Matcher.Typo), in no particular order.
func (x *blockIndex) matches(m *Matcher, k int) []nearToken {
	q := m.Tokens()[k]
	if out, ok := x.expand.Load(q); ok {
		return out.([]nearToken)
	}
	out := x.typoMatches(m, k)
	x.expand.Store(q, out)
	return out
}

// typoMatches is matches without the cache.
func (x *blockIndex) typoMatches(m *Matcher, k int) []nearToken {
	q := m.Tokens()[k]
	var out []nearToken
	if _, ok := x.post[q]; ok {
		out = append(out, nearToken{q, 1, x.post[q]})
	}
	rs := []rune(q)
	n := len(rs)
	typo := func(t string) {
		if d, ok := m.Typo(k, t); ok {
			out = append(out, nearToken{t, 1 - float64(d)/float64(max(n, utf8.RuneCountInString(t))), x.post[t]})
		}
	}
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
				typo(t)
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
				typo(t)
			}
		}
	}
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

// unionSet is a common token's union: its slots in order and, when it
// holds more than one slot in 64 of the graph (its bits then cost at
// most twice its list), a bit per slot of the graph.
type unionSet struct {
	slots []int32
	bits  []uint64
}

func (u *unionSet) has(i int32) bool {
	if u.bits != nil {
		return u.bits[i>>6]&(1<<(i&63)) != 0
	}
	_, ok := slices.BinarySearch(u.slots, i)
	return ok
}

// commonUnion returns the union, in slot order, of the postings of toks
// (a query token's matches) restricted to the kinds of mask, computed once
// per token and kinds.
func (x *blockIndex) commonUnion(q string, toks []nearToken, mask uint64) *unionSet {
	key := q + "\x00" + strconv.FormatUint(mask, 16)
	if us, ok := x.common.Load(key); ok {
		return us.(*unionSet)
	}
	var u []int32
	for _, t := range toks {
		for _, i := range t.post {
			if mask&(1<<x.kinds[i]) != 0 {
				u = append(u, i)
			}
		}
	}
	slices.Sort(u)
	us := &unionSet{slots: slices.Compact(u)}
	if n := len(x.es); len(us.slots) > n/64 {
		us.bits = make([]uint64, (n+63)/64)
		for _, i := range us.slots {
			us.bits[i>>6] |= 1 << (i & 63)
		}
	}
	x.common.Store(key, us)
	return us
}

// candidates is Store.Candidates of q over the index: the slots of the
// entities of q's kinds, best BlockRank first then id, at most q.Limit, in
// no particular order, with w's tokRank and idHit set for each. The
// result is valid until w's next call.
//
// The query token whose matches are posted for the most entities (if
// more than commonPosting) is not walked: the entities it ties alone all
// rank 1, so their count is known from the token's cached union, the
// others' ranks from a search in it, and when the cut falls within rank 1
// the first of them by id are read off the union in order.
func (x *blockIndex) candidates(w *blockScratch, q *CandidateQuery) []int32 {
	w.epoch++
	if w.epoch == 0 { // wrapped: forget every stamp
		clear(w.slots)
		w.epoch = 1
	}
	ep := w.epoch
	mask := x.kindMask(q.Kinds)
	w.touched = w.touched[:0]
	slots := w.slots
	touch := func(i int32) *slotScratch {
		sl := &slots[i]
		if sl.stamp == ep {
			return sl
		}
		if mask&(1<<x.kinds[i]) == 0 {
			return nil
		}
		*sl = slotScratch{stamp: ep}
		w.touched = append(w.touched, i)
		return sl
	}
	m := NewMatcher(q.Tokens)
	near := make([][]nearToken, len(q.Tokens))
	big, most := -1, x.commonAt
	for k := range q.Tokens {
		near[k] = x.matches(m, k)
		posted := 0
		for _, t := range near[k] {
			posted += len(t.post)
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
		bit := tokenBit(k)
		for _, t := range near[k] {
			for _, i := range t.post {
				sl := touch(i)
				switch {
				case sl == nil:
				case sl.lastK != int32(k+1):
					sl.lastK = int32(k + 1)
					sl.tokRank++
					sl.kBits |= bit
					sl.partSum += t.part
					sl.cur = t.part
				case t.part > sl.cur:
					sl.partSum += t.part - sl.cur
					sl.cur = t.part
				}
			}
		}
	}
	for _, id := range q.Identifiers {
		for _, i := range x.idPost[id] {
			if sl := touch(i); sl != nil {
				sl.idHit = true
			}
		}
	}
	var common []int32 // the common token's entities, in slot order
	alone := 0         // how many of them nothing else touched
	if big >= 0 {
		us := x.commonUnion(q.Tokens[big], near[big], mask)
		common = us.slots
		alone = len(common)
		bit := tokenBit(big)
		for _, i := range w.touched {
			if us.has(i) {
				sl := &slots[i]
				sl.tokRank++
				sl.kBits |= bit
				sl.partSum++ // the union keeps no part scores: at most 1
				alone--
			}
		}
	}
	if len(w.touched)+alone <= q.Limit {
		for _, i := range common {
			if sl := touch(i); sl != nil && sl.tokRank == 0 { // not touched before: ranks 1
				sl.tokRank, sl.kBits, sl.partSum = 1, tokenBit(big), 1
			}
		}
		return w.touched
	}
	// The cut: every slot ranked above the lowest rank that makes it, and
	// the first of that rank by id.
	maxRank := 1
	for _, i := range w.touched {
		maxRank = max(maxRank, w.rank(i))
	}
	w.rankN = slices.Grow(w.rankN[:0], maxRank+1)[:maxRank+1]
	clear(w.rankN)
	for _, i := range w.touched {
		w.rankN[w.rank(i)]++
	}
	w.rankN[1] += int32(alone)
	cut, above := maxRank, 0
	for ; cut > 1 && above+int(w.rankN[cut]) < q.Limit; cut-- {
		above += int(w.rankN[cut])
	}
	room := q.Limit - above
	out := w.touched[:0:0]
	w.bucket = w.bucket[:0]
	for _, i := range w.touched {
		switch r := w.rank(i); {
		case r > cut:
			out = append(out, i)
		case r == cut:
			w.bucket = append(w.bucket, i)
		}
	}
	if cut == 1 && alone > 0 {
		// Merge rank 1 of the touched with the common token's
		// entities nothing else touched, in slot order, up to the room.
		if len(w.bucket) > room {
			// Only the first room of them can be taken.
			selectFirst(w.bucket, room)
			w.bucket = w.bucket[:room]
		}
		slices.Sort(w.bucket)
		var first []int32
		b, c := 0, 0
		for len(first) < room && (b < len(w.bucket) || c < len(common)) {
			if c < len(common) && slots[common[c]].stamp == ep {
				c++ // touched: counted with its rank
				continue
			}
			if c == len(common) || b < len(w.bucket) && w.bucket[b] < common[c] {
				first = append(first, w.bucket[b])
				b++
				continue
			}
			first = append(first, common[c])
			c++
		}
		for _, i := range first {
			if sl := touch(i); sl != nil && sl.tokRank == 0 { // the common token's alone
				sl.tokRank, sl.kBits, sl.partSum = 1, tokenBit(big), 1
			}
		}
		return append(out, first...)
	}
	if len(w.bucket) > room {
		// The room first by id: a selection, not a sort.
		selectFirst(w.bucket, room)
		w.bucket = w.bucket[:room]
	}
	return append(out, w.bucket...)
}

// tokenBit is query token k's bit in blockScratch.kBits: none past 64
// (nameBound then counts every name's tokens as matched).
func tokenBit(k int) uint64 {
	if k >= 64 {
		return 0
	}
	return 1 << k
}

func (w *blockScratch) rank(i int32) int {
	sl := &w.slots[i]
	r := int(sl.tokRank)
	if sl.idHit {
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
// tokens, how many of one rune (initials) and which of more runes; and
// how often at most one token of more runes repeats within a name.
type nameShape struct {
	tokens, initials []int
	words            [][]string // each name's distinct tokens of more than one rune
	dup              int
	fewest           int  // tokens of its shortest name with any (0: none has)
	anyInitial       bool // some name has an initial
}

func shapeOf(s *subject) nameShape {
	sh := nameShape{tokens: make([]int, len(s.tokens)), initials: make([]int, len(s.tokens)), words: make([][]string, len(s.tokens)), dup: 1}
	for i, toks := range s.tokens {
		sh.tokens[i] = len(toks)
		if len(toks) > 0 && (sh.fewest == 0 || len(toks) < sh.fewest) {
			sh.fewest = len(toks)
		}
		for a, t := range toks {
			if utf8.RuneCountInString(t) == 1 {
				sh.initials[i]++
				sh.anyInitial = true
				continue
			}
			if !slices.Contains(sh.words[i], t) {
				sh.words[i] = append(sh.words[i], t)
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

// anyTokens marks a name whose tokens are not all among a query's first
// 64 (nameBits): nameBound then counts every matched query token for it.
const anyTokens = ^uint64(0)

// nameBits is, for each of the names of sh, the bits (tokenBit) of the
// query tokens that are its tokens of more than one rune.
func nameBits(sh *nameShape, query []string) []uint64 {
	out := make([]uint64, len(sh.words))
	for i, ws := range sh.words {
		for _, t := range ws {
			k := slices.Index(query, t)
			if k < 0 || k >= 64 {
				out[i] = anyTokens
				break
			}
			out[i] |= 1 << k
		}
	}
	return out
}

// nameBound is an upper bound of scorer.bestName(a, b) when blocking found
// r of a's query tokens matched by b's tokens (BlockRank without
// identifiers), those of bits among them (blockScratch.kBits), with best
// part scores summing to at most sum; aBits are a's nameBits for the
// query (nil: unknown). A token pair scores above 0 only when both are
// equal, one is an initial of the other, or they are within the typo
// allowance of the shorter, which is within blocking's; so of a name of
// a, at most its matched tokens (ri of them, repeated at most dup times)
// pair with b's tokens of more than one rune, scoring at most their best
// part scores, and initials pair at most once each, scoring at most 1.
// With p parts paired, a name pair scores at most the least of p and
// that sum over p plus the unpaired parts weighed as scorer.names weighs
// them; every p that can be is tried. One matched token (the common
// case: most candidates of a large graph share one token) pairs one part
// at most when neither side has initials nor a repeats it, and the
// bound is then that part over the fewest parts the names can leave.
func nameBound(a, b *nameShape, r int, sum float64, bits uint64, aBits []uint64) float64 {
	if r <= 1 && a.dup == 1 && !a.anyInitial && !b.anyInitial {
		if r == 0 || a.fewest == 0 || b.fewest == 0 {
			return 0
		}
		return min(1, sum) / float64(a.fewest+b.fewest-1)
	}
	best := 0.0
	for i, na := range a.tokens {
		ri, sumI := r, sum
		if aBits != nil && aBits[i] != anyTokens {
			ri = bitCount(bits & aBits[i])
			sumI = min(sum, float64(ri))
		}
		for j, nb := range b.tokens {
			inits := a.initials[i] + b.initials[j]
			most := float64(a.dup)*sumI + float64(inits)
			for p := 1; p <= min(na, nb, ri*a.dup+inits); p++ {
				w := 1.0
				if p >= 2 {
					w = weightExtraPart
				}
				best = max(best, min(float64(p), most)/(float64(p)+w*float64(na+nb-2*p)))
			}
		}
	}
	return best
}

func bitCount(v uint64) int { return bits.OnesCount64(v) }

// canReach reports whether a and b might score threshold or more, given
// the name bound: the qualifiers (birth date, identifiers, countries)
// computed as scoring does, over the bound instead of the name score
// (the score only grows with the name score), a veto ruling the pair
// out.
func canReach(a, b *subject, name, threshold float64) bool {
	if len(a.ids) == 0 || len(b.ids) == 0 {
		// First the most any qualifier could add (an identifier on
		// one side only adds nothing).
		most := name
		if a.birth != nil && b.birth != nil {
			most += weightDateAgrees
		}
		if len(a.countries) > 0 && len(b.countries) > 0 {
			most += weightCountryOverlap
		}
		if most+1e-6 < threshold {
			return false
		}
	}
	r := qualify(a, b, name)
	return !r.vetoed && r.score+1e-6 >= threshold
}
