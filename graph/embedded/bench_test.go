package embedded_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/embedded"
	"github.com/skein-project/skein/graph/synth"
	"github.com/skein-project/skein/graph/testenv/cputime"
)

// Benchmarks run on a generated graph: n entities with realistic-looking
// names and about five links each, created deterministically.
//
//	go test -run '^$' -bench . ./graph/embedded
//	go test -run '^$' -bench 'Open/1M' -benchtime 3x ./graph/embedded
//
// The 1M-entity cases run only when -bench names them ("1M") or
// SKEIN_BENCH_LARGE=1; SKEIN_BENCH_DIR keeps generated stores between runs.

var syllables = strings.Fields("ka ri mo be sa lu ve ni do ra ze fi ta ko mi na shi ar el on ur ja qe vi")

func genName(rng *rand.Rand, parts int) string {
	var sb strings.Builder
	for range parts {
		sb.WriteString(syllables[rng.IntN(len(syllables))])
	}
	s := sb.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// genBatches yields the graph in batches of per entities (and 5*per
// links); links point at entities of this or earlier batches, a fifth of
// them at a few thousand hubs.
func genBatches(n, per int, yield func(graph.Batch)) {
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	types := graph.LinkTypes
	id := func(i int) string {
		switch i % 10 {
		case 0:
			return fmt.Sprintf("organization:o%07d", i)
		case 1, 2:
			return fmt.Sprintf("company:c%07d", i)
		}
		return fmt.Sprintf("person:p%07d", i)
	}
	for start := 0; start < n; start += per {
		end := min(n, start+per)
		var b graph.Batch
		for i := start; i < end; i++ {
			e := graph.Entity{ID: id(i), Kind: graph.KindPerson, Name: genName(rng, 2) + " " + genName(rng, 3)}
			switch i % 10 {
			case 0:
				e.Kind, e.Name = graph.KindOrganization, genName(rng, 3)+" Network"
			case 1, 2:
				e.Kind, e.Name = graph.KindCompany, genName(rng, 3)+" Trading Ltd"
			}
			if i%7 == 0 {
				e.Aliases = []string{genName(rng, 2)}
			}
			e.Sources = []graph.SourceRef{{Document: "doc:bench", Quote: e.Name + " was named"}}
			b.Entities = append(b.Entities, e)
		}
		for i := start; i < end; i++ {
			for range 5 {
				t := rng.IntN(end)
				if rng.IntN(5) == 0 {
					t = rng.IntN(min(end, 2000))
				}
				if t == i {
					continue
				}
				b.Links = append(b.Links, graph.Link{Type: types[rng.IntN(len(types))], Source: id(i), Target: id(t)})
			}
		}
		yield(b)
	}
}

func large(b *testing.B, n int) {
	if n < 1_000_000 || os.Getenv("SKEIN_BENCH_LARGE") == "1" {
		return
	}
	if f := flag.Lookup("test.bench"); f != nil && strings.Contains(f.Value.String(), "1M") {
		return
	}
	b.Skip("1M entities: name it in -bench (e.g. -bench Open/1M) or set SKEIN_BENCH_LARGE=1")
}

// benchStore returns the directory of a store holding the generated graph
// of n entities, building it if needed.
func benchStore(b *testing.B, n int) string {
	b.Helper()
	root := os.Getenv("SKEIN_BENCH_DIR")
	if root == "" {
		root = b.TempDir()
	}
	dir := filepath.Join(root, fmt.Sprintf("bench-%d", n))
	if _, err := os.Stat(filepath.Join(dir, embedded.FileName+".done")); err == nil {
		return dir
	}
	_ = os.RemoveAll(dir)
	ctx := context.Background()
	s, err := embedded.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	links := 0
	genBatches(n, 10_000, func(batch graph.Batch) {
		links += len(batch.Links)
		if err := s.Upsert(ctx, batch); err != nil {
			b.Fatal(err)
		}
	})
	b.Logf("built %d entities, %d links in %v", n, links, time.Since(t0).Round(time.Millisecond))
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, embedded.FileName+".done"), nil, 0o600); err != nil {
		b.Fatal(err)
	}
	return dir
}

func BenchmarkOpen(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
	}{{"100k", 100_000}, {"1M", 1_000_000}} {
		b.Run(c.name, func(b *testing.B) {
			large(b, c.n)
			dir := benchStore(b, c.n)
			var s *embedded.Store
			cpu0 := cputime.Process()
			for b.Loop() {
				if s != nil {
					_ = s.Close()
				}
				var err error
				if s, err = embedded.Open(context.Background(), dir); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heapMiB")
			st, _ := s.Stats(context.Background())
			b.ReportMetric(float64(st.Links), "links")
			_ = s.Close()
		})
	}
}

func openBench(b *testing.B, n int) *embedded.Store {
	b.Helper()
	large(b, n)
	s, err := embedded.Open(context.Background(), benchStore(b, n))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

func BenchmarkNeighborhood(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
	}{{"100k", 100_000}, {"1M", 1_000_000}} {
		b.Run(c.name, func(b *testing.B) {
			s := openBench(b, c.n)
			ctx := context.Background()
			rng := rand.New(rand.NewPCG(1, 1))
			nodes := 0
			for b.Loop() {
				// Ordinary (non-hub) entities, as an investigator opens them.
				id := fmt.Sprintf("person:p%07d", 2003+rng.IntN(c.n-2010)/10*10+3)
				sg, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: id, Depth: 2})
				if err != nil {
					b.Fatal(err)
				}
				nodes += len(sg.Nodes)
			}
			b.ReportMetric(float64(nodes)/float64(b.N), "nodes/op")
		})
	}
}

func BenchmarkPaths(b *testing.B) {
	s := openBench(b, 100_000)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(2, 2))
	for b.Loop() {
		from := fmt.Sprintf("person:p%07d", 2003+rng.IntN(9000)*10)
		to := fmt.Sprintf("person:p%07d", 2004+rng.IntN(9000)*10)
		if _, err := s.Paths(ctx, graph.PathQuery{From: from, To: to, MaxHops: 4}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
	}{{"100k", 100_000}, {"1M", 1_000_000}} {
		b.Run(c.name, func(b *testing.B) {
			s := openBench(b, c.n)
			ctx := context.Background()
			// Real names from the store, searched exactly, by prefix and
			// with a typo.
			es, err := s.Entities(ctx, []string{"person:p0000003", "person:p0050004", "company:c0000001", "person:p0099995"})
			if err != nil || len(es) < 3 {
				b.Fatalf("%v %v", es, err)
			}
			var queries []string
			for _, e := range es {
				toks := graph.FoldTokens(e.Name)
				last := toks[len(toks)-1]
				queries = append(queries, e.Name, toks[0][:3], last[:len(last)-1]+"x")
			}
			i := 0
			for b.Loop() {
				if _, err := s.Search(ctx, graph.SearchQuery{Text: queries[i%len(queries)]}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkUpsert(b *testing.B) {
	ctx := context.Background()
	s, err := embedded.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var batches []graph.Batch
	genBatches(200_000, 1000, func(batch graph.Batch) { batches = append(batches, batch) })
	entities, links := 0, 0
	i := 0
	for b.Loop() {
		batch := batches[i%len(batches)]
		if err := s.Upsert(ctx, batch); err != nil {
			b.Fatal(err)
		}
		entities += len(batch.Entities)
		links += len(batch.Links)
		i++
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(entities)/sec, "entities/s")
	b.ReportMetric(float64(links)/sec, "links/s")
}

// BenchmarkSynth runs the neighbourhoods and paths of the bench harness's
// workload (scripts/bench) on a graph/synth graph of 100k entities written,
// closed and reopened, as `skein gen` and `skein serve` leave it: the
// highest-degree entity at depths 1-3 (limit 500), a person of median
// degree at depths 1-3, and paths from that person to one three hops away,
// selecting what issue 17's hub answer selects (names; links' ids, types
// and ends).
func BenchmarkSynth(b *testing.B) {
	sel := graph.Selection{Partial: true, Entity: graph.EntityName}
	const n = 100_000
	ctx := context.Background()
	deg := map[string]int{}
	var persons []string
	var batches []graph.Batch
	err := synth.Generate(ctx, synth.Config{Entities: n, Seed: 1}, func(bt graph.Batch) error {
		for _, l := range bt.Links {
			deg[l.Source]++
			deg[l.Target]++
		}
		for _, e := range bt.Entities {
			if e.Kind == graph.KindPerson {
				persons = append(persons, e.ID)
			}
		}
		batches = append(batches, bt)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	root := os.Getenv("SKEIN_BENCH_DIR")
	if root == "" {
		root = b.TempDir()
	}
	dir := filepath.Join(root, fmt.Sprintf("synth-%d", n))
	if _, err := os.Stat(filepath.Join(dir, embedded.FileName+".done")); err != nil {
		_ = os.RemoveAll(dir)
		s, err := embedded.Open(ctx, dir)
		if err != nil {
			b.Fatal(err)
		}
		for _, bt := range batches {
			if err := s.Upsert(ctx, bt); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, embedded.FileName+".done"), nil, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	batches = nil
	s, err := embedded.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	var hub string
	for id, d := range deg {
		if d > deg[hub] || d == deg[hub] && id < hub {
			hub = id
		}
	}
	degs := make([]int, len(persons))
	for i, p := range persons {
		degs[i] = deg[p]
	}
	slices.Sort(degs)
	var ord string
	for _, p := range persons {
		if deg[p] == degs[len(degs)/2] {
			ord = p
			break
		}
	}
	near, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: ord, Depth: 2, Limit: graph.MaxLimit})
	if err != nil {
		b.Fatal(err)
	}
	far, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: ord, Depth: 3, Limit: graph.MaxLimit})
	if err != nil {
		b.Fatal(err)
	}
	within2 := map[string]bool{}
	for _, e := range near.Nodes {
		within2[e.ID] = true
	}
	var to string
	for _, e := range far.Nodes {
		if !within2[e.ID] {
			to = e.ID
			break
		}
	}
	b.Logf("hub %s (degree %d), ordinary %s (degree %d), path to %s", hub, deg[hub], ord, deg[ord], to)
	for _, c := range []struct {
		name  string
		id    string
		depth int
	}{{"hub/d1", hub, 1}, {"hub/d2", hub, 2}, {"hub/d3", hub, 3}, {"ordinary/d1", ord, 1}, {"ordinary/d2", ord, 2}, {"ordinary/d3", ord, 3}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cputime.Process()
			for b.Loop() {
				if _, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: c.id, Depth: c.depth, Select: sel}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
	b.Run("paths", func(b *testing.B) {
		b.ReportAllocs()
		cpu0 := cputime.Process()
		for b.Loop() {
			if _, err := s.Paths(ctx, graph.PathQuery{From: ord, To: to, MaxHops: 4, Select: sel}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N), "cpu-ns/op")
	})
}
