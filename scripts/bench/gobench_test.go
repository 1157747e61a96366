package main

import "testing"

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
BenchmarkHubAnswer/graphql-2         	      30	  73133037 ns/op	  30626133 cpu-ns/op	 6217276 B/op	   84973 allocs/op
BenchmarkHubAnswer/store-2           	     174	   7727819 ns/op	   2591776 cpu-ns/op	  560960 B/op	    2483 allocs/op
BenchmarkHubAnswer/graphql-2         	      30	  70000000 ns/op	  20000000 cpu-ns/op	 6217276 B/op	   84970 allocs/op
PASS
`
	got := parseGoBench(out)
	if len(got["BenchmarkHubAnswer/graphql"]) != 2 || len(got["BenchmarkHubAnswer/store"]) != 1 {
		t.Fatalf("parsed %+v", got)
	}
	g := got["BenchmarkHubAnswer/graphql"][1]
	if g.NsPerOp != 70000000 || g.CPUNsPerOp != 20000000 || g.BytesPerOp != 6217276 || g.AllocsPerOp != 84970 {
		t.Errorf("second graphql line parsed as %+v", g)
	}
	h := hubBench{GraphQL: goBench{CPUNsPerOp: 10}, Store: goBench{CPUNsPerOp: 4}, JSON: goBench{CPUNsPerOp: 2}}
	if r := h.executionRatio(); r != 3 {
		t.Errorf("execution ratio (10-4)/2 = %v, want 3", r)
	}
}
