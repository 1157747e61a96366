package neo4j_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
)

// BenchmarkSearchKeyAB compares, as BenchmarkSearchAB does and on its
// graph and terms (plus "letter": one-letter queries), the search that
// read [id, kind, name, aliases] of each candidate and scored its
// NameTokens (old: SearchRows) with the one that reads its searchKey and
// scores it with graph.Matcher.ScoreKey (new: Search). Besides wall time
// per search it reports this process's CPU per search (the driver's
// decoding and the scoring: the benchmark's client does nothing else) and,
// when SKEIN_BENCH_NEO4J_PID names the server's process, the server's
// CPU per search (from /proc), both less noisy than wall time on a shared
// machine. differ/op is the share of searches whose pages or totals
// differ (it must be 0).
//
//	SKEIN_BENCH_NEO4J_PID=$(cat .neo4j/run/neo4j.pid) go test -p 1 -run '^$' -bench SearchKeyAB -benchtime 3x ./graph/neo4j
func BenchmarkSearchKeyAB(b *testing.B) {
	ctx := context.Background()
	s, terms := searchBench(b)
	for range 4 {
		terms["letter"] = append(terms["letter"], terms["crowded"][len(terms["letter"])][:1])
	}
	pid, _ := strconv.Atoi(os.Getenv("SKEIN_BENCH_NEO4J_PID"))
	self := os.Getpid()
	for _, class := range []string{"full", "first", "prefix3", "typo", "crowded", "letter"} {
		b.Run(class, func(b *testing.B) {
			type cost struct{ wall, cpu, server time.Duration }
			var old, cur cost
			searches, differ, matches := 0, 0, 0
			for i := 0; i < b.N; i++ {
				for k, term := range terms[class] {
					q := graph.SearchQuery{Text: term, First: 20, SkipTotal: true, Select: graph.Selection{Partial: true}}
					run := func(f func(context.Context, graph.SearchQuery) (graph.SearchResult, error), c *cost) graph.SearchResult {
						start, cpu, server := time.Now(), processCPU(self), processCPU(pid)
						res, err := f(ctx, q)
						if err != nil {
							b.Fatal(err)
						}
						c.wall += time.Since(start)
						c.cpu += processCPU(self) - cpu
						c.server += processCPU(pid) - server
						return res
					}
					var a, c graph.SearchResult
					if (i+k)%2 == 0 {
						a = run(s.SearchRows, &old)
						c = run(s.Search, &cur)
					} else {
						c = run(s.Search, &cur)
						a = run(s.SearchRows, &old)
					}
					if !sameIDs(a.Hits, c.Hits) || a.TotalCount != c.TotalCount || a.HasNextPage != c.HasNextPage || a.EndCursor != c.EndCursor {
						differ++
					}
					searches++
					matches += c.TotalCount
				}
			}
			per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(searches) }
			b.ReportMetric(per(old.wall), "old-ms/op")
			b.ReportMetric(per(cur.wall), "new-ms/op")
			b.ReportMetric(per(old.cpu), "old-cpu-ms/op")
			b.ReportMetric(per(cur.cpu), "new-cpu-ms/op")
			if pid > 0 {
				b.ReportMetric(per(old.server), "old-server-ms/op")
				b.ReportMetric(per(cur.server), "new-server-ms/op")
			}
			b.ReportMetric(float64(differ)/float64(searches), "differ/op")
			b.ReportMetric(float64(matches)/float64(searches), "matches/op")
		})
	}
}
