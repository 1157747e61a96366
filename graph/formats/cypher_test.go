package formats

import (
	"bufio"
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

func TestCypherString(t *testing.T) {
	for in, want := range map[string]string{
		"":                    `''`,
		"plain":               `'plain'`,
		`it's`:                `'it\'s'`,
		`say "hi"`:            `'say \"hi\"'`,
		`back\slash`:          `'back\\slash'`,
		`\u0027 stays text`:   `'\\u0027 stays text'`,
		"new\nline\r\ttab":    `'new\nline\r\ttab'`,
		"bell\x07nul\x00":     `'bell\u0007nul\u0000'`,
		"Seferović 😀":         `'Seferović 😀'`,
		"'}) DETACH DELETE n": `'\'}) DETACH DELETE n'`,
	} {
		if got := cypherString(in); got != want {
			t.Errorf("cypherString(%q) = %s, want %s", in, got, want)
		}
	}
}

// Every statement of the script is one line; none but the comment header
// and the constraints is anything but a MERGE of a record.
func TestCypherScriptShape(t *testing.T) {
	b := crafted()
	script := encode(t, Cypher, b)
	var merges, constraints int
	sc := bufio.NewScanner(bytes.NewReader(script))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "//"):
		case strings.HasPrefix(line, "CREATE CONSTRAINT "):
			constraints++
		case strings.HasPrefix(line, "MERGE ("), strings.HasPrefix(line, "MATCH (s:Entity {id: "):
			merges++
		default:
			t.Errorf("unexpected statement: %s", line)
		}
		if !strings.HasPrefix(line, "//") && !strings.HasSuffix(line, ";") {
			t.Errorf("statement does not end with ';': %s", line)
		}
	}
	if want := len(b.Documents) + len(b.Entities) + len(b.Links); merges != want || constraints != 2 {
		t.Fatalf("%d MERGE statements and %d constraints, want %d and 2", merges, constraints, want)
	}
}

// runCypher runs a script statement by statement, each in its own
// transaction (schema and data statements cannot share one).
func runCypher(t *testing.T, script []byte) {
	t.Helper()
	ctx := context.Background()
	cfg := teststores.Neo4jConfig(t)
	drv, err := neo4jdrv.NewDriverWithContext(cfg.URI, neo4jdrv.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close(ctx)
	sc := bufio.NewScanner(bytes.NewReader(script))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		stmt := strings.TrimSuffix(strings.TrimSpace(sc.Text()), ";")
		if stmt == "" || strings.HasPrefix(stmt, "//") {
			continue
		}
		if _, err := neo4jdrv.ExecuteQuery(ctx, drv, stmt, nil, neo4jdrv.EagerResultTransformer,
			neo4jdrv.ExecuteQueryWithDatabase(cfg.Database)); err != nil {
			t.Fatalf("statement failed: %v\n%s", err, stmt)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

// countCypher runs a query returning one count n.
func countCypher(t *testing.T, q string) int64 {
	t.Helper()
	ctx := context.Background()
	cfg := teststores.Neo4jConfig(t)
	drv, err := neo4jdrv.NewDriverWithContext(cfg.URI, neo4jdrv.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close(ctx)
	res, err := neo4jdrv.ExecuteQuery(ctx, drv, q, nil, neo4jdrv.EagerResultTransformer, neo4jdrv.ExecuteQueryWithDatabase(cfg.Database))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := res.Records[0].Get("n")
	return n.(int64)
}

// Running the script on an empty Neo4j recreates the graph exactly as the
// Neo4j store reads it; running it again changes nothing.
func TestCypherScriptRecreatesTheGraphInNeo4j(t *testing.T) {
	for name, b := range map[string]graph.Batch{"crafted": crafted(), "seed": seedBatch(t)} {
		t.Run(name, func(t *testing.T) {
			s := teststores.Neo4j(t) // empties the test database
			script := encode(t, Cypher, b)
			runCypher(t, script)
			assertSameBatch(t, byID(b), contents(t, s))
			runCypher(t, script)
			assertSameBatch(t, byID(b), contents(t, s))
			// The store's search index sees the entities too.
			res, err := s.Search(context.Background(), graph.SearchQuery{Text: b.Entities[0].Name})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 || res.Hits[0].Entity.ID != b.Entities[0].ID {
				t.Fatalf("search for %q: %+v, want %s first", b.Entities[0].Name, res.Hits, b.Entities[0].ID)
			}
			// Every link carries its ends' ids as the store writes them
			// (the index a hub's neighbourhood reads), every entity its
			// searchKey.
			if n := countCypher(t, "MATCH (s:Entity)-[r]->(t:Entity) WHERE r.srcId IS NULL OR r.tgtId IS NULL "+
				"OR r.srcId <> s.id OR r.tgtId <> t.id RETURN count(r) AS n"); n != 0 {
				t.Errorf("%d links without their ends' ids", n)
			}
			if n := countCypher(t, "MATCH (e:Entity) WHERE e.searchKey IS NULL RETURN count(e) AS n"); n != 0 {
				t.Errorf("%d entities without a searchKey", n)
			}
			// The script's date(...) bounds are what the store filters by
			// time on: as of each link's first and last dated day, and the
			// days just outside, the store keeps exactly the links in force
			// (worked out here with the time package).
			for _, l := range b.Links {
				for _, day := range []string{dayBounds(t, l.StartDate, false), dayBounds(t, l.EndDate, true)} {
					if day == "" {
						continue
					}
					d, _ := time.Parse(time.DateOnly, day)
					for _, at := range []time.Time{d.AddDate(0, 0, -1), d, d.AddDate(0, 0, 1)} {
						asOf := at.Format(time.DateOnly)
						got, err := s.LinksOf(context.Background(), []string{l.Source}, []graph.LinkType{l.Type}, graph.DirectionOutgoing, graph.When{AsOf: asOf})
						if err != nil {
							t.Fatal(err)
						}
						inForce := (l.StartDate == "" || dayBounds(t, l.StartDate, false) <= asOf) && (l.EndDate == "" || dayBounds(t, l.EndDate, true) >= asOf)
						if found := slices.ContainsFunc(got[l.Source], func(g graph.Link) bool { return g.ID == l.ID }); found != inForce {
							t.Errorf("link %s (%s..%s) as of %s: kept %v, want %v", l.ID, l.StartDate, l.EndDate, asOf, found, inForce)
						}
					}
				}
			}
		})
	}
}
