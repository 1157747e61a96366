package neo4j

// LinkEndsCypher exposes the import's id lookup to the plan test.
var LinkEndsCypher = linkEndsCypher
