package schema

import (
	"strconv"

	"github.com/skein-project/skein/graph"
)

// The fast executor's lists of entities: a search connection and
// sharedAssociates, written with the entity writer of subgraphs and paths
// (fast_write.go).

// connectionFields are the fields collected for a search connection, with
// those of its nodes, edges and pageInfo.
type connectionFields struct {
	fields   []*fastField
	nodes    map[*fastField]byKind
	edges    map[*fastField]*edgeFields
	pageInfo map[*fastField][]*fastField
}

// edgeFields are the fields collected for an EntityEdge, with those of its
// node.
type edgeFields struct {
	fields []*fastField
	node   map[*fastField]byKind
}

// connectionFields collects the selection sets of a search connection,
// and those of its nodes, its edges (with their node) and its pageInfo.
func (c *collector) connectionFields(sels [][]*qSelection) (*connectionFields, error) {
	cf := &connectionFields{nodes: map[*fastField]byKind{}, edges: map[*fastField]*edgeFields{}, pageInfo: map[*fastField][]*fastField{}}
	var err error
	for _, set := range sels {
		if cf.fields, err = c.collect("EntityConnection", "EntityConnection", set, cf.fields); err != nil {
			return nil, err
		}
	}
	for _, f := range cf.fields {
		switch f.name {
		case "nodes":
			if cf.nodes[f], err = c.entityFields(f.sels, false); err != nil {
				return nil, err
			}
		case "edges":
			ef := &edgeFields{node: map[*fastField]byKind{}}
			for _, set := range f.sels {
				if ef.fields, err = c.collect("EntityEdge", "EntityEdge", set, ef.fields); err != nil {
					return nil, err
				}
			}
			for _, g := range ef.fields {
				if g.name == "node" {
					if ef.node[g], err = c.entityFields(g.sels, false); err != nil {
						return nil, err
					}
				}
			}
			cf.edges[f] = ef
		case "pageInfo":
			var fs []*fastField
			for _, set := range f.sels {
				if fs, err = c.collect("PageInfo", "PageInfo", set, fs); err != nil {
					return nil, err
				}
			}
			cf.pageInfo[f] = fs
		}
	}
	return cf, nil
}

// firstNodes indexes entities by id, the first of each id kept, as
// newEntities gives an id seen twice the first one's resolver.
func (w *fastWriter) firstNodes(es []graph.Entity) (map[string]node, error) {
	nodes := make(map[string]node, len(es))
	for i := range es {
		if err := w.addNode(nodes, &es[i]); err != nil {
			return nil, err
		}
	}
	return nodes, nil
}

// entityList writes sharedAssociates' list of entities.
func (w *fastWriter) entityList(es []graph.Entity, bf byKind) error {
	nodes, err := w.firstNodes(es)
	if err != nil {
		return err
	}
	w.entities(es, nodes, bf)
	return nil
}

// connection writes a search connection. Its nodes and its edges' node
// are the same entities, each as the first listing of its id.
func (w *fastWriter) connection(res *graph.SearchResult, cf *connectionFields) error {
	es := make([]graph.Entity, len(res.Hits))
	for i := range res.Hits {
		es[i] = res.Hits[i].Entity
	}
	nodes, err := w.firstNodes(es)
	if err != nil {
		return err
	}
	w.buf = append(w.buf, '{')
	for i, f := range cf.fields {
		w.key(i, f)
		switch f.name {
		case "nodes":
			w.entities(es, nodes, cf.nodes[f])
		case "edges":
			if err := w.edges(res.Hits, es, nodes, cf.edges[f]); err != nil {
				return err
			}
		case "pageInfo":
			w.pageInfo(res, cf.pageInfo[f])
		case "totalCount":
			w.buf = strconv.AppendInt(w.buf, int64(int32(res.TotalCount)), 10)
		case "__typename":
			w.buf = append(w.buf, `"EntityConnection"`...)
		}
	}
	w.buf = append(w.buf, '}')
	return nil
}

// edges writes a connection's edges; es are the hits' entities.
func (w *fastWriter) edges(hits []graph.SearchHit, es []graph.Entity, nodes map[string]node, ef *edgeFields) error {
	w.buf = append(w.buf, '[')
	for j := range hits {
		if j > 0 {
			w.buf = append(w.buf, ',')
		}
		w.buf = append(w.buf, '{')
		for i, f := range ef.fields {
			w.key(i, f)
			switch f.name {
			case "node":
				w.entity(nodes[es[j].ID], ef.node[f])
			case "cursor":
				w.str(hits[j].Cursor)
			case "score":
				if err := w.float(hits[j].Score); err != nil {
					return err
				}
			case "__typename":
				w.buf = append(w.buf, `"EntityEdge"`...)
			}
		}
		w.buf = append(w.buf, '}')
	}
	w.buf = append(w.buf, ']')
	return nil
}

// pageInfo writes a connection's pageInfo.
func (w *fastWriter) pageInfo(res *graph.SearchResult, fields []*fastField) {
	w.buf = append(w.buf, '{')
	for i, f := range fields {
		w.key(i, f)
		switch f.name {
		case "hasNextPage":
			w.buf = strconv.AppendBool(w.buf, res.HasNextPage)
		case "endCursor":
			w.optional(res.EndCursor)
		case "__typename":
			w.buf = append(w.buf, `"PageInfo"`...)
		}
	}
	w.buf = append(w.buf, '}')
}

// connectionSize estimates the bytes of a connection's JSON, as pathsSize
// does a list of paths'.
func connectionSize(res *graph.SearchResult) int {
	n := 256
	for i := range res.Hits {
		h := &res.Hits[i]
		n += 192 + 2*(len(h.Entity.ID)+len(h.Entity.Name)) + len(h.Cursor)
	}
	return n
}
