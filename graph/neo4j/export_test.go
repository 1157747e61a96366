package neo4j

import (
	"context"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
)

// The import's id lookup, exposed to the plan test.
var (
	LinkEndsCypher   = linkEndsCypher
	LinkBoundsCypher = linkBoundsCypher
)

// SeekPlan exposes seekPlan with bounds given as [type, lo, hi] triples.
func SeekPlan(ids []string, bounds [][3]string) ([]any, int) {
	rs := make([]idRange, len(bounds))
	for i, b := range bounds {
		rs[i] = idRange{graph.LinkType(b[0]), b[1], b[2]}
	}
	return seekPlan(ids, rs)
}

// SetExposureCap lowers the shortest paths an exposure question may
// enumerate before the store declines it, so that a test reaches the cap.
func SetExposureCap(s *Store, n int) { s.exposureCap = n }

// NeighborhoodCypher exposes the text of a neighbourhood query, for the
// hub benchmark's bare driver call.
func NeighborhoodCypher(depth int, sel graph.Selection) string {
	return neighborhoodCypher(depth, newLinkFilter(nil, graph.When{}), sel, false)
}

// HubDecoder fetches the columns of entity id's depth-1 neighbourhood at
// limit 500 once and returns a function that decodes them, for
// BenchmarkDecodeHub; ok is false when the entity is missing.
func HubDecoder(ctx context.Context, s *Store, id string, sel graph.Selection) (decode func() (graph.Subgraph, error), ok bool, err error) {
	cypher := neighborhoodCypher(1, newLinkFilter(nil, graph.When{}), sel, false)
	params := map[string]any{"id": id, "kinds": nil, "limit": 500, "cut": 499, "dense": 1500}
	recs, err := read(ctx, s, func(tx *txn) ([]*neo4jdrv.Record, error) { return tx.collect(ctx, cypher, params) })
	if err != nil || len(recs) != 1 {
		return nil, false, err
	}
	return func() (graph.Subgraph, error) {
		nodes, err := decodeNodeColumns(recs[0], sel)
		if err != nil {
			return graph.Subgraph{}, err
		}
		links, cols, err := decodeLinkColumns(recs[0], nodes, sel)
		return graph.Subgraph{Nodes: nodes, Links: links, LinkColumns: cols}, err
	}, true, nil
}

// SetSearchCollected lowers how many candidates a search collects in its
// first statement (and each bucket after), so that a test reaches the cut.
func SetSearchCollected(s *Store, n int) { s.searchCollected = n }

// SetDenseMargin changes how many links past the limit make a
// neighbourhood's start dense enough for the index seeks; a large
// negative margin sends every start to them.
func SetDenseMargin(s *Store, n int) { s.denseMargin = n }
