package neo4j

import "github.com/skein-project/skein/graph"

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
