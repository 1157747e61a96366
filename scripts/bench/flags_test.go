package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSkipNeo4jNeedsNoURI: with -skip neo4j the harness needs no Neo4j (it
// leaves out raw Cypher and the peer, which query the Neo4j Skein fills),
// with -reuse too; measuring Neo4j without NEO4J_URI is refused.
func TestSkipNeo4jNeedsNoURI(t *testing.T) {
	t.Setenv("NEO4J_URI", "")
	for _, args := range [][]string{{"-skip", "neo4j"}, {"-reuse", "-skip", "neo4j,load"}, {"-skip", " gobench , neo4j"}} {
		cfg, err := parseFlags(args)
		if err != nil {
			t.Errorf("%q: %v", args, err)
			continue
		}
		for _, part := range []string{"neo4j", "cypher", "peer"} {
			if !cfg.skip[part] {
				t.Errorf("%q: %s not skipped", args, part)
			}
		}
		if cfg.skip["embedded"] {
			t.Errorf("%q: embedded skipped", args)
		}
	}
	for _, args := range [][]string{{"-reuse"}, {"-skip", "peer,cypher"}} {
		if _, err := parseFlags(args); err == nil || !strings.Contains(err.Error(), "NEO4J_URI") {
			t.Errorf("%q without NEO4J_URI: %v", args, err)
		}
	}
	t.Setenv("NEO4J_URI", "bolt://127.0.0.1:1")
	cfg, err := parseFlags([]string{"-reuse", "-skip", "peer"})
	if err != nil || cfg.neo4j.URI != "bolt://127.0.0.1:1" || cfg.skip["cypher"] || cfg.skip["neo4j"] {
		t.Errorf("-skip peer with NEO4J_URI: %+v, %v", cfg.skip, err)
	}
}

// TestSkipNames: -skip ops is taken (the mixed load alone), and a name that
// is no backend or part is refused instead of being ignored.
func TestSkipNames(t *testing.T) {
	t.Setenv("NEO4J_URI", "bolt://127.0.0.1:1")
	cfg, err := parseFlags([]string{"-skip", "embedded,cypher,peer,gobench,ops"})
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{"embedded", "cypher", "peer", "gobench", "ops"} {
		if !cfg.skip[part] {
			t.Errorf("%s not skipped", part)
		}
	}
	if cfg.skip["neo4j"] || cfg.skip["load"] {
		t.Errorf("skipped %v: neo4j and the load should run", cfg.skip)
	}
	for _, bad := range []string{"op", "embeded", "neo4j,loads"} {
		if _, err := parseFlags([]string{"-skip", bad}); err == nil || !strings.Contains(err.Error(), "not a backend or part") {
			t.Errorf("-skip %s: %v, want refused", bad, err)
		}
	}
}

// TestWorkloadFromSavedResults: -workload takes the inputs and the graph's
// size from results saved by an earlier run of the same graph, without
// generating it, and refuses results of another graph.
func TestWorkloadFromSavedResults(t *testing.T) {
	file := filepath.Join(t.TempDir(), "results.json")
	w := &workload{Hubs: []string{"syn:gang:1"}, HubDegree: []int{900}, Ordinary: []string{"syn:person:2"}, OrdDegree: 9,
		Search: []string{"Elm"}}
	if err := saveResults(file, &report{Entities: 777, Links: 3000, Seed: 3, Workload: w, Results: map[key]result{}}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	rep := &report{}
	got, err := chooseWorkload(context.Background(), config{entities: 777, seed: 3, workload: file}, rep, log)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, w) || rep.Entities != 777 || rep.Links != 3000 || !reflect.DeepEqual(rep.Workload, w) {
		t.Errorf("workload %+v, report %d entities %d links %+v; want the saved ones", got, rep.Entities, rep.Links, rep.Workload)
	}
	for _, cfg := range []config{{entities: 778, seed: 3, workload: file}, {entities: 777, seed: 4, workload: file}} {
		if _, err := chooseWorkload(context.Background(), cfg, &report{}, log); err == nil {
			t.Errorf("%d entities, seed %d: took the inputs of 777 entities, seed 3", cfg.entities, cfg.seed)
		}
	}
}
