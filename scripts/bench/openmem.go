package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// openResult is the embedded server's start-up: the time from starting
// `skein serve` to its first ready answer (the store loaded), and its
// resident memory then and after one whole-graph degree centrality.
type openResult struct {
	Elapsed                  time.Duration
	RSSOpen, RSSAfterCentral int64
	CentralityElapsed        time.Duration
	CentralityErr            string
}

// wholeGraphDegree is degree centrality over every entity: no ids.
const wholeGraphDegree = `{ centrality(metric: DEGREE, top: 10) { score entity { id } } }`

// measureOpen reads the memory of a freshly started server and runs the
// whole-graph centrality once.
func measureOpen(ctx context.Context, s *server, elapsed time.Duration, timeout time.Duration) openResult {
	res := openResult{Elapsed: elapsed, RSSOpen: currentRSS(s.cmd.Process.Pid)}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	if err := newGQLClient(s.url).do(cctx, wholeGraphDegree, nil, nil); err != nil {
		res.CentralityErr = err.Error()
	}
	res.CentralityElapsed = time.Since(start)
	res.RSSAfterCentral = currentRSS(s.cmd.Process.Pid)
	return res
}

// currentRSS reads the resident memory of a process (VmRSS).
func currentRSS(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// openCheck is the memory target of issue 17, set at 1M entities and 4.8M
// links; other sizes are reported against it per record.
func (r *report) openCheck() check {
	const target = 1_500_000_000
	c := check{Target: "Embedded store RSS right after opening at most 1.5 GB at 1M entities / 4.8M links (about 260 bytes per entity+link; " +
		"issue #17 counted the links of `skein gen --entities 1000000` before the generator emitted each once: the same graph holds 4.3M distinct links)"}
	o := r.Open
	if o == nil || o.RSSOpen <= 0 {
		c.Measured = "not measured"
		return c
	}
	records := int64(r.Entities + r.Links)
	perRecord := o.RSSOpen / max(records, 1)
	c.Measured = fmt.Sprintf("%s after opening in %s (%d bytes per record, %d records); %s after one whole-graph degree centrality (%s)",
		formatBytes(o.RSSOpen), fmtDur(o.Elapsed), perRecord, records, formatBytes(o.RSSAfterCentral), fmtDur(o.CentralityElapsed))
	if o.CentralityErr != "" {
		c.Measured += "; the centrality failed: " + clip(o.CentralityErr, 120)
	}
	if r.Entities >= 1_000_000 {
		c.Known = true
		c.Met = o.RSSOpen <= target
	} else {
		// A small store's RSS is mostly the process's own.
		c.Unjudged = "not judged: the target is set at 1M entities (`BENCH_MODE=full scripts/bench.sh`)"
	}
	c.Why = "the embedded store keeps each entity as its encoded record with its id, kind and name tokens, and each " +
		"link as a 40-byte slot (type code, endpoint slots, span) plus the encoded rest of its record (ids that " +
		"graph.LinkID gives are rebuilt, not kept), beside the token index and an adjacency of 8 bytes per link; after " +
		"loading it returns the freed heap and the file's mapped pages to the system. Centrality reads a topology " +
		"snapshot (ids and link ends, nothing decoded), but that is still one graph.Entity and one graph.Link struct " +
		"per record, and the other analyses decode the whole snapshot."
	return c
}
