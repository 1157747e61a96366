package neo4j

import (
	"context"
	"fmt"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// single runs a query built to answer in exactly one record (its subject
// under OPTIONAL MATCH, the rest aggregated) and returns that record; any
// other count is a bug in the query, reported under what.
func (t *txn) single(ctx context.Context, what, cypher string, params map[string]any) (*neo4jdrv.Record, error) {
	recs, err := t.collect(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	if len(recs) != 1 {
		return nil, fmt.Errorf("neo4j: %s: %d records", what, len(recs))
	}
	return recs[0], nil
}
