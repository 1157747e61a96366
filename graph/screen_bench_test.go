package graph_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/graph/synth"
	"github.com/skein-project/skein/graph/testenv/cputime"
)

// BenchmarkScreening measures what make bench's screening rows measure,
// on the synthetic network of skein gen (SKEIN_BENCH_ENTITIES, default
// 100,000): match of 1,000 person names (a quarter each as generated,
// with a letter changed, reversed, without the first part; limit 5) and
// the whole-graph xref (first 50), on the embedded store and, with
// NEO4J_URI set, on Neo4j, where a database already holding the network
// (same entity count) is reused rather than loaded again:
//
//	go test -run '^$' -bench Screening -benchtime 1x ./graph
func BenchmarkScreening(b *testing.B) {
	n := 100_000
	if v := os.Getenv("SKEIN_BENCH_ENTITIES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	load := func(b *testing.B, s graph.Store) {
		err := synth.Generate(ctx, synth.Config{Entities: n, Seed: 1}, func(batch graph.Batch) error { return s.Upsert(ctx, batch) })
		if err != nil {
			b.Fatal(err)
		}
	}
	stores := []struct {
		name string
		open func(b *testing.B) graph.Store
	}{
		{"embedded", func(b *testing.B) graph.Store {
			s := teststores.Embedded(b)
			load(b, s)
			return s
		}},
		{"neo4j", func(b *testing.B) graph.Store {
			if os.Getenv("NEO4J_URI") == "" {
				b.Skip("NEO4J_URI is not set")
			}
			s, err := neo4j.Open(ctx, teststores.Neo4jConfig(b))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = s.Close() })
			if st, err := s.Stats(ctx); err != nil || st.Entities != n {
				if err := s.DeleteAll(ctx); err != nil {
					b.Fatal(err)
				}
				load(b, s)
			}
			return s
		}},
	}
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			s := st.open(b)
			recs, ok := s.(graph.Records)
			if !ok {
				b.Fatal("the store keeps no records")
			}
			qs := screeningQueries(b, s)
			b.Run("match1000", func(b *testing.B) {
				cpu0 := cputime.Process()
				defer func() { b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/op") }()
				for b.Loop() {
					res, err := graph.Match(ctx, s, qs, graph.MatchOptions{Limit: 5})
					if err != nil {
						b.Fatal(err)
					}
					matched := 0
					for _, r := range res {
						if len(r.Candidates) > 0 && r.Candidates[0].Match {
							matched++
						}
					}
					b.ReportMetric(float64(matched), "matched")
				}
			})
			b.Run("xref", func(b *testing.B) {
				cpu0 := cputime.Process()
				defer func() { b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/op") }()
				for b.Loop() {
					page, err := graph.Xref(ctx, s, recs, graph.XrefQuery{First: 50})
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(page.Total), "pairs")
				}
			})
		})
	}
}

// screeningQueries is make bench's match workload: 1,000 person names
// spread over the graph, varied as a screening list spells them.
func screeningQueries(b *testing.B, s graph.Store) []graph.MatchQuery {
	g, err := s.Snapshot(context.Background(), graph.SnapshotQuery{LinkTypes: []graph.LinkType{graph.LinkHolds}})
	if err != nil {
		b.Fatal(err)
	}
	var persons []string
	for _, e := range g.Nodes {
		if e.Kind == graph.KindPerson {
			persons = append(persons, e.Name)
		}
	}
	var qs []graph.MatchQuery
	for k, i := 0, 0; i < len(persons) && len(qs) < 1000; i, k = i+max(1, len(persons)/1000), k+1 {
		name := persons[i]
		toks := strings.Fields(name)
		switch k % 4 {
		case 1:
			bs := []byte(name)
			bs[len(bs)/2] = 'x'
			name = string(bs)
		case 2:
			slices.Reverse(toks)
			name = strings.Join(toks, " ")
		case 3:
			if len(toks) > 2 {
				name = strings.Join(toks[1:], " ")
			}
		}
		qs = append(qs, graph.MatchQuery{Key: strconv.Itoa(k), Names: []string{name}})
	}
	return qs
}
