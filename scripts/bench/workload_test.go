package main

import (
	"context"
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
)

func TestWorkloadIsDeterministicAndHonest(t *testing.T) {
	ctx := context.Background()
	m, err := buildModel(ctx, 5000, 7)
	if err != nil {
		t.Fatal(err)
	}
	w, err := m.workload(5, 8)
	if err != nil {
		t.Fatal(err)
	}
	// Hubs are the highest-degree entities, in decreasing degree.
	maxDeg := 0
	for i := range m.ids {
		maxDeg = max(maxDeg, m.degree(int32(i)))
	}
	if w.HubDegree[0] != maxDeg {
		t.Errorf("first hub has degree %d, graph maximum is %d", w.HubDegree[0], maxDeg)
	}
	for i := 1; i < len(w.HubDegree); i++ {
		if w.HubDegree[i] > w.HubDegree[i-1] {
			t.Errorf("hub degrees not decreasing: %v", w.HubDegree)
		}
	}
	for _, id := range w.Ordinary {
		if d := m.degree(m.index[id]); d != w.OrdDegree {
			t.Errorf("ordinary %s has degree %d, want the median %d", id, d, w.OrdDegree)
		}
	}
	// Path pairs are exactly three hops apart, shared pairs two.
	for _, p := range w.Paths {
		if d := m.bfs(m.index[p[0]], 4)[m.index[p[1]]]; d != 3 {
			t.Errorf("path pair %v is %d hops apart", p, d)
		}
	}
	for _, p := range w.Shared {
		if d := m.bfs(m.index[p[0]], 4)[m.index[p[1]]]; d != 2 {
			t.Errorf("shared pair %v is %d hops apart", p, d)
		}
	}
	// Same seed, same inputs; another seed, other inputs.
	m2, err := buildModel(ctx, 5000, 7)
	if err != nil {
		t.Fatal(err)
	}
	w2, _ := m2.workload(5, 8)
	if !reflect.DeepEqual(w, w2) {
		t.Error("same seed gave different workloads")
	}
	m3, err := buildModel(ctx, 5000, 8)
	if err != nil {
		t.Fatal(err)
	}
	w3, _ := m3.workload(5, 8)
	if reflect.DeepEqual(w.Paths, w3.Paths) {
		t.Error("another seed gave the same path pairs")
	}
	if len(w.XrefIDs) != 0 {
		t.Errorf("a graph a whole-graph xref takes got %d xref ids", len(w.XrefIDs))
	}
}

// TestXrefIDsAboveTheWholeGraphBound: a graph larger than a whole-graph
// xref may be gets xref ids, those of every tenth of the persons whose
// names are match's queries (every fourth query is the name as generated).
func TestXrefIDsAboveTheWholeGraphBound(t *testing.T) {
	m, err := buildModel(context.Background(), 5000, 7)
	if err != nil {
		t.Fatal(err)
	}
	m.maxXref = len(m.ids) - 1
	w, err := m.workload(5, 8)
	if err != nil {
		t.Fatal(err)
	}
	if want := (len(w.Match) + xrefEvery - 1) / xrefEvery; len(w.XrefIDs) != want || len(w.XrefIDs) < 10 {
		t.Fatalf("%d xref ids for %d match queries, want %d", len(w.XrefIDs), len(w.Match), want)
	}
	seen := map[string]bool{}
	for i, id := range w.XrefIDs {
		j, ok := m.index[id]
		if !ok || m.kinds[j] != graph.KindPerson || seen[id] {
			t.Fatalf("xref id %q: in the graph %v, kind %v, repeated %v", id, ok, m.kinds[j], seen[id])
		}
		seen[id] = true
		if q := i * xrefEvery; q%4 == 0 && m.names[j] != w.Match[q] {
			t.Errorf("xref id %s is named %q, match query %d is %q", id, m.names[j], q, w.Match[q])
		}
	}
}
