package embedded

import (
	"bytes"
	"cmp"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Most link ids are the ones graph.LinkID gives for the link's type,
// endpoints and role (every generated or imported link without an id of its
// own). Such an id is not kept in memory: it is rebuilt from the link when
// needed, which spares some 45 bytes for each of millions of links.

// linkExtra is what a link slot needs beside its edge, kept aside for the
// few that need it: an id that graph.LinkID does not give (or the id of a
// dead slot of the loaded run) and a type outside the registry.
type linkExtra struct {
	id  string
	typ graph.LinkType
}

// makeEdge is the edge of a link (without its endpoint slots) and what it
// needs aside.
func makeEdge(id string, t graph.LinkType, source, target, role, rest string, span graph.Span) (edge, linkExtra) {
	e := edge{rest: rest, span: span, typ: typeCode(t)}
	var x linkExtra
	if e.typ == 0 {
		x.typ = t
	}
	if !isDerivedLinkID(id, t, source, target, role) {
		x.id = id
	}
	e.extra = x != linkExtra{}
	return e, x
}

// setExtra sets what slot li needs aside (nothing: the zero linkExtra).
func (g *memGraph) setExtra(li int32, x linkExtra) {
	if x == (linkExtra{}) {
		delete(g.extra, li)
		g.links[li].extra = false
		return
	}
	g.extra[li] = x
	g.links[li].extra = true
}

// linkID is the id of link slot li.
func (g *memGraph) linkID(li int32) string {
	e := &g.links[li]
	if e.extra {
		if id := g.extra[li].id; id != "" {
			return id
		}
	}
	return derivedLinkID(g.linkType(li), g.nodes[e.src].id, g.nodes[e.tgt].id, roleOf(e.rest))
}

// linkType is the type of link slot li.
func (g *memGraph) linkType(li int32) graph.LinkType {
	if c := g.links[li].typ; c > 0 {
		return graph.LinkTypes[c-1]
	}
	return g.extra[li].typ
}

// maxTypeCode is the largest type code a filter's mask can hold.
const maxTypeCode = 63

// typeCodes numbers the link types of the registry from 1.
var typeCodes = func() map[graph.LinkType]uint8 {
	m := make(map[graph.LinkType]uint8, len(graph.LinkTypes))
	for i, t := range graph.LinkTypes[:min(len(graph.LinkTypes), maxTypeCode)] {
		m[t] = uint8(i + 1)
	}
	return m
}()

// typeCode is the code of t: 1 + its place in graph.LinkTypes, 0 for a
// type outside the registry (which only a file written by another version
// can hold; it is kept in memGraph.extra).
func typeCode(t graph.LinkType) uint8 { return typeCodes[t] }

// typeMask is the filter mask of types (every code when empty). Filters
// name only registry types (graph's Normalize checks), so code 0 passes
// only the empty filter.
func typeMask(types []graph.LinkType) uint64 {
	if len(types) == 0 {
		return ^uint64(0)
	}
	var m uint64
	for _, t := range types {
		if c := typeCode(t); c > 0 {
			m |= 1 << c
		}
	}
	return m
}

// cmpLinks orders link slots by id. The loaded run is in id order, so two
// of its slots compare without their ids; other ids are built into buffers
// on the stack, since a sort compares each slot many times and building
// strings there was most of a hub neighbourhood's allocation.
func (g *memGraph) cmpLinks(a, b int32) int {
	if int(a) < g.loaded && int(b) < g.loaded {
		return cmp.Compare(a, b)
	}
	var ba, bb [linkIDBuf]byte
	return bytes.Compare(g.appendLinkID(ba[:0], a), g.appendLinkID(bb[:0], b))
}

// linkIDBuf is the stack room for one link id that cmpLinks and
// cmpLinkID use; longer ids still work, on the heap.
const linkIDBuf = 128

// cmpLinkID compares the id of slot li with id, without building it as a
// string (the comparisons of a converted slice do not allocate).
func (g *memGraph) cmpLinkID(li int32, id string) int {
	var buf [linkIDBuf]byte
	b := g.appendLinkID(buf[:0], li)
	switch {
	case string(b) < id:
		return -1
	case string(b) == id:
		return 0
	}
	return 1
}

// appendLinkID appends the id of link slot li to dst.
func (g *memGraph) appendLinkID(dst []byte, li int32) []byte {
	e := &g.links[li]
	if e.extra {
		if id := g.extra[li].id; id != "" {
			return append(dst, id...)
		}
	}
	t, lt := g.linkTypes(li)
	return appendDerivedLinkID(dst, t, lt, g.nodes[e.src].id, g.nodes[e.tgt].id, roleOf(e.rest))
}

// linkIDLen is len(g.linkID(li)), without building the id in the common
// case.
func (g *memGraph) linkIDLen(li int32) int {
	e := &g.links[li]
	if e.extra {
		if id := g.extra[li].id; id != "" {
			return len(id)
		}
	}
	t, lt := g.linkTypes(li)
	return derivedLinkIDLen(t, lt, g.nodes[e.src].id, g.nodes[e.tgt].id, roleOf(e.rest))
}

// linkTypes is the type of link slot li and its lower case, read by code
// rather than looked up by name: ids are built for every link answered.
func (g *memGraph) linkTypes(li int32) (graph.LinkType, string) {
	if c := g.links[li].typ; c > 0 {
		return graph.LinkTypes[c-1], lowerCodes[c]
	}
	t := g.extra[li].typ
	return t, lowerType(t)
}

// linkIDs builds link ids into one string, handing out substrings of it: a
// hub's answer has thousands of links, and one allocation for all their ids
// replaces one for each. The builder only appends, so substrings handed
// out stay valid whether or not it has room for what follows.
type linkIDs struct {
	b   strings.Builder
	buf [linkIDBuf]byte
}

// grow makes room for n bytes of ids.
func (a *linkIDs) grow(n int) { a.b.Grow(n) }

// of builds the id of slot li of g.
func (a *linkIDs) of(g *memGraph, li int32) string {
	start := a.b.Len()
	a.b.Write(g.appendLinkID(a.buf[:0], li))
	return a.b.String()[start:]
}

// linkKey is a link slot and its id, for ordering slots outside the loaded
// run, which have no order of their own.
type linkKey struct {
	id string
	li int32
}

// sortedLinks calls yield with the slots ls and their ids, in id order (ls
// may be reordered). Slots of the loaded run alone are sorted as numbers,
// and their ids built in that order; others are sorted by their ids, built
// once.
func (g *memGraph) sortedLinks(ls []int32, yield func(i int, li int32, id string)) {
	var ids linkIDs
	loaded := int32(g.loaded)
	allLoaded := true
	n := 0
	for _, li := range ls {
		allLoaded = allLoaded && li < loaded
		n += g.linkIDLen(li)
	}
	ids.grow(n)
	if allLoaded {
		slices.Sort(ls)
		for i, li := range ls {
			yield(i, li, ids.of(g, li))
		}
		return
	}
	keys := make([]linkKey, len(ls))
	for i, li := range ls {
		keys[i] = linkKey{id: ids.of(g, li), li: li}
	}
	slices.SortFunc(keys, func(a, b linkKey) int {
		if a.li < loaded && b.li < loaded {
			return cmp.Compare(a.li, b.li)
		}
		return strings.Compare(a.id, b.id)
	})
	for i, k := range keys {
		yield(i, k.li, k.id)
	}
}

// roleOf reads the role, the first field of a link's rest (encodeLinkRest).
func roleOf(rest string) string {
	d := decoder{s: rest}
	return d.str()
}

// lowerTypes is strings.ToLower of every link type of the registry.
var lowerTypes = func() map[graph.LinkType]string {
	m := make(map[graph.LinkType]string, len(graph.LinkTypes))
	for _, t := range graph.LinkTypes {
		m[t] = strings.ToLower(string(t))
	}
	return m
}()

// lowerCodes is lowerTypes by type code (typeCode).
var lowerCodes = func() (out [maxTypeCode + 1]string) {
	for i, t := range graph.LinkTypes[:min(len(graph.LinkTypes), maxTypeCode)] {
		out[i+1] = strings.ToLower(string(t))
	}
	return out
}()

func lowerType(t graph.LinkType) string {
	if s, ok := lowerTypes[t]; ok {
		return s
	}
	return strings.ToLower(string(t))
}

// plainRole reports whether graph.LinkID would use role as it is: ASCII,
// no upper case, no white space.
func plainRole(role string) bool {
	for i := 0; i < len(role); i++ {
		c := role[i]
		if c >= 0x80 || ('A' <= c && c <= 'Z') || c == ' ' || ('\t' <= c && c <= '\r') {
			return false
		}
	}
	return true
}

// derivedLinkID is graph.LinkID, built with one allocation in the common
// case of a plain role.
func derivedLinkID(t graph.LinkType, source, target, role string) string {
	if !plainRole(role) {
		return graph.LinkID(t, source, target, role)
	}
	lt := lowerType(t)
	var b strings.Builder
	b.Grow(derivedLinkIDLen(t, lt, source, target, role))
	var buf [linkIDBuf]byte
	b.Write(appendDerivedLinkID(buf[:0], t, lt, source, target, role))
	return b.String()
}

// derivedLinkIDLen is len(derivedLinkID(t, source, target, role)), which
// it builds only for a role that is not plain; lt is lowerType(t).
func derivedLinkIDLen(t graph.LinkType, lt, source, target, role string) int {
	if !plainRole(role) {
		return len(graph.LinkID(t, source, target, role))
	}
	n := len(lt) + 1 + len(source) + 2 + len(target)
	if role != "" {
		n += 1 + len(role)
	}
	return n
}

// appendDerivedLinkID appends derivedLinkID(t, source, target, role) to
// dst, allocating only for a role that is not plain or when dst is short;
// lt is lowerType(t).
func appendDerivedLinkID(dst []byte, t graph.LinkType, lt, source, target, role string) []byte {
	if !plainRole(role) {
		return append(dst, graph.LinkID(t, source, target, role)...)
	}
	dst = append(dst, lt...)
	dst = append(dst, ':')
	dst = append(dst, source...)
	dst = append(dst, "->"...)
	dst = append(dst, target...)
	if role != "" {
		dst = append(dst, ':')
		dst = append(dst, role...)
	}
	return dst
}

// isDerivedLinkID reports whether id == graph.LinkID(t, source, target,
// role), without allocating in the common case of a plain role.
func isDerivedLinkID(id string, t graph.LinkType, source, target, role string) bool {
	if !plainRole(role) {
		return id == graph.LinkID(t, source, target, role)
	}
	lt := lowerType(t)
	rest, ok := strings.CutPrefix(id, lt)
	if !ok {
		return false
	}
	if rest, ok = strings.CutPrefix(rest, ":"); !ok {
		return false
	}
	if rest, ok = strings.CutPrefix(rest, source); !ok {
		return false
	}
	if rest, ok = strings.CutPrefix(rest, "->"); !ok {
		return false
	}
	if rest, ok = strings.CutPrefix(rest, target); !ok {
		return false
	}
	if role == "" {
		return rest == ""
	}
	return len(rest) == 1+len(role) && rest[0] == ':' && rest[1:] == role
}
