package formats

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph/testenv"
)

// neo4jLib finds Java and the Neo4j jars scripts/neo4j.sh fetched, or ends
// the test through testenv.Missing.
func neo4jLib(t *testing.T) (java, lib string) {
	t.Helper()
	const hint = "bash scripts/neo4j.sh start installs Java 17 and fetches the Neo4j jars (make test does)"
	java = testenv.Executable(t, "java", hint)
	cache := os.Getenv("SKEIN_CACHE")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache", "skein")
	}
	libs, _ := filepath.Glob(filepath.Join(cache, "neo4j", "*", "lib"))
	for _, l := range libs {
		if jars, _ := filepath.Glob(filepath.Join(l, "neo4j-import-tool-*.jar")); len(jars) > 0 {
			return java, l
		}
	}
	testenv.Missing(t, "the Neo4j jars under "+cache, hint)
	return "", ""
}

// The CSV zip imports with `neo4j-admin database import full` as it is:
// every record and every non-empty cell becomes a node, relationship or
// property, with nothing reported bad.
func TestCSVImportsWithNeo4jAdmin(t *testing.T) {
	java, lib := neo4jLib(t)
	home := t.TempDir()
	data := encode(t, CSV, crafted())
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var nodes, rels, props int
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, f.Name), body, 0o644); err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range records[1:] {
			if f.Name == csvLinks {
				rels++
			} else {
				nodes++
			}
			for i, cell := range rec {
				if h := records[0][i]; cell != "" && !strings.HasPrefix(h, ":") {
					props++
				}
			}
		}
	}
	if err := os.Mkdir(filepath.Join(home, "conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(java, "-cp", filepath.Join(lib, "*"), "org.neo4j.cli.AdminTool",
		"database", "import", "full",
		"--nodes="+filepath.Join(home, csvDocuments), "--nodes="+filepath.Join(home, csvNodes),
		"--relationships="+filepath.Join(home, csvLinks),
		"--multiline-fields=true", "--report-file="+filepath.Join(home, "import.report"), "neo4j")
	cmd.Env = append(os.Environ(), "NEO4J_HOME="+home, "NEO4J_CONF="+filepath.Join(home, "conf"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("neo4j-admin import: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?s)Imported:\s+(\d+) nodes\s+(\d+) relationships\s+(\d+) properties`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no import summary in:\n%s", out)
	}
	got := [3]int{}
	for i := range got {
		got[i], _ = strconv.Atoi(string(m[i+1]))
	}
	if want := [3]int{nodes, rels, props}; got != want {
		t.Fatalf("neo4j-admin imported %v nodes/relationships/properties, want %v\n%s", got, want, out)
	}
	if report, _ := os.ReadFile(filepath.Join(home, "import.report")); len(bytes.TrimSpace(report)) > 0 {
		t.Fatalf("neo4j-admin reported bad entries:\n%s", report)
	}
}
