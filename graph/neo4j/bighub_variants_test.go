package neo4j_test

import "github.com/skein-project/skein/graph/neo4j"

// bigHubVariants are the query texts BenchmarkBigHubVariants compares:
// the store's depth-1 hub query (ids only), the same before its first
// level came from the index on the links' copies of their ends' ids
// (node-ids) and with the copies read instead of the nodes' ids during
// the expansion (rel-ids-bare: no cheaper), the same before its stages
// asked for a bounded order (a Sort of the whole neighbourhood instead of
// a Top), scripts/bench's raw query, and the floor of a cut by id: the
// expansion and one id read per neighbour, without order or links.
var bigHubVariants = []struct{ name, text string }{
	{"store", neo4j.NeighborhoodCypher(1, hubSelections[2].sel)},
	{"node-ids", "MATCH (s:Entity {id: $id}) CALL (s) { MATCH (s)-[r]-(n) WHERE n <> s AND true AND ($kinds IS NULL OR n.kind IN $kinds) " +
		"WITH DISTINCT n AS v ORDER BY v.id LIMIT $limit RETURN collect(v)[..$cut] AS b1, count(v) AS n1 } " +
		"WITH [s] + CASE WHEN n1 > 0 THEN b1 ELSE [] END AS keep, CASE WHEN n1 > 0 THEN n1 ELSE 0 END >= $limit AS truncated " +
		"CALL (keep) { UNWIND keep AS a MATCH (a)-[r]->(c) WHERE c IN keep AND true RETURN collect(r.id) AS lid } " +
		"RETURN [e IN keep | e.id] AS ids, lid, truncated"},
	{"rel-ids-bare", "MATCH (s:Entity {id: $id}) CALL (s) { MATCH (s)-[r]-(n) WHERE n <> s AND true AND ($kinds IS NULL OR n.kind IN $kinds) " +
		"WITH DISTINCT n AS v, CASE WHEN startNode(r) = n THEN r.srcId ELSE r.tgtId END AS vid ORDER BY vid LIMIT $limit RETURN collect(v)[..$cut] AS b1, count(v) AS n1 } " +
		"WITH [s] + CASE WHEN n1 > 0 THEN b1 ELSE [] END AS keep, CASE WHEN n1 > 0 THEN n1 ELSE 0 END >= $limit AS truncated " +
		"CALL (keep) { UNWIND keep AS a MATCH (a)-[r]->(c) WHERE c IN keep AND true RETURN collect(r.id) AS lid } " +
		"RETURN [e IN keep | e.id] AS ids, lid, truncated"},
	{"sorted", "MATCH (s:Entity {id: $id}) CALL (s) { MATCH (s)-[r]-(n) WHERE n <> s AND true AND ($kinds IS NULL OR n.kind IN $kinds) " +
		"WITH DISTINCT n AS v ORDER BY v.id RETURN collect(v)[..$cut] AS b1, count(v) AS n1 } " +
		"WITH [s] + CASE WHEN n1 > 0 THEN b1 ELSE [] END AS keep, CASE WHEN n1 > 0 THEN n1 ELSE 0 END >= $limit AS truncated " +
		"CALL (keep) { UNWIND keep AS a MATCH (a)-[r]->(c) WHERE c IN keep AND true RETURN collect(r.id) AS lid } " +
		"RETURN [e IN keep | e.id] AS ids, lid, truncated"},
	{"raw", rawNbrCypher},
	{"floor", "MATCH (s:Entity {id: $id}) CALL (s) { MATCH (s)-[r]-(n) WHERE n <> s AND true AND ($kinds IS NULL OR n.kind IN $kinds) " +
		"WITH DISTINCT n AS v RETURN count(v.id) AS n1 } RETURN n1 AS n"},
}
