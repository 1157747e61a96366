package embedded

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/synth"
)

// BenchmarkSearchTopK compares, in one run, the complete ranking search did
// (searchComplete: every candidate scored, all sorted) with the bounded one
// (Search), on a graph/synth graph of 200k entities (SKEIN_BENCH_SEARCH_N
// sets another size) written and reopened, over the terms scripts/bench's
// workload searches: an exact full name, a first name, its first three
// letters and the first name with its middle letter replaced, each from 64
// persons' names. The
// bench's GraphQL request does not read totalCount (SkipTotal); "total"
// reads it. Both run in every iteration, alternately first; ns/op is the
// pair, complete-ns/op and topk-ns/op each, speedup their ratio.
//
//	go test -run '^$' -bench SearchTopK -count 3 ./graph/embedded
func BenchmarkSearchTopK(b *testing.B) {
	n := 200_000
	if v, err := strconv.Atoi(os.Getenv("SKEIN_BENCH_SEARCH_N")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	dir := b.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	var persons []string
	err = synth.Generate(ctx, synth.Config{Entities: n, Seed: 1}, func(bt graph.Batch) error {
		for _, e := range bt.Entities {
			if e.Kind == graph.KindPerson {
				persons = append(persons, e.Name)
			}
		}
		if len(bt.Entities) == 0 {
			return nil
		}
		return s.Upsert(ctx, graph.Batch{Entities: bt.Entities})
	})
	if err != nil {
		b.Fatal(err)
	}
	// Searched as `skein gen` then `skein serve` leave it: reopened, so
	// its entities are loaded in id order.
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	if s, err = Open(ctx, dir); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	terms := map[string][]string{}
	for range 64 {
		name := persons[rng.IntN(len(persons))]
		first, _, _ := strings.Cut(name, " ")
		typo := []byte(strings.ToLower(first))
		typo[len(typo)/2] = 'x'
		terms["full"] = append(terms["full"], name)
		terms["first"] = append(terms["first"], first)
		terms["prefix3"] = append(terms["prefix3"], first[:min(3, len(first))])
		terms["typo"] = append(terms["typo"], string(typo))
	}
	for _, class := range []string{"full", "first", "prefix3", "typo"} {
		for _, total := range []bool{false, true} {
			name := class
			if total {
				name += "/total"
			}
			// Each iteration runs both, in turn first, so that the load
			// of a shared machine falls on both alike.
			b.Run(name, func(b *testing.B) {
				var spent [2]time.Duration
				i := 0
				for b.Loop() {
					ts := terms[class]
					q := graph.SearchQuery{Text: ts[i%len(ts)], First: 20, SkipTotal: !total}
					for k := range 2 {
						w := (i + k) % 2
						search := s.searchComplete
						if w == 1 {
							search = s.Search
						}
						t0 := time.Now()
						if _, err := search(ctx, q); err != nil {
							b.Fatal(err)
						}
						spent[w] += time.Since(t0)
					}
					i++
				}
				b.ReportMetric(float64(spent[0].Nanoseconds())/float64(i), "complete-ns/op")
				b.ReportMetric(float64(spent[1].Nanoseconds())/float64(i), "topk-ns/op")
				b.ReportMetric(float64(spent[0])/float64(spent[1]), "speedup")
			})
		}
	}
}
