package formats

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/testenv"
)

// networkxScript reads a GraphML and a GEXF file with networkx and prints
// what it found as JSON.
const networkxScript = `
import json, sys
import networkx as nx
out = {}
for name, g in (("graphml", nx.read_graphml(sys.argv[1])), ("gexf", nx.read_gexf(sys.argv[2]))):
    out[name] = {
        "graph": dict(g.graph),
        "directed": g.is_directed(),
        "nodes": {n: d for n, d in g.nodes(data=True)},
        # a multigraph keeps the edge id as the key rather than in the data
        "edges": [[u, v, dict(d, id=d.get("id", k))] for u, v, k, d in g.edges(keys=True, data=True)]
        if g.is_multigraph() else [[u, v, d] for u, v, d in g.edges(data=True)],
    }
print(json.dumps(out))
`

type nxGraph struct {
	Graph    map[string]any            `json:"graph"`
	Directed bool                      `json:"directed"`
	Nodes    map[string]map[string]any `json:"nodes"`
	Edges    [][3]json.RawMessage      `json:"edges"`
}

// networkx returns a python3 with networkx (see testenv.PythonModule).
func networkx(t *testing.T) string {
	t.Helper()
	return testenv.PythonModule(t, "networkx", installPython("networkx"))
}

// installPython is the hint for a Python module the tests need.
func installPython(module string) string {
	return "bash scripts/test-deps.sh installs it (or python3 -m pip install " + module + ")"
}

func TestNetworkxReadsGraphMLAndGEXF(t *testing.T) {
	py := networkx(t)
	for name, b := range map[string]graph.Batch{"seed": seedBatch(t), "crafted": crafted()} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			gml, gexf := filepath.Join(dir, "g.graphml"), filepath.Join(dir, "g.gexf")
			if err := os.WriteFile(gml, encode(t, GraphML, b), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(gexf, encode(t, GEXF, b), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(py, "-c", networkxScript, gml, gexf).Output()
			if err != nil {
				var stderr []byte
				if ee, ok := err.(*exec.ExitError); ok {
					stderr = ee.Stderr
				}
				t.Fatalf("networkx: %v\n%s", err, stderr)
			}
			var got map[string]nxGraph
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("networkx output: %v\n%s", err, out)
			}
			for _, f := range []string{"graphml", "gexf"} {
				t.Run(f, func(t *testing.T) { checkNetworkx(t, f, b, got[f]) })
			}
		})
	}
}

func checkNetworkx(t *testing.T, format string, b graph.Batch, g nxGraph) {
	t.Helper()
	if !g.Directed {
		t.Error("graph is not directed")
	}
	if len(g.Nodes) != len(b.Entities) {
		t.Errorf("%d nodes, want %d", len(g.Nodes), len(b.Entities))
	}
	if len(g.Edges) != len(b.Links) {
		t.Errorf("%d edges, want %d", len(g.Edges), len(b.Links))
	}
	for _, e := range b.Entities {
		n, ok := g.Nodes[e.ID]
		if !ok {
			t.Errorf("node %q missing", e.ID)
			continue
		}
		if n["kind"] != string(e.Kind) || n["label"] != e.Name || n["name"] != e.Name {
			t.Errorf("node %q: kind %v label %v name %v, want %s, %q", e.ID, n["kind"], n["label"], n["name"], e.Kind, e.Name)
		}
		if n["sanctioned"] != e.Sanctioned() {
			t.Errorf("node %q: sanctioned %#v, want boolean %v", e.ID, n["sanctioned"], e.Sanctioned())
		}
		if e.Description != "" && n["description"] != e.Description {
			t.Errorf("node %q: description %q, want %q", e.ID, n["description"], e.Description)
		}
		if len(e.Designations) > 0 {
			var ds []graph.Designation
			s, _ := n["designations"].(string)
			if err := json.Unmarshal([]byte(s), &ds); err != nil || len(ds) != len(e.Designations) || ds[0].Regime != e.Designations[0].Regime {
				t.Errorf("node %q: designations %q do not decode to the entity's (%v)", e.ID, s, err)
			}
		}
	}
	byID := map[string]graph.Link{}
	for _, l := range b.Links {
		byID[l.ID] = l
	}
	seen := map[string]bool{}
	for _, raw := range g.Edges {
		var u, v string
		var d map[string]any
		if json.Unmarshal(raw[0], &u) != nil || json.Unmarshal(raw[1], &v) != nil || json.Unmarshal(raw[2], &d) != nil {
			t.Fatalf("edge %s", raw)
		}
		id := fmt.Sprint(d["id"])
		l, ok := byID[id]
		if !ok {
			t.Errorf("edge %s->%s has id %q, not a link id", u, v, id)
			continue
		}
		seen[id] = true
		if u != l.Source || v != l.Target {
			t.Errorf("edge %s: %s->%s, want %s->%s", id, u, v, l.Source, l.Target)
		}
		if d["type"] != string(l.Type) || (l.Role != "" && d["role"] != l.Role) {
			t.Errorf("edge %s: type %v role %v, want %s %q", id, d["type"], d["role"], l.Type, l.Role)
		}
		if l.Weight != 0 && d["weight"] != l.Weight {
			t.Errorf("edge %s: weight %#v, want %v", id, d["weight"], l.Weight)
		}
		if l.StartDate != "" && d["startDate"] != l.StartDate {
			t.Errorf("edge %s: startDate %v, want %s", id, d["startDate"], l.StartDate)
		}
		if format == "gexf" {
			// The interval networkx reads: from the first day of the start
			// to the last day of the end, open where undated.
			if want := dayBounds(t, l.StartDate, false); fmt.Sprint(d["start"]) != want && !(want == "" && d["start"] == nil) {
				t.Errorf("edge %s: start %v, want %q (startDate %q)", id, d["start"], want, l.StartDate)
			}
			if want := dayBounds(t, l.EndDate, true); fmt.Sprint(d["end"]) != want && !(want == "" && d["end"] == nil) {
				t.Errorf("edge %s: end %v, want %q (endDate %q)", id, d["end"], want, l.EndDate)
			}
		}
		for _, f := range edgeFields {
			if v, ok := l.Properties[f.Property]; ok && fmt.Sprint(d[f.Property]) != v {
				t.Errorf("edge %s: %s %#v, want %s", id, f.Property, d[f.Property], v)
			}
		}
	}
	if format == "gexf" {
		dated := false
		for _, l := range b.Links {
			dated = dated || l.StartDate != "" || l.EndDate != ""
		}
		for _, e := range b.Entities {
			n := g.Nodes[e.ID]
			start := dayBounds(t, cmpOr(e.Properties["birthDate"], e.Properties["incorporationDate"]), false)
			end := dayBounds(t, e.Properties["dissolutionDate"], true)
			dated = dated || start != "" || end != ""
			if fmt.Sprint(n["start"]) != start && !(start == "" && n["start"] == nil) || fmt.Sprint(n["end"]) != end && !(end == "" && n["end"] == nil) {
				t.Errorf("node %s: interval %v..%v, want %q..%q", e.ID, n["start"], n["end"], start, end)
			}
		}
		if mode := map[bool]string{true: "dynamic", false: "static"}[dated]; g.Graph["mode"] != mode {
			t.Errorf("graph mode %v, want %s", g.Graph["mode"], mode)
		}
	}
	if len(seen) != len(b.Links) {
		t.Errorf("%d distinct link ids among the edges, want %d", len(seen), len(b.Links))
	}
}

// dayBounds is the first (or last) day of an ISO date at any precision,
// worked out with the time package: "" for none.
func dayBounds(t *testing.T, s string, last bool) string {
	t.Helper()
	if s == "" {
		return ""
	}
	for _, layout := range []string{time.DateOnly, "2006-01", "2006"} {
		d, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if last {
			switch layout {
			case "2006-01":
				d = d.AddDate(0, 1, -1)
			case "2006":
				d = d.AddDate(1, 0, -1)
			}
		}
		return d.Format(time.DateOnly)
	}
	t.Fatalf("date %q", s)
	return ""
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
