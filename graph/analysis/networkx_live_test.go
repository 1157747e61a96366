package analysis

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/skein-project/skein/graph/testenv"
)

// TestReferencesAreTodaysNetworkx reruns testdata/gen_reference.py with the
// networkx installed here and checks that the committed references the
// other tests compare against are what it computes (numbers within 1e-9):
// the comparison with networkx is then a live one, not a copy that could
// drift from the library or have been edited by hand.
func TestReferencesAreTodaysNetworkx(t *testing.T) {
	hint := "bash scripts/test-deps.sh installs it (or python3 -m pip install networkx scipy)"
	py := testenv.PythonModule(t, "networkx", hint)
	testenv.PythonModule(t, "scipy", hint)
	dir := t.TempDir()
	out, err := exec.Command(py, filepath.Join("testdata", "gen_reference.py"), "--out", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("gen_reference.py: %v\n%s", err, out)
	}
	for _, name := range referenceGraphs {
		t.Run(name, func(t *testing.T) {
			committed, fresh := readJSON(t, filepath.Join("testdata", name+".json")), readJSON(t, filepath.Join(dir, name+".json"))
			for _, d := range jsonDiff("", committed, fresh, 1e-9) {
				t.Error(d)
			}
		})
	}
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// jsonDiff lists where want and got differ, numbers compared within tol;
// the networkx version that wrote a file is not compared.
func jsonDiff(path string, want, got any, tol float64) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: committed an object, networkx gives %v", path, got)}
		}
		var out []string
		for k, wv := range w {
			if path == "" && k == "networkx" {
				continue
			}
			gv, ok := g[k]
			if !ok {
				out = append(out, fmt.Sprintf("%s.%s: committed, networkx gives nothing", path, k))
				continue
			}
			out = append(out, jsonDiff(path+"."+k, wv, gv, tol)...)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				out = append(out, fmt.Sprintf("%s.%s: networkx gives it, not committed", path, k))
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: committed %v, networkx gives %v", path, want, got)}
		}
		var out []string
		for i := range w {
			out = append(out, jsonDiff(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], tol)...)
		}
		return out
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(w-g) > tol {
			return []string{fmt.Sprintf("%s: committed %v, networkx gives %v", path, want, got)}
		}
		return nil
	default:
		if fmt.Sprint(want) != fmt.Sprint(got) {
			return []string{fmt.Sprintf("%s: committed %v, networkx gives %v", path, want, got)}
		}
		return nil
	}
}
