package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fullReport is a small report with every saved field set, so that a
// field the JSON loses shows up as a difference in the rendered text.
func fullReport() *report {
	res := func(n int, p50 time.Duration) result {
		return result{Concurrency: 1, Requests: n, Errors: 1, FirstError: "HTTP 200: first | error", P50: p50, P99: 3 * p50,
			Max: 4 * p50, Throughput: float64(n) / 5, Elapsed: 5 * time.Second, MaxNodes: 500, Truncated: n - 1,
			FirstByteP50: p50 / 2, FirstByteP99: 2 * p50}
	}
	r := &report{
		Mode: "full", Seed: 7, Entities: 1_000_000, Links: 4_541_794,
		Machine: machineInfo{CPU: "cpu", Cores: "2", Memory: "23.54 GiB", Kernel: "Linux", Go: "go1", Java: "java",
			Node: "v20", Neo4j: "Neo4j 5", PeerLib: "@neo4j/graphql 7", Driver: "drv", Apollo: "@apollo/server 5",
			Commit: "abc1234", Neo4jMemory: "heap 4g, page cache 4g"},
		Workload: &workload{Hubs: []string{"h1", "h2"}, HubDegree: []int{20568, 950}, Ordinary: []string{"o1"}, OrdDegree: 9,
			Paths: [][2]string{{"o1", "p3"}}, Shared: [][2]string{{"o1", "p2"}}, Search: []string{"Anna"},
			Companies: []string{"c1"}, Match: []string{"Anna Berg", "Berg Anna"}, XrefIDs: []string{"p1", "p2"}, AsOf: asOfDate},
		Budget:  budget{Duration: 5 * time.Second, Requests: 5000, Warmup: 20},
		Timeout: 30 * time.Second, BatchTimeout: 10 * time.Minute,
		Imports: []importResult{
			{Store: "embedded", Records: 5_541_794, Elapsed: 74 * time.Second, PeakRSS: 3 << 30, Entities: 1_000_000, Links: 4_541_794},
			{Store: "neo4j", Records: 5_541_794, Elapsed: 280 * time.Second, PeakRSS: 556 << 20, Reused: true,
				Entities: 1_000_000, Links: 4_541_794, Emptied: 20_000},
		},
		Results: map[key]result{},
		Load:    []loadResult{{Backend: beEmbedded, result: res(5497, 453*time.Millisecond)}},
		LoadFor: time.Minute, LoadClients: 64,
		Memory: []memRow{{"skein serve (embedded)", 2 << 30}},
		Hub: &hubBench{Runs: 3, GraphQL: goBench{6e6, 5.7e6, 8e6, 12e3}, Store: goBench{5e6, 4.6e6, 2e6, 4e3},
			JSON: goBench{5e5, 4.4e5, 431, 1}, Err: "", Output: []string{"BenchmarkHubAnswer/graphql-2 1 2 ns/op"}},
		Open: &openResult{Elapsed: 50 * time.Second, RSSOpen: 851 << 20, RSSAfterCentral: 1830 << 20,
			CentralityElapsed: 20 * time.Second, CentralityErr: "deadline"},
		Started: time.Date(2026, 12, 3, 15, 50, 0, 0, time.UTC), Finished: time.Date(2026, 12, 3, 16, 45, 0, 0, time.UTC),
		LoadBefore: "0.10 0.20 0.30", LoadAfter: "1.00 2.00 3.00", Complete: true,
	}
	for i, op := range opOrder {
		for _, be := range backendOrder {
			r.Results[key{op, be, 1}] = res(100+i, time.Duration(i+1)*time.Millisecond)
			r.Results[key{op, be, 32}] = res(1000+i, time.Duration(i+2)*time.Millisecond)
		}
	}
	return r
}

// unset lists the fields of v that hold their zero value (exported fields,
// those the JSON skips aside), elements of slices, maps and pointers too.
func unset(v reflect.Value, path string) []string {
	if v.Type() == reflect.TypeFor[time.Time]() {
		if v.Interface().(time.Time).IsZero() {
			return []string{path}
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return []string{path}
		}
		return unset(v.Elem(), path)
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			f := v.Type().Field(i)
			// An embedded struct's fields are promoted, exported or not.
			if !f.IsExported() && !f.Anonymous || f.Tag.Get("json") == "-" {
				continue
			}
			out = append(out, unset(v.Field(i), path+"."+f.Name)...)
		}
		return out
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			return []string{path}
		}
		var out []string
		if v.Kind() == reflect.Slice {
			for i := range v.Len() {
				out = append(out, unset(v.Index(i), path+"[]")...)
			}
		} else {
			for _, k := range v.MapKeys() {
				out = append(out, unset(v.MapIndex(k), path+"[]")...)
			}
		}
		return out
	}
	if v.IsZero() {
		return []string{path}
	}
	return nil
}

// TestResultsRoundTrip: a report saved and loaded again renders the same
// text, for a report with every field set (a field added to the report
// without a value here fails the test, so it cannot go unsaved unseen).
func TestResultsRoundTrip(t *testing.T) {
	r := fullReport()
	// Imports[1] is reused, so one of each bool is set in one of them;
	// Hub.Err is left empty (it replaces the figures) and checked below.
	var missing []string
	for _, f := range unset(reflect.ValueOf(r), "report") {
		if f != "report.Imports[].Reused" && f != "report.Imports[].Emptied" && f != "report.Hub.Err" {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("the fixture leaves fields unset, so their saving is not tested: %v", missing)
	}
	file := filepath.Join(t.TempDir(), "results.json")
	if err := saveResults(file, r); err != nil {
		t.Fatal(err)
	}
	got, err := loadResults(file)
	if err != nil {
		t.Fatal(err)
	}
	if want, have := r.markdown(), got.markdown(); have != want {
		t.Errorf("rendered from the saved results:\n%s\nwant:\n%s", have, want)
	}
	if !reflect.DeepEqual(got.Results, r.Results) {
		t.Errorf("results differ after saving")
	}
	r.Hub.Err = "go test failed"
	if err := saveResults(file, r); err != nil {
		t.Fatal(err)
	}
	if got, err = loadResults(file); err != nil || got.Hub.Err != r.Hub.Err {
		t.Errorf("Hub.Err after saving: %+v, %v", got.Hub, err)
	}
}

// TestRender: -render writes the harness's part again from saved results
// and keeps the analysis sections that follow the marker.
func TestRender(t *testing.T) {
	dir := t.TempDir()
	results, out := filepath.Join(dir, "results.json"), filepath.Join(dir, "BENCHMARKS.md")
	r := fullReport()
	old := r.markdown()
	if !strings.HasSuffix(old, analysisMarker+"\n") {
		t.Fatalf("the harness's part does not end with the marker:\n%s", old[max(0, len(old)-200):])
	}
	analysis := "\n## Link analysis (go test -bench, graph/analysis)\n\n```\nBenchmarkPageRank10k-2 1 25793733 ns/op\n```\n"
	if err := os.WriteFile(out, []byte(old+analysis), 0o644); err != nil {
		t.Fatal(err)
	}
	// The figures are the saved ones; a changed one must show in the text.
	k := key{opSearch, beNeo4j, 1}
	res := r.Results[k]
	res.P50 = 1234 * time.Millisecond
	r.Results[k] = res
	if err := saveResults(results, r); err != nil {
		t.Fatal(err)
	}
	cfg, err := parseFlags([]string{"-render", results, "-out", out})
	if err != nil {
		t.Fatalf("-render needs no Neo4j: %v", err)
	}
	if err := render(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.HasSuffix(text, analysisMarker+"\n"+analysis) || strings.Count(text, "## Link analysis") != 1 {
		t.Errorf("the analysis sections are not kept once after the marker:\n%s", text[max(0, len(text)-400):])
	}
	if !strings.Contains(text, "| search | Skein Neo4j | 1 | 1.2 s |") {
		t.Errorf("the saved figure is not in the rendered table")
	}
	if strings.Contains(text, "| search | Skein Neo4j | 1 | 1.00 ms |") {
		t.Errorf("the old figure is still there")
	}
	if !strings.Contains(text, "rendered again from that run's saved results") {
		t.Errorf("the report does not say it was rendered again")
	}

	// A report without the marker (not written by this harness) is left alone.
	if err := os.WriteFile(out, []byte("# Benchmarks\n\nhand-written\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := render(context.Background(), cfg); !errors.Is(err, errNoMarker) {
		t.Errorf("render over a report without the marker: %v, want errNoMarker", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "# Benchmarks\n\nhand-written\n" {
		t.Errorf("the report without the marker was overwritten")
	}
}

// TestPartialResults: results saved before the run's end render as a run
// that stopped there.
func TestPartialResults(t *testing.T) {
	r := fullReport()
	r.Complete = false
	if text := r.markdown(); !strings.Contains(text, "The run stopped before its end** (at 16:45 UTC)") {
		t.Errorf("a partial run does not say it stopped:\n%s", text[:600])
	}
	if text := fullReport().markdown(); strings.Contains(text, "stopped before its end") {
		t.Errorf("a complete run says it stopped")
	}
}

// TestReasonsSayWhereTheyCameFrom: a run of another size than the quick
// graph says that the reasons' figures are not its own.
func TestReasonsSayWhereTheyCameFrom(t *testing.T) {
	const note = "the figures they quote are from those, not necessarily from this run of 1,000,000 entities"
	r := fullReport()
	if !strings.Contains(r.markdown(), note) {
		t.Errorf("a 1M run does not say where its reasons come from")
	}
	r.Entities = quickEntities
	if strings.Contains(r.markdown(), "the figures they quote are from those") {
		t.Errorf("a quick run says its reasons come from another graph")
	}
}
