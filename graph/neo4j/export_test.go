package neo4j

// LinkEndsCypher exposes the import's id lookup to the plan test.
var LinkEndsCypher = linkEndsCypher

// SetExposureCap lowers the shortest paths an exposure question may
// enumerate before the store declines it, so that a test reaches the cap.
func SetExposureCap(s *Store, n int) { s.exposureCap = n }
