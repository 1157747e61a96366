package neo4j_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// open connects to the test server and empties it; the suite's subtests run
// one after another, so they can share the one database.
func open(t *testing.T, cfg neo4j.Config) *neo4j.Store {
	t.Helper()
	ctx := context.Background()
	s, err := neo4j.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if err := s.DeleteAll(ctx); err != nil {
		t.Fatalf("DeleteAll: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	storetest.Run(t, func(t *testing.T) graph.Store { return open(t, cfg) })
}

func TestRecordsConformance(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	storetest.RunRecords(t, func(t *testing.T) graph.Records { return open(t, cfg) })
}

// TestRoutingURI opens the store through the neo4j:// scheme, which asks
// the server for a routing table first.
func TestRoutingURI(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	scheme, rest, ok := strings.Cut(cfg.URI, "://")
	if !ok {
		t.Fatalf("NEO4J_URI %q has no scheme", cfg.URI)
	}
	if scheme != "neo4j" {
		cfg.URI = "neo4j://" + rest
	}
	s := open(t, cfg)
	ctx := context.Background()
	e := graph.Entity{ID: "person:routed", Kind: graph.KindPerson, Name: "Routed Person"}
	if err := s.Upsert(ctx, graph.Batch{Entities: []graph.Entity{e}}); err != nil {
		t.Fatalf("Upsert over %s: %v", cfg.URI, err)
	}
	// Read-your-writes across sessions relies on the shared bookmarks.
	got, err := s.Entity(ctx, e.ID)
	if err != nil || got.Name != e.Name {
		t.Fatalf("Entity over %s: %+v, %v", cfg.URI, got, err)
	}
}

// TestDeadline checks that a request whose deadline has passed fails as a
// timeout and is not sent.
func TestDeadline(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	before := s.RoundTrips()
	_, err := s.Snapshot(ctx, graph.SnapshotQuery{})
	if !errors.Is(err, graph.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("expired deadline: got %v, want ErrTimeout wrapping context.DeadlineExceeded", err)
	}
	if n := s.RoundTrips() - before; n != 0 {
		t.Errorf("an expired request sent %d queries", n)
	}
}

// TestDeadlineMidway runs a large write under deadlines that double from
// one millisecond until one is long enough: every attempt that fails must
// fail as a timeout (or with the context's error) and write all or
// nothing, and the store must serve the next request. Some of the deadlines pass
// while the server is working, which the transaction timeout derived from
// the context also bounds. How many attempts fail depends on the machine's
// speed, so the test asserts nothing about it (timings go to benchmarks).
func TestDeadlineMidway(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	batch := func() graph.Batch {
		var es []graph.Entity
		for i := range 5000 {
			es = append(es, graph.Entity{ID: "person:p" + itoa(i), Kind: graph.KindPerson, Name: "Person " + itoa(i)})
		}
		return graph.Batch{Entities: es}
	}
	for d := time.Millisecond; d < time.Minute; d *= 2 {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		err := s.Upsert(ctx, batch())
		cancel()
		if err == nil {
			break
		}
		if !errors.Is(err, graph.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
			t.Fatalf("deadline %v during a write: got %v, want a timeout", d, err)
		}
		st, err := s.Stats(context.Background())
		if err != nil {
			t.Fatalf("Stats after a timed-out write: %v", err)
		}
		// A deadline that passes while the commit is on its way cannot
		// tell whether it landed; either way the write is all or nothing.
		if st.Entities == 5000 {
			return
		}
		if st.Entities != 0 {
			t.Fatalf("a write timed out after %v left %d of 5000 entities", d, st.Entities)
		}
	}
	st, err := s.Stats(context.Background())
	if err != nil || st.Entities != 5000 {
		t.Errorf("after the write that finished: %+v, %v", st, err)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// TestUnavailable points the store at a port where nothing listens.
func TestUnavailable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	for _, scheme := range []string{"bolt", "neo4j"} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := neo4j.Open(ctx, neo4j.Config{URI: scheme + "://" + addr, Username: "neo4j", Password: "wrong-password"})
		cancel()
		if !errors.Is(err, graph.ErrUnavailable) {
			t.Errorf("%s on a closed port: got %v, want ErrUnavailable", scheme, err)
		}
	}
}

// TestRoundTrips checks that lookups of many ids cost one query each.
func TestRoundTrips(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	var es []graph.Entity
	var ids []string
	for i := range 50 {
		id := "person:rt" + itoa(i)
		ids = append(ids, id)
		es = append(es, graph.Entity{ID: id, Kind: graph.KindPerson, Name: "Round Trip " + itoa(i)})
	}
	var ls []graph.Link
	for i := 1; i < len(ids); i++ {
		ls = append(ls, graph.Link{Type: graph.LinkAssociateOf, Source: ids[i-1], Target: ids[i]})
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: es, Links: ls}); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"Entities": func() error { _, err := s.Entities(ctx, ids); return err },
		"LinksOf":  func() error { _, err := s.LinksOf(ctx, ids, nil, graph.DirectionBoth, graph.When{}); return err },
		"Degrees":  func() error { _, err := s.Degrees(ctx, ids, graph.When{}); return err },
		"Stats":    func() error { _, err := s.Stats(ctx); return err },
	} {
		before := s.RoundTrips()
		if err := call(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := s.RoundTrips() - before; n != 1 {
			t.Errorf("%s of %d ids took %d queries, want 1", name, len(ids), n)
		}
	}
	// A neighbourhood is one query, at any depth and selection.
	for _, sel := range []graph.Selection{{}, {Partial: true, Entity: graph.EntityName}} {
		before := s.RoundTrips()
		sg, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: ids[0], Depth: 5, Select: sel})
		if err != nil {
			t.Fatal(err)
		}
		if len(sg.Nodes) != 6 || len(sg.Links) != 5 {
			t.Errorf("neighbourhood of a chain end at depth 5: %d nodes, %d links, want 6, 5", len(sg.Nodes), len(sg.Links))
		}
		for _, n := range sg.Nodes {
			if n.Name == "" {
				t.Errorf("neighbourhood selecting names: %q has none", n.ID)
			}
		}
		if n := s.RoundTrips() - before; n != 1 {
			t.Errorf("neighbourhood of depth 5 took %d queries, want 1", n)
		}
	}
	// So are paths, found or not, and an unknown end.
	for _, q := range []graph.PathQuery{
		{From: ids[0], To: ids[4], MaxHops: 4},
		{From: ids[0], To: ids[9], MaxHops: 4},
		{From: ids[0], To: "person:rt-unknown"},
	} {
		before := s.RoundTrips()
		ps, err := s.Paths(ctx, q)
		if q.To == "person:rt-unknown" {
			if !errors.Is(err, graph.ErrNotFound) {
				t.Errorf("paths to an unknown entity: %v, want ErrNotFound", err)
			}
		} else if err != nil {
			t.Fatal(err)
		} else if want := map[string]int{ids[4]: 1, ids[9]: 0}[q.To]; len(ps) != want {
			t.Errorf("paths %s -> %s: %d, want %d", q.From, q.To, len(ps), want)
		}
		if n := s.RoundTrips() - before; n != 1 {
			t.Errorf("paths %s -> %s took %d queries, want 1", q.From, q.To, n)
		}
	}
}

// TestDatabase names the database explicitly, then one that does not
// exist, which the store cannot serve.
func TestDatabase(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	cfg.Database = "neo4j"
	s := open(t, cfg)
	if err := s.Ping(context.Background()); err != nil {
		t.Errorf("Ping on database %q: %v", cfg.Database, err)
	}
	cfg.Database = "nosuchdatabase"
	_, err := neo4j.Open(context.Background(), cfg)
	if !errors.Is(err, graph.ErrUnavailable) {
		t.Errorf("unknown database: got %v, want ErrUnavailable", err)
	}
}

// TestConcurrent shares one store between goroutines that write and read
// at once, as the GraphQL server does.
func TestConcurrent(t *testing.T) {
	s := open(t, teststores.Neo4jConfig(t))
	ctx := context.Background()
	hub := graph.Entity{ID: "org:hub", Kind: graph.KindOrganization, Name: "Hub Network"}
	if err := s.Upsert(ctx, graph.Batch{Entities: []graph.Entity{hub}}); err != nil {
		t.Fatal(err)
	}
	const workers, each = 4, 10
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			for i := range each {
				id := "person:w" + itoa(w) + "-" + itoa(i)
				b := graph.Batch{
					Entities: []graph.Entity{{ID: id, Kind: graph.KindPerson, Name: "Worker " + itoa(w) + " " + itoa(i)}},
					Links:    []graph.Link{{Type: graph.LinkMemberOf, Source: id, Target: hub.ID}},
				}
				if err := s.Upsert(ctx, b); err != nil {
					errs <- err
					return
				}
				if _, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: hub.ID, Depth: 1}); err != nil {
					errs <- err
					return
				}
				if _, err := s.Search(ctx, graph.SearchQuery{Text: "worker " + itoa(w)}); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	deg, err := s.Degrees(ctx, []string{hub.ID}, graph.When{})
	if err != nil || deg[hub.ID] != workers*each {
		t.Errorf("hub degree %v, %v; want %d", deg, err, workers*each)
	}
	res, err := s.Search(ctx, graph.SearchQuery{Text: "worker", First: graph.MaxFirst})
	if err != nil || res.TotalCount != workers*each {
		t.Errorf("search for every worker: %d, %v; want %d", res.TotalCount, err, workers*each)
	}
}

// TestDateMigration: links written before the native date properties
// existed get them when a store opens the database, so time filters see
// their dates.
func TestDateMigration(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	s := open(t, cfg)
	ctx := context.Background()
	ents := []graph.Entity{
		{ID: "person:a", Kind: graph.KindPerson, Name: "A"},
		{ID: "org:x", Kind: graph.KindOrganization, Name: "X"},
		{ID: "org:y", Kind: graph.KindOrganization, Name: "Y"},
	}
	links := []graph.Link{
		{ID: "l1", Type: graph.LinkMemberOf, Source: "person:a", Target: "org:x", StartDate: "2019-03", EndDate: "2020"},
		{ID: "l2", Type: graph.LinkMemberOf, Source: "person:a", Target: "org:y", StartDate: "2021-05-01"},
	}
	if err := s.Upsert(ctx, graph.Batch{Entities: ents, Links: links}); err != nil {
		t.Fatal(err)
	}
	// What an earlier version left: the dates as text only, no marker.
	raw := rawCypher(t, cfg)
	raw("MATCH ()-[r]->() REMOVE r.startLo, r.startHi, r.endLo, r.endHi", nil)
	raw("MATCH (m:SkeinMigration) DELETE m", nil)
	asOf := graph.NeighborhoodQuery{ID: "person:a", Depth: 1, When: graph.When{AsOf: "2022"}}
	sg, err := s.Neighborhood(ctx, asOf)
	if err != nil || len(sg.Links) != 2 {
		t.Fatalf("before migration, undated-looking links all count: %v %v", linkIDsOf(sg.Links), err)
	}
	s3, err := neo4j.Open(ctx, cfg) // migrates
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	sg, err = s3.Neighborhood(ctx, asOf)
	if err != nil || strings.Join(linkIDsOf(sg.Links), ",") != "l2" {
		t.Errorf("after migration, as of 2022: links %v (%v), want l2", linkIDsOf(sg.Links), err)
	}
	recs := raw("MATCH ()-[r {id: 'l1'}]->() RETURN toString(r.startLo) AS a, toString(r.startHi) AS b, toString(r.endLo) AS c, toString(r.endHi) AS d", nil)
	got := []string{}
	for _, k := range []string{"a", "b", "c", "d"} {
		v, _ := recs[0].Get(k)
		got = append(got, v.(string))
	}
	if want := "2019-03-01 2019-03-31 2020-01-01 2020-12-31"; strings.Join(got, " ") != want {
		t.Errorf("migrated dates of l1: %v, want %s", got, want)
	}
	if n := len(raw("MATCH (m:SkeinMigration {id: 'link-dates-1'}) RETURN m", nil)); n != 1 {
		t.Errorf("%d migration markers, want 1", n)
	}
}

func linkIDsOf(ls []graph.Link) []string {
	out := []string{}
	for _, l := range ls {
		out = append(out, l.ID)
	}
	return out
}

// TestTextMigration: entities written before the indexed text had its
// current form (no idText, no transliterated tokens in searchText, no
// textVersion) are found by identifier and by their Latin spelling once a
// store has opened the database again; opening it once more changes
// nothing.
func TestTextMigration(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	s := open(t, cfg)
	ctx := context.Background()
	raw := rawCypher(t, cfg)
	// What an earlier version wrote: searchText of the folded tokens only,
	// and no idText.
	raw("CREATE (:Entity {id: 'company:old', kind: 'COMPANY', name: 'Old Registry Ltd', searchText: 'old registry ltd', "+
		"properties: $props}), (:Entity {id: 'person:old', kind: 'PERSON', name: 'Нусрет Сеферовић', searchText: $cyr})",
		map[string]any{"props": `{"registrationNumber":"HR-0042 17"}`, "cyr": graph.Fold("нусрет сеферовић")})
	// Written by this version, for comparison.
	if err := s.Upsert(ctx, graph.Batch{Entities: []graph.Entity{{ID: "company:new", Kind: graph.KindCompany, Name: "New Registry Ltd",
		Properties: map[string]string{"registrationNumber": "HR 77"}}}}); err != nil {
		t.Fatal(err)
	}
	byID := graph.CandidateQuery{Identifiers: []string{graph.NormalIdentifier("hr 004217")}}
	byLatin := graph.CandidateQuery{Tokens: []string{"nusret", "seferovic"}}
	find := func(st *neo4j.Store) [][]string {
		t.Helper()
		got, err := st.Candidates(ctx, []graph.CandidateQuery{byID, byLatin})
		if err != nil {
			t.Fatal(err)
		}
		out := make([][]string, len(got))
		for i, es := range got {
			for _, e := range es {
				out[i] = append(out[i], e.ID)
			}
		}
		return out
	}
	if got := find(s); len(got[0]) != 0 || len(got[1]) != 0 {
		t.Fatalf("before the migration the old entities are found: %v (the test needs them not to be)", got)
	}
	state := func() string {
		t.Helper()
		var b strings.Builder
		for _, r := range raw("MATCH (e:Entity) RETURN e.id AS id, e.searchText AS s, e.idText AS i, e.textVersion AS v ORDER BY e.id", nil) {
			b.WriteString(strings.TrimSpace(fmtRecord(r, "id", "s", "i", "v")) + "\n")
		}
		return b.String()
	}
	before := state()
	s2, err := neo4j.Open(ctx, cfg) // migrates
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := find(s2); strings.Join(got[0], ",") != "company:old" || strings.Join(got[1], ",") != "person:old" {
		t.Errorf("after the migration: by identifier %v, want company:old; by Latin name %v, want person:old", got[0], got[1])
	}
	res, err := graph.Match(ctx, s2, []graph.MatchQuery{{Names: []string{"Nusret Seferovic"}}}, graph.MatchOptions{})
	if err != nil || len(res[0].Candidates) == 0 || res[0].Candidates[0].Entity.ID != "person:old" || !res[0].Candidates[0].Match {
		t.Errorf("match of the Latin spelling after the migration: %+v, %v", res, err)
	}
	// Search reads each candidate's searchKey, which the old entities get
	// from the migration too.
	if sr, err := s2.Search(ctx, graph.SearchQuery{Text: "old registry"}); err != nil || len(sr.Hits) != 1 || sr.Hits[0].Entity.ID != "company:old" || sr.Hits[0].Entity.Name != "Old Registry Ltd" {
		t.Errorf("search after the migration: %+v, %v; want company:old, whole", sr, err)
	}
	after := state()
	if after == before {
		t.Errorf("the migration changed nothing:\n%s", after)
	}
	if n := len(raw("MATCH (e:Entity) WHERE e.textVersion IS NULL RETURN e", nil)); n != 0 {
		t.Errorf("%d entities left without textVersion", n)
	}
	s3, err := neo4j.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	if again := state(); again != after {
		t.Errorf("opening a migrated database again changed it:\n%s\nwas\n%s", again, after)
	}
}

func fmtRecord(r *neo4jdrv.Record, keys ...string) string {
	var parts []string
	for _, k := range keys {
		v, _ := r.Get(k)
		parts = append(parts, fmt.Sprint(v))
	}
	return strings.Join(parts, " | ")
}
