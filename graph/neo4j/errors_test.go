package neo4j

import (
	"context"
	"errors"
	"os"
	"testing"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/testenv"
)

// testConfig reads the test server's settings as teststores does (which
// this package's internal tests cannot import).
func testConfig(t *testing.T) Config {
	t.Helper()
	uri := testenv.Getenv(t, "NEO4J_URI", `eval "$(bash scripts/neo4j.sh start)" (make test does)`)
	return Config{URI: uri, Username: os.Getenv("NEO4J_USERNAME"), Password: os.Getenv("NEO4J_PASSWORD")}
}

// TestConstraintViolation has the real server reject a duplicate entity id
// (the store's own writes never do, since they MERGE) and checks that the
// error reads as ErrInvalid with the server's error kept.
func TestConstraintViolation(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = write(ctx, s, func(tx *txn) (struct{}, error) {
		return struct{}{}, tx.exec(ctx, "CREATE (:Entity {id: $id}), (:Entity {id: $id})", map[string]any{"id": "person:twin"})
	})
	if !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("duplicate id: got %v, want ErrInvalid", err)
	}
	var n4e *neo4jdrv.Neo4jError
	if !errors.As(err, &n4e) {
		t.Errorf("the server's error is not kept: %v", err)
	}
	if n, err := s.Stats(ctx); err != nil || n.Entities != 0 {
		t.Errorf("the failed write left %+v, %v", n, err)
	}
}
