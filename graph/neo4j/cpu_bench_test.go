package neo4j_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph/testenv/cputime"
)

// cpuMeter adds up the CPU time the Neo4j server and this process spend
// in the timed parts of a benchmark. On a shared machine the wall clock of
// an import says little (other work takes the cores), the CPU each side
// spends per record does: it is what an A/B of two versions compares.
type cpuMeter struct {
	pid            int // the server's, 0 when it is not known
	server, client time.Duration
	s0, c0         time.Duration
}

// newCPUMeter finds the server started by scripts/neo4j.sh through its pid
// file under $SKEIN_NEO4J_HOME; without it only the client is metered.
func newCPUMeter() *cpuMeter {
	m := &cpuMeter{}
	if home := os.Getenv("SKEIN_NEO4J_HOME"); home != "" {
		if b, err := os.ReadFile(filepath.Join(home, "run", "neo4j.pid")); err == nil {
			m.pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
	}
	return m
}

// start and stop bracket a timed part.
func (m *cpuMeter) start() { m.s0, m.c0 = processCPU(m.pid), cputime.Process() }

func (m *cpuMeter) stop() {
	m.server += processCPU(m.pid) - m.s0
	m.client += cputime.Process() - m.c0
}

// report gives CPU milliseconds per 1,000 records on each side.
func (m *cpuMeter) report(b *testing.B, records int) {
	if records == 0 {
		return
	}
	k := float64(records) / 1000
	if m.pid != 0 {
		b.ReportMetric(float64(m.server.Milliseconds())/k, "server-cpu-ms/1k")
	}
	b.ReportMetric(float64(m.client.Milliseconds())/k, "client-cpu-ms/1k")
}

// processCPU is the user and system time of a process from
// /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s, the value
// of USER_HZ on Linux), or 0 when it cannot be read.
func processCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; fields are counted from
	// the parenthesis that closes it.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+k) * 10 * time.Millisecond
}
