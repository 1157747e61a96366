package embedded

import (
	"cmp"
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
// of its slots compare without building their ids.
func (g *memGraph) cmpLinks(a, b int32) int {
	if int(a) < g.loaded && int(b) < g.loaded {
		return cmp.Compare(a, b)
	}
	return strings.Compare(g.linkID(a), g.linkID(b))
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
	b.Grow(len(lt) + 1 + len(source) + 2 + len(target) + 1 + len(role))
	b.WriteString(lt)
	b.WriteByte(':')
	b.WriteString(source)
	b.WriteString("->")
	b.WriteString(target)
	if role != "" {
		b.WriteByte(':')
		b.WriteString(role)
	}
	return b.String()
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
