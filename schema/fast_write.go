package schema

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/skein-project/skein/graph"
)

// The fast executor's JSON: the bytes graphql-go writes for the same
// fields (scalars through encoding/json, enum values as they are, fields
// in collection order), written straight from the store's answer. Every
// field is charged to the response budget as budgetTracer and the
// resolvers' chargeText charge it, so that a request stops at the same
// size on either executor.

// fastWriter appends one response.
type fastWriter struct {
	buf    []byte
	charge int // bytes charged to the budget
	// degrees are the entity root's degree fields, resolved before it is
	// written.
	degrees map[*fastField]int32
	// kindless says the root field being written asked the store for no
	// kinds (graph.Selection.NoKinds): its entities' fields are the same
	// for every kind, and an entity without one is written with them.
	kindless bool
	// cols are the nodes, as columns, of the subgraph being written
	// (graph.Subgraph.NodeColumns), and scratch the record each is
	// written from, rewritten for each (node.e nil).
	cols    *graph.EntityColumns
	scratch graph.Entity
	// nodeIdx pools the index of a subgraph's nodes by id, which is
	// dropped once the subgraph is written: for a hub answer's 500 nodes
	// it was a third of the bytes the handler allocated, and with a large
	// graph in the heap every byte allocated costs the collector more.
	nodeIdx *sync.Pool
}

// nodeIndex returns an empty index for about n nodes.
func (w *fastWriter) nodeIndex(n int) map[string]node {
	if w.nodeIdx != nil {
		if m, ok := w.nodeIdx.Get().(map[string]node); ok {
			return m
		}
	}
	return make(map[string]node, n)
}

// dropNodeIndex empties m and gives it back for reuse.
func (w *fastWriter) dropNodeIndex(m map[string]node) {
	if w.nodeIdx != nil {
		clear(m)
		w.nodeIdx.Put(m)
	}
}

// properties writes a property map ordered by key, charged as the
// resolvers' properties charges it.
func (w *fastWriter) properties(m map[string]string, fields []*fastField) {
	keys := slices.Sorted(maps.Keys(m))
	w.buf = append(w.buf, '[')
	for i, k := range keys {
		w.charge += len(k) + fieldBytes + len(m[k]) + fieldBytes
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.buf = append(w.buf, '{')
		for j, f := range fields {
			w.key(j, f)
			switch f.name {
			case "key":
				w.str(k)
			case "value":
				w.str(m[k])
			case "__typename":
				w.buf = append(w.buf, `"Property"`...)
			}
		}
		w.buf = append(w.buf, '}')
	}
	w.buf = append(w.buf, ']')
}

// str writes s as json.Marshal does.
func (w *fastWriter) str(s string) { w.buf = appendJSONString(w.buf, s) }

// appendJSONString appends s as json.Marshal encodes a string: HTML
// characters escaped, invalid UTF-8 replaced, U+2028 and U+2029 escaped.
// It is encoding/json's appendString (Go 1.26) with escapeHTML set, which
// encoding/json does not export; fast_diff_test.go checks it against
// json.Marshal.
func appendJSONString(dst []byte, src string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := safeASCII(src); i < len(src); {
		if b := src[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, src[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(src[i:min(len(src), i+utf8.UTFMax)])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, src[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, src[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, src[start:]...)
	return append(dst, '"')
}

// safeASCII is the length of the longest prefix of s, rounded down to
// 8 bytes, that appendJSONString copies as it is: printable ASCII other
// than '"', '\\', '<', '>' and '&'. It tests 8 bytes at a time: ids and
// names are most of a large answer and almost never need escaping, and
// byte by byte their scan was a third of writing a hub's links.
func safeASCII(s string) int {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	// zero flags the bytes of x that are 0; a byte above a flagged one
	// may be flagged too, which only ends the prefix a word early.
	zero := func(x uint64) uint64 { return (x - ones) & ^x & high }
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// Non-ASCII, then control characters (below 0x20: subtracting
		// 0x20 borrows into the high bit of ASCII bytes only), then the
		// five characters that are escaped.
		if x&high != 0 || (x-0x20*ones)&^x&high != 0 ||
			zero(x^('"'*ones)) != 0 || zero(x^('\\'*ones)) != 0 ||
			zero(x^('<'*ones)) != 0 || zero(x^('>'*ones)) != 0 || zero(x^('&'*ones)) != 0 {
			break
		}
	}
	return i
}

// float writes a Float as graphql-go does, through encoding/json; one it
// refuses (NaN, an infinity) makes graphql-go panic, which is left to it.
func (w *fastWriter) float(v float64) error {
	b, err := json.Marshal(v)
	if err != nil {
		return unsure("a Float encoding/json refuses")
	}
	w.buf = append(w.buf, b...)
	return nil
}

// optional writes s, or null when empty (the resolvers' optional).
func (w *fastWriter) optional(s string) {
	if s == "" {
		w.buf = append(w.buf, "null"...)
		return
	}
	w.str(s)
}

// texts writes a list of strings, [] when nil, charging each.
func (w *fastWriter) texts(ss []string) {
	w.buf = append(w.buf, '[')
	for i, s := range ss {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.charge += len(s) + fieldBytes
		w.str(s)
	}
	w.buf = append(w.buf, ']')
}

// key opens a field and charges it as the tracer charges an executed one.
func (w *fastWriter) key(i int, f *fastField) {
	if i > 0 {
		w.buf = append(w.buf, ',')
	}
	w.buf = append(w.buf, '"')
	w.buf = append(w.buf, f.alias...)
	w.buf = append(w.buf, '"', ':')
	w.charge += len(f.name) + fieldBytes
}

// sizeOf estimates the bytes of a subgraph's JSON, so that the answer is
// written into one allocation: hundreds of kilobytes grown by doubling
// cost more than writing them.
func sizeOf(sg *graph.Subgraph, sf *subgraphFields) int {
	n := 64
	for _, f := range sf.fields {
		switch f.name {
		case "nodes":
			n += entitiesSize(sg.Nodes, sf.nodes[f])
			if c := sg.NodeColumns; c != nil {
				per := fieldsSize(sf.nodes[f][kindIndexes[graph.KindPerson]])
				for i, id := range c.IDs {
					n += per + len(id)
					if len(c.Names) > 0 {
						n += len(c.Names[i])
					}
				}
			}
		case "links":
			lf := sf.links[f]
			per := fieldsSize(lf.fields)
			for _, g := range lf.fields {
				if g.name == "source" || g.name == "target" {
					per += fieldsSize(lf.ends[g][kindIndexes[graph.KindPerson]]) + 24
				}
			}
			for i := range sg.Links {
				n += per + len(sg.Links[i].ID)
			}
			if c := sg.LinkColumns; c != nil {
				for _, id := range c.IDs {
					n += per + len(id)
				}
			}
		}
	}
	return n + n/8
}

// fieldsSize estimates the bytes of an object's fields but their values'
// text.
func fieldsSize(fs []*fastField) int {
	m := 2
	for _, f := range fs {
		m += len(f.alias) + 4 + 8 // quotes, colon, comma; a short value
	}
	return m
}

// entitiesSize estimates the bytes of a list of entities' JSON, for
// sizeOf and sharedAssociates: the fields of the kind most entities have
// are a fair guess.
func entitiesSize(es []graph.Entity, bf byKind) int {
	per := fieldsSize(bf[kindIndexes[graph.KindPerson]])
	n := 2
	for i := range es {
		n += per + len(es[i].ID) + len(es[i].Name)
	}
	return n
}

// byKind are the fields collected for an entity of each kind, by the
// kind's index in entityKinds.
type byKind [][]*fastField

// node is an entity of the subgraph with its kind's index: the record e,
// or when e is nil the writer's column at (fastWriter.cols).
type node struct {
	e    *graph.Entity
	kind int
	at   int
}

// entity writes an entity with the fields for its kind.
func (w *fastWriter) entity(n node, fields byKind) {
	e := n.e
	if e == nil {
		w.scratch = w.cols.Entity(n.at)
		e = &w.scratch
	}
	w.buf = append(w.buf, '{')
	for i, f := range fields[n.kind] {
		w.key(i, f)
		switch f.name {
		case "id":
			w.str(e.ID)
		case "kind":
			w.buf = append(w.buf, '"')
			w.buf = append(w.buf, e.Kind...)
			w.buf = append(w.buf, '"')
		case "name":
			w.charge += len(e.Name) + fieldBytes
			w.str(e.Name)
		case "aliases":
			w.texts(e.Aliases)
		case "countries":
			w.texts(e.Countries)
		case "description":
			w.charge += len(e.Description) + fieldBytes
			w.optional(e.Description)
		case "properties":
			w.properties(e.Properties, f.props)
		case "sanctioned":
			w.buf = strconv.AppendBool(w.buf, e.SanctionedUnder(f.when))
		case "degree":
			w.buf = strconv.AppendInt(w.buf, int64(w.degrees[f]), 10)
		case "__typename":
			w.str(entityKinds[n.kind].GraphQLType)
		}
	}
	w.buf = append(w.buf, '}')
}

// linkFields are the fields collected for a link, with those of its
// endpoints.
type linkFields struct {
	fields []*fastField
	ends   map[*fastField]byKind // of each source and target field
}

// link writes a link; its endpoints are the subgraph's nodes.
func (w *fastWriter) link(l *graph.Link, lf *linkFields, nodes map[string]node) error {
	w.buf = append(w.buf, '{')
	for i, f := range lf.fields {
		w.key(i, f)
		switch f.name {
		case "id":
			w.str(l.ID)
		case "type":
			w.buf = append(w.buf, '"')
			w.buf = append(w.buf, l.Type...)
			w.buf = append(w.buf, '"')
		case "source", "target":
			id := l.Source
			if f.name == "target" {
				id = l.Target
			}
			e, ok := nodes[id]
			if !ok {
				// graphql-go reports a non-null error and nulls the
				// subgraph: leave that to it.
				return unsure("a link whose endpoint is not a node")
			}
			w.entity(e, lf.ends[f])
		case "role":
			w.optional(l.Role)
		case "description":
			w.charge += len(l.Description) + fieldBytes
			w.optional(l.Description)
		case "startDate":
			w.optional(l.StartDate)
		case "endDate":
			w.optional(l.EndDate)
		case "weight":
			if l.Weight == 0 {
				w.buf = append(w.buf, "null"...)
			} else if err := w.float(l.Weight); err != nil {
				return err
			}
		case "properties":
			w.properties(l.Properties, f.props)
		case "__typename":
			w.buf = append(w.buf, `"Link"`...)
		}
	}
	w.buf = append(w.buf, '}')
	return nil
}

// subgraphFields are the fields collected for a subgraph, with those of
// its nodes and links.
type subgraphFields struct {
	fields []*fastField
	nodes  map[*fastField]byKind
	links  map[*fastField]*linkFields
}

// subgraph writes a subgraph. Like newSubgraph and newLinks, a node or a
// link listed twice is written as its first listing, and so is a link's
// endpoint.
func (w *fastWriter) subgraph(sg *graph.Subgraph, sf *subgraphFields) error {
	cols := sg.LinkColumns
	if cols != nil && !increasing(cols.IDs, func(id *string) string { return *id }) {
		// Not in the order stores answer in, so perhaps with an id twice:
		// written as records, each as its first listing.
		sg = &graph.Subgraph{Nodes: sg.Nodes, NodeColumns: sg.NodeColumns, Links: cols.Records(), Truncated: sg.Truncated}
		cols = nil
	}
	ncols := sg.NodeColumns
	nodes := w.nodeIndex(len(sg.Nodes) + ncols.Len())
	defer w.dropNodeIndex(nodes)
	for i := range sg.Nodes {
		if err := w.addNode(nodes, &sg.Nodes[i]); err != nil {
			return err
		}
	}
	w.cols = ncols
	if ncols != nil {
		for i, id := range ncols.IDs {
			if err := w.addNodeOf(nodes, id, w.scratchKind(i), node{at: i}); err != nil {
				return err
			}
		}
	}
	var links map[string]*graph.Link // the first listing of each id
	w.buf = append(w.buf, '{')
	for i, f := range sf.fields {
		w.key(i, f)
		switch f.name {
		case "nodes":
			if ncols != nil {
				w.entitiesOf(ncols.Len(), func(j int) string { return ncols.IDs[j] }, nodes, sf.nodes[f])
			} else {
				w.entities(sg.Nodes, nodes, sf.nodes[f])
			}
		case "links":
			n := len(sg.Links)
			var at func(j int) *graph.Link // link j's first listing
			switch {
			case cols != nil:
				var l graph.Link // one record, rewritten for each link
				n, at = cols.Len(), func(j int) *graph.Link { l = cols.Link(j); return &l }
			case increasing(sg.Links, func(l *graph.Link) string { return l.ID }):
				// No id twice: each link is its own first listing, and a
				// hub's thousands of links need no index.
				at = func(j int) *graph.Link { return &sg.Links[j] }
			default:
				if links == nil {
					links = make(map[string]*graph.Link, len(sg.Links))
					addLinks(links, sg.Links)
				}
				at = func(j int) *graph.Link { return links[sg.Links[j].ID] }
			}
			if err := w.links(n, at, sf.links[f], nodes); err != nil {
				return err
			}
		case "truncated":
			w.buf = strconv.AppendBool(w.buf, sg.Truncated)
		case "__typename":
			w.buf = append(w.buf, `"Subgraph"`...)
		}
	}
	w.buf = append(w.buf, '}')
	return nil
}

// addNode indexes an entity by id unless one came first.
func (w *fastWriter) addNode(nodes map[string]node, e *graph.Entity) error {
	return w.addNodeOf(nodes, e.ID, e.Kind, node{e: e})
}

// addNodeOf indexes n, the entity of id and kind, unless one came first.
func (w *fastWriter) addNodeOf(nodes map[string]node, id string, kind graph.Kind, n node) error {
	if _, ok := nodes[id]; ok {
		return nil
	}
	k, ok := kindIndexes[kind]
	if !ok && !(w.kindless && kind == "") {
		return unsure("an entity of a kind the schema lacks")
	}
	n.kind = k // kindless: the first kind's fields, every kind's
	nodes[id] = n
	return nil
}

// scratchKind is the kind of column i of w.cols, "" when they hold none.
func (w *fastWriter) scratchKind(i int) graph.Kind {
	if len(w.cols.Kinds) == 0 {
		return ""
	}
	return w.cols.Kinds[i]
}

// entities writes a list of entities, each as the first listing of its id
// (addNode).
func (w *fastWriter) entities(es []graph.Entity, first map[string]node, bf byKind) {
	w.entitiesOf(len(es), func(j int) string { return es[j].ID }, first, bf)
}

// entitiesOf writes a list of n entities, entity j the first listing of
// id(j) (addNode).
func (w *fastWriter) entitiesOf(n int, id func(j int) string, first map[string]node, bf byKind) {
	w.buf = append(w.buf, '[')
	for j := range n {
		if j > 0 {
			w.buf = append(w.buf, ',')
		}
		w.entity(first[id(j)], bf)
	}
	w.buf = append(w.buf, ']')
}

// addLinks indexes links by id, the first of each id kept.
func addLinks(links map[string]*graph.Link, ls []graph.Link) {
	for j := range ls {
		if _, dup := links[ls[j].ID]; !dup {
			links[ls[j].ID] = &ls[j]
		}
	}
}

// increasing reports whether the ids of xs strictly increase, as both
// stores order a subgraph's links: then no id is listed twice.
func increasing[T any](xs []T, id func(*T) string) bool {
	for j := 1; j < len(xs); j++ {
		if id(&xs[j-1]) >= id(&xs[j]) {
			return false
		}
	}
	return true
}

// links writes a list of n links, link j the record at(j) returns: the
// first listing of its id.
func (w *fastWriter) links(n int, at func(j int) *graph.Link, lf *linkFields, nodes map[string]node) error {
	w.buf = append(w.buf, '[')
	for j := range n {
		l := at(j)
		// No type at all: the store was told only ids are read
		// (graph.Selection.LinkIDsOnly).
		if l.Type != "" && !l.Type.Valid() {
			return unsure("a link of a type the schema lacks")
		}
		if j > 0 {
			w.buf = append(w.buf, ',')
		}
		if err := w.link(l, lf, nodes); err != nil {
			return err
		}
	}
	w.buf = append(w.buf, ']')
	return nil
}

// paths writes a list of paths. Like newPaths, the entities and links of
// all the paths are one group: an entity or link in several paths is
// written as its first listing in any, and so are links' endpoints.
func (w *fastWriter) paths(ps []graph.Path, sf *subgraphFields) error {
	nodes := map[string]node{}
	links := map[string]*graph.Link{}
	for i := range ps {
		for j := range ps[i].Nodes {
			if err := w.addNode(nodes, &ps[i].Nodes[j]); err != nil {
				return err
			}
		}
		addLinks(links, ps[i].Links)
	}
	w.buf = append(w.buf, '[')
	for i := range ps {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		p := &ps[i]
		w.buf = append(w.buf, '{')
		for k, f := range sf.fields {
			w.key(k, f)
			switch f.name {
			case "nodes":
				w.entities(p.Nodes, nodes, sf.nodes[f])
			case "links":
				at := func(j int) *graph.Link { return links[p.Links[j].ID] }
				if err := w.links(len(p.Links), at, sf.links[f], nodes); err != nil {
					return err
				}
			case "length":
				w.buf = strconv.AppendInt(w.buf, int64(int32(len(p.Links))), 10)
			case "__typename":
				w.buf = append(w.buf, `"Path"`...)
			}
		}
		w.buf = append(w.buf, '}')
	}
	w.buf = append(w.buf, ']')
	return nil
}

// pathsSize estimates the bytes of a list of paths' JSON, as sizeOf does
// a subgraph's.
func pathsSize(ps []graph.Path) int {
	n := 256
	for i := range ps {
		n += 64 + 96*len(ps[i].Nodes) + 128*len(ps[i].Links)
	}
	return n
}
