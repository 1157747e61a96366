package main

import (
	"context"
	"reflect"
	"testing"
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
}
