package neo4j

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
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

// TestMemoryLimit has the real server stop a transaction at its memory
// limit (a list collected past db.memory.transaction.total.max) and checks
// that the error reads as ErrTooComplex, not ErrUnavailable (which tells a
// client to send the same request again), with the server's error kept in
// the chain and out of the text a client reads.
func TestMemoryLimit(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := neo4jdrv.ExecuteQuery(ctx, s.driver,
		"SHOW SETTINGS YIELD name, value WHERE name = 'db.memory.transaction.total.max' RETURN value", nil, neo4jdrv.EagerResultTransformer)
	if err != nil || len(res.Records) != 1 {
		t.Fatalf("db.memory.transaction.total.max: %v, %v", res, err)
	}
	v, _ := res.Records[0].Get("value")
	limit := parseBytes(t, v.(string))
	if limit <= 0 || limit > 4<<30 {
		t.Skipf("db.memory.transaction.total.max is %v: no limit to reach in a test (scripts/neo4j.sh sets 512m)", v)
	}
	// Strings of 1 KiB each, twice the limit of them in all.
	pad := strings.Repeat("x", 1024)
	_, err = read(ctx, s, func(tx *txn) ([]*neo4jdrv.Record, error) {
		return tx.collect(ctx, "UNWIND range(1, $n) AS x RETURN size(collect(toString(x) + $pad)) AS n",
			map[string]any{"n": 2 * limit / 1024, "pad": pad})
	})
	if !errors.Is(err, graph.ErrTooComplex) || errors.Is(err, graph.ErrUnavailable) || graph.Code(err) != graph.CodeTooComplex {
		t.Fatalf("over the memory limit: got %v (code %s), want ErrTooComplex", err, graph.Code(err))
	}
	var n4e *neo4jdrv.Neo4jError
	if !errors.As(err, &n4e) {
		t.Errorf("the server's error is not kept: %v", err)
	}
	if msg := graph.PublicMessage(err); strings.Contains(msg, "Neo4jError") || !strings.Contains(msg, "memory") {
		t.Errorf("a client reads %q", msg)
	}
}

// parseBytes reads a Neo4j memory setting ("512m", "1.00GiB", "0B").
func parseBytes(t *testing.T, v string) int64 {
	t.Helper()
	v = strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(v)), "b"), "i")
	mult := int64(1)
	switch {
	case strings.HasSuffix(v, "k"):
		mult = 1 << 10
	case strings.HasSuffix(v, "m"):
		mult = 1 << 20
	case strings.HasSuffix(v, "g"):
		mult = 1 << 30
	}
	f, err := strconv.ParseFloat(strings.TrimRight(v, "kmg"), 64)
	if err != nil {
		t.Fatalf("memory setting %q: %v", v, err)
	}
	return int64(f * float64(mult))
}
