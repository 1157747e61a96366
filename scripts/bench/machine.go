package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// machineInfo is what BENCHMARKS.md says about where it was measured.
type machineInfo struct {
	CPU, Cores, Memory, Kernel     string
	Go, Java, Node, Neo4j, PeerLib string
	Driver, Apollo, Commit         string
	// Neo4jMemory is the server's JVM heap and page cache as it runs
	// (scripts/neo4j.sh sizes them; full mode asks for more).
	Neo4jMemory string
}

func probeMachine(ctx context.Context, cfg config) machineInfo {
	mi := machineInfo{
		CPU:    cpuModel(),
		Cores:  strings.TrimSpace(cmdOut(ctx, "nproc")),
		Memory: memTotal(),
		Kernel: strings.TrimSpace(cmdOut(ctx, "uname", "-sr")),
		Go:     runtime.Version(),
		Node:   strings.TrimSpace(cmdOut(ctx, "node", "--version")),
	}
	if java := cmdOut(ctx, "java", "-version"); java != "" {
		mi.Java, _, _ = strings.Cut(java, "\n")
	}
	mi.PeerLib = npmVersion(cfg.peerDir, "@neo4j/graphql")
	mi.Apollo = npmVersion(cfg.peerDir, "@apollo/server")
	mi.Driver = "neo4j-go-driver " + goModVersion(ctx, "github.com/neo4j/neo4j-go-driver/v5")
	if cfg.skip["neo4j"] {
		return mi
	}
	drv, err := neo4jdrv.NewDriverWithContext(cfg.neo4j.URI, neo4jdrv.BasicAuth(cfg.neo4j.Username, cfg.neo4j.Password, ""))
	if err == nil {
		defer drv.Close(context.Background())
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		res, err := neo4jdrv.ExecuteQuery(rctx, drv, "CALL dbms.components() YIELD name, versions, edition RETURN name + ' ' + versions[0] + ' ' + edition AS v",
			nil, neo4jdrv.EagerResultTransformer)
		if err == nil && len(res.Records) > 0 {
			v, _ := res.Records[0].Get("v")
			mi.Neo4j, _ = v.(string)
		}
		pc := "?"
		res, err = neo4jdrv.ExecuteQuery(rctx, drv, "SHOW SETTINGS YIELD name, value WHERE name = 'server.memory.pagecache.size' RETURN value",
			nil, neo4jdrv.EagerResultTransformer)
		if err == nil && len(res.Records) > 0 {
			v, _ := res.Records[0].Get("value")
			pc, _ = v.(string)
		}
		mi.Neo4jMemory = "heap " + jvmHeap(readPID(cfg.neo4jPID)) + ", page cache " + pc
	}
	return mi
}

// jvmHeap is the -Xmx flag of a running JVM ("?" when unknown).
func jvmHeap(pid int) string {
	if pid <= 0 {
		return "?"
	}
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil {
		return "?"
	}
	for _, arg := range strings.Split(string(b), "\x00") {
		if v, ok := strings.CutPrefix(arg, "-Xmx"); ok {
			return v
		}
	}
	return "?"
}

// gitDescribe names the commit of the working tree ("-dirty" when it has
// changes).
func gitDescribe(ctx context.Context) string {
	return cmpOr(strings.TrimSpace(cmdOut(ctx, "git", "describe", "--always", "--dirty")), "unknown")
}

// cmdOut runs a command and returns its combined output ("" on failure).
func cmdOut(ctx context.Context, name string, args ...string) string {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return ""
	}
	return string(out)
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func memTotal() string {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			var kb int64
			for _, r := range strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")) {
				kb = kb*10 + int64(r-'0')
			}
			return formatBytes(kb * 1024)
		}
	}
	return "unknown"
}

func npmVersion(dir, pkg string) string {
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", pkg, "package.json"))
	if err != nil {
		return "unknown"
	}
	var p struct {
		Version string `json:"version"`
	}
	if json.Unmarshal(b, &p) != nil {
		return "unknown"
	}
	return pkg + " " + p.Version
}

func goModVersion(ctx context.Context, mod string) string {
	out := strings.TrimSpace(cmdOut(ctx, "go", "list", "-m", "-f", "{{.Version}}", mod))
	if out == "" {
		return "unknown"
	}
	return out
}

// loadAvg is /proc/loadavg's one-, five- and fifteen-minute load: other
// work on the machine shows there.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
