package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// importResult is one timed `skein gen`.
type importResult struct {
	Store    string
	Records  int // entities + links
	Elapsed  time.Duration
	PeakRSS  int64 // bytes, of the importing process
	Reused   bool
	Entities int
	Links    int
	Emptied  int // entities DeleteAll removed right before the import (Neo4j), 0 for an empty store
}

func (r importResult) rate() float64 { return float64(r.Records) / r.Elapsed.Seconds() }

// runGen times `skein gen` into a store; env carries the Neo4j settings.
func runGen(ctx context.Context, skein, store, data string, n int, seed uint64, env []string, logDir string) (importResult, error) {
	cmd := exec.CommandContext(ctx, skein, "gen", "--store", store, "--data", data,
		"--entities", strconv.Itoa(n), "--seed", strconv.FormatUint(seed, 10))
	cmd.Env = append(os.Environ(), env...)
	logf, err := os.Create(filepath.Join(logDir, "gen-"+store+".log"))
	if err != nil {
		return importResult{}, err
	}
	defer logf.Close()
	var out strings.Builder
	cmd.Stdout = &out
	cmd.Stderr = logf
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return importResult{}, fmt.Errorf("skein gen --store %s: %w (see %s)", store, err, logf.Name())
	}
	res := importResult{Store: store, Elapsed: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.PeakRSS = ru.Maxrss * 1024
	}
	// "generated N entities and M links in ..."
	if _, err := fmt.Sscanf(out.String(), "generated %d entities and %d links", &res.Entities, &res.Links); err != nil {
		return res, fmt.Errorf("skein gen output %q: %w", out.String(), err)
	}
	res.Records = res.Entities + res.Links
	return res, nil
}

// server is a child process serving HTTP.
type server struct {
	name string
	cmd  *exec.Cmd
	url  string
	done chan error
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startServer starts cmd and waits until ready answers true.
func startServer(ctx context.Context, name string, cmd *exec.Cmd, logDir string, ready func(context.Context) bool) (*server, error) {
	logf, err := os.Create(filepath.Join(logDir, name+".log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait(); logf.Close() }()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("%s exited during start-up: %v (see %s)", name, err, logf.Name())
		case <-time.After(250 * time.Millisecond):
		}
		if ready(ctx) {
			return s, nil
		}
	}
	s.stop()
	return nil, fmt.Errorf("%s not ready after 3 minutes (see %s)", name, logf.Name())
}

func (s *server) stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// peakRSS reads the high-water mark of resident memory of a process.
func peakRSS(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func httpOK(ctx context.Context, url string) bool {
	rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// startSkein serves a store with `skein serve`, open on loopback, with
// timeout as its per-request timeout.
func startSkein(ctx context.Context, skein, store, data string, env []string, timeout time.Duration, logDir string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(skein, "serve", "--addr", addr, "--store", store, "--data", data, "--no-seed",
		"--timeout", timeout.String())
	cmd.Env = append(os.Environ(), env...)
	base := "http://" + addr
	s, err := startServer(ctx, "skein-"+store, cmd, logDir, func(ctx context.Context) bool { return httpOK(ctx, base+"/readyz") })
	if err != nil {
		return nil, err
	}
	s.url = base + "/graphql"
	return s, nil
}

// startPeer serves the @neo4j/graphql peer (scripts/bench/peer).
func startPeer(ctx context.Context, dir string, env []string, logDir string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", "server.js")
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), env...), "PORT="+strconv.Itoa(port), "NODE_ENV=production")
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	c := newGQLClient(url)
	s, err := startServer(ctx, "peer", cmd, logDir, func(ctx context.Context) bool {
		rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		return c.do(rctx, "{ __typename }", nil, nil) == nil
	})
	if err != nil {
		return nil, err
	}
	s.url = url
	return s, nil
}
