package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph/testenv"
	"github.com/skein-project/skein/seed"
)

// privateNeo4j starts a Neo4j of its own (own home and port) through the
// project's script, so the test can stop and restart it without disturbing
// the shared test server. It returns the script's environment and a
// function that runs the script with a command.
func privateNeo4j(t *testing.T) (env []string, script func(cmd string) string) {
	t.Helper()
	testenv.Executable(t, "java", "apt-get install openjdk-17-jre-headless (bash scripts/neo4j.sh start does)")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	env = append(os.Environ(), "SKEIN_NEO4J_HOME="+t.TempDir(), "SKEIN_NEO4J_PORT="+strconv.Itoa(port))
	script = func(cmd string) string {
		c := exec.Command("bash", "../../scripts/neo4j.sh", cmd)
		c.Env = env
		out, err := c.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("neo4j.sh %s: %v\n%s", cmd, err, stderr)
		}
		return string(out)
	}
	t.Cleanup(func() {
		c := exec.Command("bash", "../../scripts/neo4j.sh", "stop")
		c.Env = env
		_ = c.Run()
	})
	return env, script
}

// exports parses the `export NAME=value` lines neo4j.sh prints.
func exports(out string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		name, value, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(line), "export "), "=")
		if ok {
			m[name] = strings.Trim(value, `'"`)
		}
	}
	return m
}

// TestNeo4jGoesAwayAndComesBack stops the real Neo4j under a running
// server: readiness fails, queries answer UNAVAILABLE instead of hanging,
// and the service recovers by itself once Neo4j is back.
func TestNeo4jGoesAwayAndComesBack(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and restarts a Neo4j server")
	}
	_, script := privateNeo4j(t)
	vars := exports(script("start"))
	cfg := serveConfig{Addr: "127.0.0.1:0", Timeout: 60 * time.Second, NoSeed: true}
	cfg.Store = storeConfig{Kind: "neo4j", Data: t.TempDir()}
	cfg.Store.Neo4j.URI = vars["NEO4J_URI"]
	cfg.Store.Neo4j.Username = vars["NEO4J_USERNAME"]
	cfg.Store.Neo4j.Password = vars["NEO4J_PASSWORD"]
	app, err := openApp(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.Load(context.Background(), app.store); err != nil {
		t.Fatal(err)
	}
	if err := app.Listen(cfg.Addr); err != nil {
		t.Fatal(err)
	}
	go app.Serve()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = app.Shutdown(ctx)
		app.Close()
	})
	query := `{ search(query: "seferovic") { nodes { name } } }`
	if r, out := gql(t, app, "", query); r.status != http.StatusOK || errorCode(out) != "" {
		t.Fatalf("query with Neo4j up: %d %s", r.status, r.body)
	}

	script("stop")
	if r := do(t, http.MethodGet, app.URL()+"/readyz", "", "", nil); r.status != http.StatusServiceUnavailable {
		t.Fatalf("readyz with Neo4j down: %d %s", r.status, r.body)
	}
	// The request timeout is 60s: an UNAVAILABLE answer (not TIMEOUT)
	// means the store gave up on its own rather than hanging.
	if r, out := gql(t, app, "", query); errorCode(out) != "UNAVAILABLE" {
		t.Fatalf("query with Neo4j down: %d %s", r.status, r.body)
	}

	script("start")
	ready := false
	for range 120 {
		if r := do(t, http.MethodGet, app.URL()+"/readyz", "", "", nil); r.status == http.StatusOK {
			ready = true
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if !ready {
		t.Fatal("the service did not become ready again after Neo4j came back")
	}
	if r, out := gql(t, app, "", query); errorCode(out) != "" || !strings.Contains(string(r.body), "Nusret Seferović") {
		t.Fatalf("query after recovery: %d %s", r.status, r.body)
	}
}
