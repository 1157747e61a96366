package neo4j_test

import (
	"context"
	"testing"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph/neo4j"
)

// rawCypher returns a function that runs Cypher on the test database
// through a driver of its own, outside any Store: how the migration tests
// write what an earlier version left and read what a store made of it.
func rawCypher(t *testing.T, cfg neo4j.Config) func(cypher string, params map[string]any) []*neo4jdrv.Record {
	t.Helper()
	drv, err := neo4jdrv.NewDriverWithContext(cfg.URI, neo4jdrv.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = drv.Close(context.Background()) })
	return func(cypher string, params map[string]any) []*neo4jdrv.Record {
		t.Helper()
		res, err := neo4jdrv.ExecuteQuery(context.Background(), drv, cypher, params, neo4jdrv.EagerResultTransformer, neo4jdrv.ExecuteQueryWithDatabase(cfg.Database))
		if err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
		return res.Records
	}
}
