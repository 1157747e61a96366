package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// goBench is one sub-benchmark's figures: medians over the runs of
// `go test -bench`.
type goBench struct {
	NsPerOp, CPUNsPerOp, BytesPerOp, AllocsPerOp float64
}

// hubBench is schema's BenchmarkHubAnswer (schema/hub_bench_test.go): the
// GraphQL hub answer served end to end, the store's part of it, and
// encoding/json of the same answer as plain structs.
type hubBench struct {
	Runs                 int
	GraphQL, Store, JSON goBench
	Err                  string
	Output               []string // the benchmark lines, for the report
}

// executionRatio is what GraphQL execution costs over the encoding/json
// floor: the answer's CPU time less the store's, over the floor's.
func (h *hubBench) executionRatio() float64 {
	if h.JSON.CPUNsPerOp <= 0 {
		return 0
	}
	return (h.GraphQL.CPUNsPerOp - h.Store.CPUNsPerOp) / h.JSON.CPUNsPerOp
}

// runHubBench runs BenchmarkHubAnswer runs times in one `go test`.
func runHubBench(ctx context.Context, runs int, logDir string) hubBench {
	h := hubBench{Runs: runs}
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", "^BenchmarkHubAnswer$", "-benchmem",
		"-count", strconv.Itoa(runs), "./schema/")
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	_ = os.WriteFile(filepath.Join(logDir, "hub-bench.txt"), out, 0o644)
	if err != nil {
		h.Err = fmt.Sprintf("go test -bench BenchmarkHubAnswer: %v (see %s)", err, filepath.Join(logDir, "hub-bench.txt"))
		return h
	}
	samples := parseGoBench(string(out))
	for name, dst := range map[string]*goBench{"graphql": &h.GraphQL, "store": &h.Store, "json": &h.JSON} {
		ss := samples["BenchmarkHubAnswer/"+name]
		if len(ss) == 0 {
			h.Err = "no result for BenchmarkHubAnswer/" + name
			return h
		}
		*dst = goBench{
			NsPerOp:     median(ss, func(g goBench) float64 { return g.NsPerOp }),
			CPUNsPerOp:  median(ss, func(g goBench) float64 { return g.CPUNsPerOp }),
			BytesPerOp:  median(ss, func(g goBench) float64 { return g.BytesPerOp }),
			AllocsPerOp: median(ss, func(g goBench) float64 { return g.AllocsPerOp }),
		}
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "BenchmarkHubAnswer") || strings.Contains(line, "hub_bench_test.go") {
			h.Output = append(h.Output, strings.TrimSpace(line))
		}
	}
	return h
}

// parseGoBench reads `go test -bench` output: each result line by
// benchmark name without the -GOMAXPROCS suffix.
func parseGoBench(out string) map[string][]goBench {
	res := map[string][]goBench{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		var g goBench
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				g.NsPerOp = v
			case "cpu-ns/op":
				g.CPUNsPerOp = v
			case "B/op":
				g.BytesPerOp = v
			case "allocs/op":
				g.AllocsPerOp = v
			}
		}
		res[name] = append(res[name], g)
	}
	return res
}

func median(ss []goBench, f func(goBench) float64) float64 {
	xs := make([]float64, len(ss))
	for i, s := range ss {
		xs[i] = f(s)
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// executionCheck is the target of issue 17 on GraphQL execution.
func (r *report) executionCheck() check {
	h := r.Hub
	c := check{Target: "GraphQL execution of the hub answer (depth-1 neighbourhood at limit 500, `nodes { id name kind } links { id type source { id } target { id } }`) at most 3x `encoding/json` of the same data as plain structs (Go benchmark, CPU time)"}
	switch {
	case h == nil:
		c.Measured = "not run (-skip gobench)"
		return c
	case h.Err != "":
		c.Measured = "failed: " + clip(h.Err, 200)
		return c
	}
	c.Known = true
	ratio := h.executionRatio()
	c.Met = ratio <= 3
	c.Measured = fmt.Sprintf("%.1fx: answer %s CPU (%.0f allocs), of which the store %s; encoding/json %s (%.0f alloc)",
		ratio, fmtNs(h.GraphQL.CPUNsPerOp), h.GraphQL.AllocsPerOp, fmtNs(h.Store.CPUNsPerOp), fmtNs(h.JSON.CPUNsPerOp), h.JSON.AllocsPerOp)
	c.Why = "the answer is written by Skein's fast executor (schema/fast_exec.go) straight from the store's subgraph, " +
		"graphql-go still parsing and validating the request and executing every request outside the fast executor's " +
		"subset; `graphql-go` below is the same request executed by graphql-go, which builds a field map, a path " +
		"segment, a pooled buffer and a tracer call for every field of every item. What is left over the floor is " +
		"the request's parse, cost check and validation, and writing the answer."
	return c
}

func fmtNs(ns float64) string { return fmtDur(time.Duration(ns)) }

// hubBenchSection lists the benchmark's lines as go test printed them.
func (r *report) hubBenchSection(p printer) {
	if r.Hub == nil || len(r.Hub.Output) == 0 {
		return
	}
	p("## GraphQL execution (go test -bench BenchmarkHubAnswer, schema)")
	p("")
	p("The hub answer of the targets above on an embedded store holding a 30,000-entity synthetic graph: `graphql` is the "+
		"request served end to end by the schema's HTTP handler (parse, cost check, store, execution, encoding), "+
		"`graphql-go` the same with the fast executor off, `bare` graphql-go alone over plain structs, `store` the "+
		"store's Neighborhood call alone, `json` encoding/json of the same answer as plain structs. cpu-ns/op is the process's "+
		"CPU time per run (garbage collection included), less inflated than ns/op by other work on a shared machine. "+
		"%d runs; the target uses the medians.", r.Hub.Runs)
	p("")
	p("```")
	for _, l := range r.Hub.Output {
		p("%s", l)
	}
	p("```")
	p("")
}
