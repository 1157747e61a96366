package embedded

import (
	"slices"
	"sort"
	"unicode/utf8"

	"github.com/skein-project/skein/graph"
)

// node is an entity slot. The entity stays in its stored encoding (rec)
// and is decoded when returned, as links are: a decoded graph.Entity with
// its maps and slices costs several times its encoding, and queries need
// only the id, the kind and the name tokens until they hand entities out.
// adj holds the slots of every link touching the entity (a self-link once),
// sorted by link id, so walks visit neighbours in the order the query
// semantics need without sorting.
type node struct {
	id    string     // "" for a free slot
	kind  graph.Kind // interned (internKind)
	rec   string
	names [][]string // folded tokens of each name (graph.NameTokens)
	adj   []int32
}

// entity decodes the node. Records are checked when loaded or produced by
// encodeEntity, so decoding cannot fail here; every slice and map of the
// result is new, so it may be handed out as it is.
func (n *node) entity() graph.Entity {
	var e graph.Entity
	n.entityInto(&e, graph.Selection{})
	return e
}

// entityInto decodes the parts of the node that sel selects into *e, which
// must be zero (decodeEntityInto).
func (n *node) entityInto(e *graph.Entity, sel graph.Selection) {
	_ = decodeEntityInto(e, n.id, n.rec, sel)
}

// name is the entity's name, read from its record alone (the field after
// the kind, decodeEntityInto).
func (n *node) name() string {
	d, _ := newDecoder(n.rec)
	d.str()
	return d.str()
}

// edge is a link slot with its endpoints resolved to node slots. The rest
// of the link stays encoded (encodeLinkRest) and is decoded when returned:
// links outnumber entities five to one, and keeping them compact keeps
// start-up fast and the heap small. The endpoints' ids are not repeated
// in every link: they are the nodes'.
//
// An edge is 40 bytes: its id is not kept when graph.LinkID gives it, and
// its type is a code (typeCode); what a few links need beside, an id of
// their own or a type outside the registry, is in memGraph.extra.
type edge struct {
	rest     string // "" for a dead or free slot
	src, tgt int32
	// span is when the link is in force (graph.Link.Span), kept beside
	// the adjacency so time-filtered walks never decode a record; a known
	// start date is span.From != graph.Dawn.
	span  graph.Span
	typ   uint8 // typeCode of the link's type
	extra bool  // memGraph.extra holds something for this slot
}

// spanOf is graph.Link.Span from the two dates alone.
func spanOf(start, end string) graph.Span {
	l := graph.Link{StartDate: start, EndDate: end}
	return l.Span()
}

// filter is what a walk may use of the graph: links of some types, in
// force in a window, dated when it must be.
type filter struct {
	types uint64 // bit c: links of type code c pass
	win   graph.Span
	timed bool // win restricts anything
	dated bool // only links with a start date
}

func newFilter(types []graph.LinkType, w graph.When) filter {
	win, timed := w.Window()
	return filter{types: typeMask(types), win: win, timed: timed}
}

// ok reports whether the walk may use edge e.
func (f *filter) ok(e *edge) bool {
	return f.types&(1<<e.typ) != 0 && (!f.timed || e.span.Overlaps(f.win)) && (!f.dated || e.span.From != graph.Dawn)
}

// link decodes link slot li. Records are checked when loaded (linkHead) or
// produced by encodeLinkRest, so decoding cannot fail here.
func (g *memGraph) link(li int32) graph.Link {
	var l graph.Link
	g.linkInto(&l, li, g.linkID(li), graph.Selection{})
	return l
}

// linkInto decodes the parts of link slot li that sel selects into *l,
// which must be zero, given its id. Decoding in place spares copying a
// large struct into the slices answers are made of.
func (g *memGraph) linkInto(l *graph.Link, li int32, id string, sel graph.Selection) {
	e := &g.links[li]
	l.ID, l.Type, l.Source, l.Target = id, g.linkType(li), g.nodes[e.src].id, g.nodes[e.tgt].id
	d := decoder{s: e.rest}
	d.linkRestOf(l, sel)
}

// memGraph is the in-memory graph. It is not safe for concurrent use on its
// own: Store guards it with a RWMutex.
type memGraph struct {
	nodeIdx map[string]int32
	nodes   []node
	// shapes[i] is what search knows of node i's names before reading
	// the node (nameShape), beside nodes for that.
	shapes    []nameShape
	freeNodes []int32
	// Entities loaded at start-up fill nodes[:ordered] in id order, so two
	// of those slots compare as numbers (sortByID). Reusing a free slot
	// there cuts the run short.
	ordered int
	// Links loaded at start-up fill links[:loaded] in id order and are
	// found by binary search; linkIdx indexes only links written since.
	// This spares building a map of millions of ids at every start-up.
	loaded    int
	linkIdx   map[string]int32
	links     []edge
	extra     map[int32]linkExtra
	freeLinks []int32
	nLinks    int
	docs      map[string]graph.Document
	index     *tokenIndex
	ids       idIndex
	byKind    map[graph.Kind]int
	byType    map[graph.LinkType]int
}

func newMemGraph() *memGraph {
	return &memGraph{
		nodeIdx: map[string]int32{},
		linkIdx: map[string]int32{},
		extra:   map[int32]linkExtra{},
		docs:    map[string]graph.Document{},
		index:   newTokenIndex(),
		ids:     idIndex{},
		byKind:  map[graph.Kind]int{},
		byType:  map[graph.LinkType]int{},
	}
}

func (g *memGraph) entityCount() int { return len(g.nodeIdx) }
func (g *memGraph) linkCount() int   { return g.nLinks }

// linkSlot finds the slot of link id; found is false when there is none.
// A slot of the loaded run may be found dead (rest == ""): a deleted link,
// which keeps its id so the run stays searchable, and is revived in place
// if the id is written again.
func (g *memGraph) linkSlot(id string) (i int32, found bool) {
	if i, ok := g.linkIdx[id]; ok {
		return i, true
	}
	k := sort.Search(g.loaded, func(k int) bool { return g.cmpLinkID(int32(k), id) >= 0 })
	if k < g.loaded && g.cmpLinkID(int32(k), id) == 0 {
		return int32(k), true
	}
	return 0, false
}

// lookupLink finds a live link.
func (g *memGraph) lookupLink(id string) (int32, bool) {
	i, ok := g.linkSlot(id)
	return i, ok && g.links[i].rest != ""
}

func (g *memGraph) lookup(id string) (int32, bool) {
	i, ok := g.nodeIdx[id]
	return i, ok
}

// putEntity creates or replaces an entity, given with its encoding,
// keeping its links.
func (g *memGraph) putEntity(e *graph.Entity, rec string) int32 {
	nn := node{id: e.ID, kind: internKind(e.Kind), rec: rec, names: graph.NameTokens(e)}
	if i, ok := g.nodeIdx[e.ID]; ok {
		n := &g.nodes[i]
		old := n.entity()
		g.uncountKind(n.kind)
		if !slices.Equal(old.Names(), e.Names()) {
			g.index.remove(i, graph.IndexTokens(&old))
			g.index.add(i, graph.IndexTokens(e))
		}
		g.ids.remove(i, graph.EntityIdentifiers(&old))
		g.ids.add(i, graph.EntityIdentifiers(e))
		nn.adj = n.adj
		*n = nn
		g.shapes[i] = shapeOf(e, nn.names)
		g.byKind[nn.kind]++
		return i
	}
	var i int32
	if k := len(g.freeNodes); k > 0 {
		i = g.freeNodes[k-1]
		g.freeNodes = g.freeNodes[:k-1]
		g.nodes[i] = nn
		g.shapes[i] = shapeOf(e, nn.names)
		g.ordered = min(g.ordered, int(i))
	} else {
		i = int32(len(g.nodes))
		g.nodes = append(g.nodes, nn)
		g.shapes = append(g.shapes, shapeOf(e, nn.names))
	}
	g.nodeIdx[e.ID] = i
	g.index.add(i, graph.IndexTokens(e))
	g.ids.add(i, graph.EntityIdentifiers(e))
	g.byKind[nn.kind]++
	return i
}

// nameShape is what search bounds a candidate by before reading its node
// (search.go): the tokens of its primary name (bits 0-2, at most 7) and of
// its shortest alias with any (bits 3-6, at most 15; 0 when none), fewer
// than there are only raising the bound; and whether the token index holds
// a token of it that none of its names has (bit 7: a transliteration,
// graph.IndexTokens), through which it may be a candidate without
// matching.
type nameShape uint8

const shapeForeign nameShape = 1 << 7

func (s nameShape) primary() int  { return int(s & 7) }
func (s nameShape) alias() int    { return int(s >> 3 & 15) }
func (s nameShape) foreign() bool { return s&shapeForeign != 0 }

// shapeOf is the nameShape of e, whose graph.NameTokens are names.
func shapeOf(e *graph.Entity, names [][]string) nameShape {
	for _, n := range e.Names() {
		for i := 0; i < len(n); i++ {
			if n[i] >= utf8.RuneSelf {
				// Only names outside ASCII transliterate to other tokens.
				return withIndex(lengthsShape(names), names, graph.IndexTokens(e))
			}
		}
	}
	return lengthsShape(names)
}

// lengthsShape is the nameShape of names without its foreign bit.
func lengthsShape(names [][]string) nameShape {
	primary, alias := 0, 0
	for i, toks := range names {
		switch n := len(toks); {
		case i == 0:
			primary = n
		case n > 0 && (alias == 0 || n < alias):
			alias = n
		}
	}
	return nameShape(min(primary, 7) | min(alias, 15)<<3)
}

// withIndex sets s's foreign bit when some of the index tokens index is
// none of names'.
func withIndex(s nameShape, names [][]string, index []string) nameShape {
	for _, t := range index {
		if !hasToken(names, t) {
			return s | shapeForeign
		}
	}
	return s
}

func (g *memGraph) uncountKind(k graph.Kind) {
	if g.byKind[k]--; g.byKind[k] == 0 {
		delete(g.byKind, k)
	}
}

// removeEntity drops an entity whose links are already gone.
func (g *memGraph) removeEntity(i int32) {
	n := &g.nodes[i]
	old := n.entity()
	g.index.remove(i, graph.IndexTokens(&old))
	g.ids.remove(i, graph.EntityIdentifiers(&old))
	delete(g.nodeIdx, n.id)
	g.uncountKind(n.kind)
	g.nodes[i] = node{}
	g.shapes[i] = 0
	g.freeNodes = append(g.freeNodes, i)
}

// putLink creates or replaces a link; its endpoints must exist.
func (g *memGraph) putLink(l *graph.Link) {
	g.attach(g.placeLink(l))
}

// putLinks is putLink for many links. Adjacency lists that gain many links
// are merged once rather than inserted into link by link, which would be
// quadratic for an organisation with thousands of members.
func (g *memGraph) putLinks(ls []graph.Link) {
	pending := map[int32][]int32{}
	for i := range ls {
		li := g.placeLink(&ls[i])
		e := &g.links[li]
		pending[e.src] = append(pending[e.src], li)
		if e.tgt != e.src {
			pending[e.tgt] = append(pending[e.tgt], li)
		}
	}
	for n, add := range pending {
		g.mergeAdj(n, add)
	}
}

// placeLink stores a link in its slot (detaching the link it replaces)
// without adding it to adjacency lists.
func (g *memGraph) placeLink(l *graph.Link) int32 {
	ne, nx := makeEdge(l.ID, l.Type, l.Source, l.Target, l.Role, encodeLinkRest(l), l.Span())
	ne.src, ne.tgt = g.nodeIdx[l.Source], g.nodeIdx[l.Target]
	typ := internType(l.Type)
	i, found := g.linkSlot(l.ID)
	if found && g.links[i].rest != "" {
		g.detach(i)
		g.uncountType(g.linkType(i))
		g.links[i] = ne
		g.setExtra(i, nx)
		g.byType[typ]++
		return i
	}
	switch k := len(g.freeLinks); {
	case found: // a dead slot of the loaded run
	case k > 0:
		i = g.freeLinks[k-1]
		g.freeLinks = g.freeLinks[:k-1]
		g.linkIdx[l.ID] = i
	default:
		i = int32(len(g.links))
		g.links = append(g.links, edge{})
		g.linkIdx[l.ID] = i
	}
	g.links[i] = ne
	g.setExtra(i, nx)
	g.nLinks++
	g.byType[typ]++
	return i
}

func (g *memGraph) uncountType(t graph.LinkType) {
	if g.byType[t]--; g.byType[t] == 0 {
		delete(g.byType, t)
	}
}

// mergeAdj adds link slots to node n's adjacency, keeping it in id order.
func (g *memGraph) mergeAdj(n int32, add []int32) {
	if len(add) <= 8 {
		for _, li := range add {
			g.insertAdj(n, li)
		}
		return
	}
	byID := g.cmpLinks
	slices.SortFunc(add, byID)
	old := g.nodes[n].adj
	merged := make([]int32, 0, len(old)+len(add))
	i, j := 0, 0
	for i < len(old) && j < len(add) {
		if byID(old[i], add[j]) < 0 {
			merged = append(merged, old[i])
			i++
		} else {
			merged = append(merged, add[j])
			j++
		}
	}
	merged = append(merged, old[i:]...)
	g.nodes[n].adj = append(merged, add[j:]...)
}

func (g *memGraph) removeLink(i int32) {
	id := g.linkID(i)
	g.detach(i)
	g.uncountType(g.linkType(i))
	g.nLinks--
	g.links[i] = edge{}
	if int(i) < g.loaded {
		g.setExtra(i, linkExtra{id: id}) // the run stays searchable
		return
	}
	g.setExtra(i, linkExtra{})
	delete(g.linkIdx, id)
	g.freeLinks = append(g.freeLinks, i)
}

func (g *memGraph) attach(li int32) {
	e := &g.links[li]
	g.insertAdj(e.src, li)
	if e.tgt != e.src {
		g.insertAdj(e.tgt, li)
	}
}

func (g *memGraph) detach(li int32) {
	e := &g.links[li]
	g.deleteAdj(e.src, li)
	if e.tgt != e.src {
		g.deleteAdj(e.tgt, li)
	}
}

func (g *memGraph) adjPos(ni, li int32) (int, bool) {
	return slices.BinarySearchFunc(g.nodes[ni].adj, li, g.cmpLinks)
}

func (g *memGraph) insertAdj(ni, li int32) {
	n := &g.nodes[ni]
	// Appending in id order is the common case (bulk loads are sorted).
	if k := len(n.adj); k == 0 || g.cmpLinks(n.adj[k-1], li) < 0 {
		n.adj = append(n.adj, li)
		return
	}
	pos, _ := g.adjPos(ni, li)
	n.adj = slices.Insert(n.adj, pos, li)
}

func (g *memGraph) deleteAdj(ni, li int32) {
	if pos, ok := g.adjPos(ni, li); ok {
		n := &g.nodes[ni]
		n.adj = slices.Delete(n.adj, pos, pos+1)
	}
}

// other is the endpoint of link li that is not node ni.
func (g *memGraph) other(li, ni int32) int32 {
	e := &g.links[li]
	if e.src == ni {
		return e.tgt
	}
	return e.src
}
