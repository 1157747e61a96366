package neo4j_test

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/benchstores"
	"github.com/skein-project/skein/graph/synth"
)

// BenchmarkSearchAB compares, in one run, the search that ranked the
// full-text index's candidates batch by batch (SearchBatched, as it was)
// with the one that ranks every candidate (Search), on the test Neo4j
// holding a graph/synth graph of 100k entities (SKEIN_BENCH_SEARCH_N sets
// another size; kept between runs, see benchstores). The terms are
// scripts/bench's workload's kinds (an exact full name, a first name, its
// first three letters, the first name with its middle letter replaced),
// each from 32 persons' names, and "crowded": two-letter prefixes, which
// tens of thousands of entities share at 1M. Pages of 20 without
// totalCount, as the bench's GraphQL request asks. Both run in every
// iteration, alternately first; old-ms/op and new-ms/op are each one's
// time per search, matches/op the matches Search ranked (its totalCount)
// and differ/op the share of searches whose pages differ.
//
//	go test -p 1 -run '^$' -bench SearchAB -benchtime 3x ./graph/neo4j
func BenchmarkSearchAB(b *testing.B) {
	ctx := context.Background()
	s, terms := searchBench(b)
	for _, class := range []string{"full", "first", "prefix3", "typo", "crowded"} {
		b.Run(class, func(b *testing.B) {
			var old, cur time.Duration
			searches, differ, matches := 0, 0, 0
			for i := 0; i < b.N; i++ {
				for k, term := range terms[class] {
					q := graph.SearchQuery{Text: term, First: 20, SkipTotal: true}
					run := func(f func(context.Context, graph.SearchQuery) (graph.SearchResult, error), d *time.Duration) graph.SearchResult {
						start := time.Now()
						res, err := f(ctx, q)
						if err != nil {
							b.Fatal(err)
						}
						*d += time.Since(start)
						return res
					}
					var a, c graph.SearchResult
					if (i+k)%2 == 0 {
						a = run(s.SearchBatched, &old)
						c = run(s.Search, &cur)
					} else {
						c = run(s.Search, &cur)
						a = run(s.SearchBatched, &old)
					}
					if !sameIDs(a.Hits, c.Hits) {
						differ++
					}
					searches++
					matches += c.TotalCount
				}
			}
			b.ReportMetric(float64(old.Microseconds())/1000/float64(searches), "old-ms/op")
			b.ReportMetric(float64(cur.Microseconds())/1000/float64(searches), "new-ms/op")
			b.ReportMetric(float64(old)/float64(cur), "speedup")
			b.ReportMetric(float64(differ)/float64(searches), "differ/op")
			b.ReportMetric(float64(matches)/float64(searches), "matches/op")
		})
	}
}

func sameIDs(a, b []graph.SearchHit) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Entity.ID != b[i].Entity.ID {
			return false
		}
	}
	return true
}

// BenchmarkSearchCollectAB compares, as BenchmarkSearchAB does and on its
// graph and terms, the search that collected every candidate in one row
// (old: its first list never cut) with the one that collects at most
// searchCollectedMax and, when that list is full, ranks them all again
// from buckets of about as many (new). One more class, "letter":
// one-letter queries. SKEIN_BENCH_SEARCH_COLLECTED sets new's list size
// instead, so that its buckets show at 100k.
//
//	go test -p 1 -run '^$' -bench SearchCollectAB -benchtime 3x ./graph/neo4j
func BenchmarkSearchCollectAB(b *testing.B) {
	ctx := context.Background()
	s, terms := searchBench(b)
	collected, _ := strconv.Atoi(os.Getenv("SKEIN_BENCH_SEARCH_COLLECTED"))
	neo4j.SetSearchCollected(s, collected)
	for range 4 {
		terms["letter"] = append(terms["letter"], terms["crowded"][len(terms["letter"])][:1])
	}
	all := func(ctx context.Context, q graph.SearchQuery) (graph.SearchResult, error) {
		neo4j.SetSearchCollected(s, 1<<30)
		defer neo4j.SetSearchCollected(s, collected)
		return s.Search(ctx, q)
	}
	for _, class := range []string{"full", "first", "prefix3", "typo", "crowded", "letter"} {
		b.Run(class, func(b *testing.B) {
			var old, cur time.Duration
			searches, differ, matches := 0, 0, 0
			for i := 0; i < b.N; i++ {
				for k, term := range terms[class] {
					q := graph.SearchQuery{Text: term, First: 20, SkipTotal: true}
					run := func(f func(context.Context, graph.SearchQuery) (graph.SearchResult, error), d *time.Duration) graph.SearchResult {
						start := time.Now()
						res, err := f(ctx, q)
						if err != nil {
							b.Fatal(err)
						}
						*d += time.Since(start)
						return res
					}
					var a, c graph.SearchResult
					if (i+k)%2 == 0 {
						a = run(all, &old)
						c = run(s.Search, &cur)
					} else {
						c = run(s.Search, &cur)
						a = run(all, &old)
					}
					if !sameIDs(a.Hits, c.Hits) || a.TotalCount != c.TotalCount {
						differ++
					}
					searches++
					matches += c.TotalCount
				}
			}
			b.ReportMetric(float64(old.Microseconds())/1000/float64(searches), "old-ms/op")
			b.ReportMetric(float64(cur.Microseconds())/1000/float64(searches), "new-ms/op")
			b.ReportMetric(float64(old)/float64(cur), "speedup")
			b.ReportMetric(float64(differ)/float64(searches), "differ/op")
			b.ReportMetric(float64(matches)/float64(searches), "matches/op")
		})
	}
}

// searchBench is the search benchmarks' store (the test Neo4j holding a
// graph/synth graph, SKEIN_BENCH_SEARCH_N entities, 100k by default) and
// terms by class.
func searchBench(b *testing.B) (*neo4j.Store, map[string][]string) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("SKEIN_BENCH_SEARCH_N")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	var persons []string
	if err := synth.Generate(ctx, synth.Config{Entities: n, Seed: 1}, func(bt graph.Batch) error {
		for _, e := range bt.Entities {
			if e.Kind == graph.KindPerson {
				persons = append(persons, e.Name)
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	s, _ := benchstores.Neo4jSynth(b, synth.Config{Entities: n, Seed: 1})
	rng := rand.New(rand.NewPCG(1, 2))
	terms := map[string][]string{}
	for range 32 {
		name := persons[rng.IntN(len(persons))]
		first, _, _ := strings.Cut(name, " ")
		typo := []byte(strings.ToLower(first))
		typo[len(typo)/2] = 'x'
		terms["full"] = append(terms["full"], name)
		terms["first"] = append(terms["first"], first)
		terms["prefix3"] = append(terms["prefix3"], first[:min(3, len(first))])
		terms["typo"] = append(terms["typo"], string(typo))
	}
	for range 8 {
		terms["crowded"] = append(terms["crowded"], strings.ToLower(persons[rng.IntN(len(persons))][:2]))
	}
	return s, terms
}
