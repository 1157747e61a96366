package neo4j_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestOwnershipMigration: OWNS links and designated entities written
// before the plain percentage and designation-span properties existed
// (percentages only in the properties JSON, textVersion 1) are counted by
// the ownership queries once a store has opened the database again;
// opening it once more changes nothing. A percentage that cannot be read
// is left unstated and does not stop the migration.
func TestOwnershipMigration(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	s := open(t, cfg)
	ctx := context.Background()
	raw := rawCypher(t, cfg)
	// What an earlier version wrote.
	raw("CREATE (d:Entity:Person {id: 'person:mig-d', kind: 'PERSON', name: 'Mig D', searchText: 'mig d', textVersion: 1, designations: $desig}), "+
		"(a:Entity:Company {id: 'company:mig-a', kind: 'COMPANY', name: 'Mig A', searchText: 'mig a', textVersion: 1}), "+
		"(b:Entity:Company {id: 'company:mig-b', kind: 'COMPANY', name: 'Mig B', searchText: 'mig b', textVersion: 1}), "+
		"(d)-[:OWNS {id: 'own:mig-d-a', properties: '{\"percentage\":\"60\"}'}]->(a), "+
		"(a)-[:OWNS {id: 'own:mig-a-b', properties: '{\"percentage\":\"fifty\",\"sharesValue\":\"10\"}'}]->(b), "+
		"(d)-[:OWNS {id: 'own:mig-d-b', properties: '{\"percentage\":\"25\"}'}]->(b)",
		map[string]any{"desig": `[{"regime":"Test","authority":"UK","listedOn":"2019-03","sources":[{"document":"doc:t","quote":"listed"}]}]`})
	tally := func(st *neo4j.Store) string {
		t.Helper()
		ts, err := st.OwnershipTallies(ctx, graph.OwnershipQuery{ID: "person:mig-d", Holdings: true})
		if err != nil {
			t.Fatal(err)
		}
		found, err := st.DesignatedOwnership(ctx, graph.DesignatedOwnershipQuery{When: graph.When{AsOf: "2020-01-01"}})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range append(ts, found...) {
			out = append(out, fmt.Sprintf("%s>%s %.6g %d+%d", x.Owner.ID, x.Asset.ID, x.Share, x.Stated, x.Unstated))
		}
		slices.Sort(out)
		return strings.Join(out, "; ")
	}
	// D holds 60% of A; of B, 25% directly and through A at an unreadable
	// percentage.
	const want = "person:mig-d>company:mig-a 60 1+0; person:mig-d>company:mig-a 60 1+0; person:mig-d>company:mig-b 25 1+1; person:mig-d>company:mig-b 25 1+1"
	before := tally(s)
	if before == want {
		t.Fatalf("before the migration the old links already count: %s (the test needs them not to)", before)
	}
	state := func() string {
		t.Helper()
		var b strings.Builder
		for _, r := range raw("MATCH (e:Entity) OPTIONAL MATCH (e)-[r:OWNS]->() "+
			"RETURN e.id AS id, e.designatedFrom AS f, e.designatedTo AS t, e.textVersion AS v, r.id AS r, r.percentage AS p ORDER BY id, r", nil) {
			b.WriteString(fmtRecord(r, "id", "f", "t", "v", "r", "p") + "\n")
		}
		return b.String()
	}
	s2, err := neo4j.Open(ctx, cfg) // migrates
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := tally(s2); got != want {
		t.Errorf("after the migration:\n got %s\nwant %s", got, want)
	}
	after := state()
	s3, err := neo4j.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	if again := state(); again != after {
		t.Errorf("opening a migrated database again changed it:\n%s\nwas\n%s", again, after)
	}
}

// TestOwnershipRefusesTooManyChains: a dense ownership graph with more
// simple chains than graph.MaxOwnershipChains is refused, as the snapshot
// walk refuses it, without the server enumerating them all.
func TestOwnershipRefusesTooManyChains(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	var b graph.Batch
	for i := range 12 {
		b.Entities = append(b.Entities, graph.Entity{ID: fmt.Sprintf("company:dense-%02d", i), Kind: graph.KindCompany, Name: "Dense"})
	}
	for i := range 12 {
		for j := range 12 {
			if i != j {
				b.Links = append(b.Links, graph.Link{ID: fmt.Sprintf("own:dense-%02d-%02d", i, j), Type: graph.LinkOwns,
					Source: b.Entities[i].ID, Target: b.Entities[j].ID, Properties: map[string]string{"percentage": "5"}})
			}
		}
	}
	if err := s.Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OwnershipTallies(ctx, graph.OwnershipQuery{ID: "company:dense-00", Holdings: true}); !errors.Is(err, graph.ErrTooComplex) {
		t.Errorf("holdings in a dense graph: %v, want ErrTooComplex", err)
	}
	if _, err := s.OwnershipTallies(ctx, graph.OwnershipQuery{ID: "company:nobody"}); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("owners of an unknown entity: %v, want ErrNotFound", err)
	}
	// Two hops are few enough: 11 + 11*10 chains.
	ts, err := s.OwnershipTallies(ctx, graph.OwnershipQuery{ID: "company:dense-00", Holdings: true, MaxDepth: 2})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range ts {
		n += x.Stated + x.Unstated
	}
	if len(ts) != 11 || n != 11+11*10 {
		t.Errorf("two hops: %d assets and %d chains, want 11 and %d", len(ts), n, 11+11*10)
	}
}
