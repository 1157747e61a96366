// Command analysis-bench times Skein's link analysis (graph/analysis) on a
// graph read from an edge list, for scripts/analysis_compare.py, which runs
// networkx and igraph on the same file. It prints one JSON object: the
// seconds each measure took (or the error it returned).
//
//	go run ./scripts/analysis-bench -edges graph.edges -measures betweenness,closeness
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
)

func main() {
	edges := flag.String("edges", "", "edge list: one \"u v\" line per link, node ids as written")
	measures := flag.String("measures", "degree,betweenness,closeness,harmonic,pagerank,eigenvector,core_number,constraint,effective_size,global_efficiency,key_players_3,brokerage_kind,communities", "comma list of measures")
	flag.Parse()
	if err := run(context.Background(), *edges, strings.Split(*measures, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "analysis-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, path string, measures []string) error {
	g, err := load(path)
	if err != nil {
		return err
	}
	out := map[string]any{}
	for _, m := range measures {
		start := time.Now()
		err := measure(ctx, g, m)
		if err != nil {
			out[m] = "error: " + err.Error()
			continue
		}
		out[m] = time.Since(start).Seconds()
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

func measure(ctx context.Context, g graph.Subgraph, m string) error {
	switch m {
	case "global_efficiency":
		_, err := analysis.Disrupt(ctx, g, nil, graph.When{})
		return err
	case "key_players_3":
		_, err := analysis.KeyPlayers(ctx, g, 3, nil)
		return err
	case "brokerage_kind":
		_, err := analysis.Brokerage(ctx, g, analysis.ByKind, 1)
		return err
	case "communities":
		_, _, err := analysis.Communities(ctx, g, 1)
		return err
	}
	metric, err := analysis.ParseMetric(m)
	if err != nil {
		return err
	}
	_, err = analysis.Centrality(ctx, g, metric)
	return err
}

func load(path string) (graph.Subgraph, error) {
	f, err := os.Open(path)
	if err != nil {
		return graph.Subgraph{}, err
	}
	defer f.Close()
	var g graph.Subgraph
	seen := map[string]bool{}
	node := func(id string) {
		if !seen[id] {
			seen[id] = true
			g.Nodes = append(g.Nodes, graph.Entity{ID: id, Kind: graph.KindPerson, Name: id})
		}
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.Fields(sc.Text())
		switch len(parts) {
		case 1:
			node(parts[0])
		case 2:
			node(parts[0])
			node(parts[1])
			g.Links = append(g.Links, graph.Link{
				ID: fmt.Sprintf("l%08d", len(g.Links)), Type: graph.LinkAssociateOf,
				Source: parts[0], Target: parts[1],
			})
		}
	}
	return g, sc.Err()
}
