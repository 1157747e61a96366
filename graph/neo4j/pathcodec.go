package neo4j

import (
	"slices"

	"github.com/skein-project/skein/graph"
)

// Every path a query returns (paths, exposure, ownership chains) travels
// in one shape, so it is projected and read back in one place.

// pathProjOf projects a path given as the Cypher list expressions nodes
// (its entities, in order) and links (its links, in order), cut to what
// sel selects. Links read for their ids alone (a path's length, its link
// ids: graph.Selection.LinkIDsOnly) come without type and ends: each end
// is a node property the server would read for nothing. An entity or link
// of which only the id is read comes as that id, a string, rather than a
// map of one key: the server builds no map, and the driver decodes a
// string where it would make a map, its key and its value (a paths answer
// read for its length alone is some 90 of them).
func pathProjOf(nodes, links string, sel graph.Selection) string {
	link := linkProjOf("l", sel)
	if !sel.LinkEnds() && sel.Link == 0 {
		link = "l.id"
	}
	node := "n" + entityProjOf(sel)
	if sel.Partial && !sel.Kinds() && sel.Entity == 0 {
		node = "n.id"
	}
	return "{nodes: [n IN " + nodes + " | " + node + "], links: [l IN " + links + " | " + link + "]}"
}

// decodePath reads a path from a pathProjOf map. Its entities follow lead:
// an ownership chain's projection leaves out the entity it starts at,
// which the caller already has.
func decodePath(v any, lead ...graph.Entity) (graph.Path, error) {
	m, _ := v.(map[string]any)
	p := graph.Path{Nodes: slices.Clip(lead)} // appending never writes into the caller's slice
	for _, n := range asList(m["nodes"]) {
		if id, ok := n.(string); ok { // the id alone (pathProjOf)
			p.Nodes = append(p.Nodes, graph.Entity{ID: id})
			continue
		}
		e, err := decodeEntity(n)
		if err != nil {
			return graph.Path{}, err
		}
		p.Nodes = append(p.Nodes, e)
	}
	for _, x := range asList(m["links"]) {
		if id, ok := x.(string); ok { // the id alone (pathProjOf)
			p.Links = append(p.Links, graph.Link{ID: id})
			continue
		}
		l, err := decodeLink(x)
		if err != nil {
			return graph.Path{}, err
		}
		p.Links = append(p.Links, l)
	}
	return p, nil
}

// decodePaths reads a list of pathProjOf maps.
func decodePaths(v any) ([]graph.Path, error) {
	list := asList(v)
	out := make([]graph.Path, 0, len(list))
	for _, x := range list {
		p, err := decodePath(x)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
