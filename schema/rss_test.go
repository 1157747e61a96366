package schema

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// maxViewerRequest is the largest request the invariant covers.
const maxViewerRequest = 64 << 10

// adversarialRequests is a corpus of requests of at most 64 KiB built to
// make the server work or allocate: repeated fields, deep nesting, aliases,
// fragments spreading, introspection, huge variables, fan-out over a hub.
func adversarialRequests() map[string]httpRequest {
	fill := func(prefix, unit, suffix string) string {
		n := (maxViewerRequest - 200 - len(prefix) - len(suffix)) / len(unit)
		return prefix + strings.Repeat(unit, n) + suffix
	}
	out := map[string]httpRequest{
		"repeated field":                       {Query: fill("{ stats { ", "entities ", "} }")},
		"repeated field, 32 KB":                {Query: repeatedFields(5400)},
		"repeated object":                      {Query: fill("query($q: String!) { ", "search(query: $q) { totalCount } ", "}"), Variables: map[string]any{"q": "krasniqi"}},
		"deep nesting":                         {Query: strings.Repeat("{ stats ", 7000) + strings.Repeat("}", 7000)},
		"deep lists":                           {Query: fill("", "[", "")},
		"nested links at root":                 {Query: fmt.Sprintf(`{ entity(id: %q) { links { source { links { source { links { id source { id name } target { id name } } } } } } } }`, hubID)},
		"nested links through a link":          {Query: fmt.Sprintf(`{ link(id: "member_of:%s->person:test-spoke-000") { source { links { source { links { source { links { id description sources { quote } } } } } } } } }`, hubID)},
		"nested links through a neighbourhood": {Query: fmt.Sprintf(`{ neighborhood(id: %q, limit: 5000, depth: 6) { nodes { links(first: 1000) { source { links(first: 1000) { id } } } } } }`, hubID)},
		"aliased introspection":                {Query: aliasedIntrospection(30)},
		"admitted introspection":               {Query: aliasedIntrospection(14)},
		"aliased neighbourhoods": {Query: func() string {
			var b strings.Builder
			b.WriteString("{")
			for i := range 30 {
				fmt.Fprintf(&b, " n%d: neighborhood(id: %q, depth: 6, limit: 5000) { nodes { id name description sources { quote } } links { id source { id name } target { id name } } }", i, hubID)
			}
			b.WriteString(" }")
			return b.String()
		}()},
		"fragment bomb": {Query: func() string {
			var b strings.Builder
			b.WriteString(`{ entity(id: "` + hubID + `") { ...F30 } } fragment F0 on Entity { name links { id } }`)
			for i := 1; i <= 30; i++ {
				fmt.Fprintf(&b, " fragment F%d on Entity { ...F%d ...F%d }", i, i-1, i-1)
			}
			return b.String()
		}()},
		"fragments spread side by side": {Query: func() string {
			var b strings.Builder
			b.WriteString("{ stats { ")
			for i := range 900 {
				fmt.Fprintf(&b, "...F%d ", i)
			}
			b.WriteString("} }")
			for i := range 900 {
				fmt.Fprintf(&b, " fragment F%d on GraphStats { entities links }", i)
			}
			return b.String()
		}()},
		"many operations": {Query: fill("", "query Q { stats { entities } } ", "query Z { stats { links } }"), OperationName: "Z"},
		"long string":     {Query: `query($q: String!) { search(query: $q) { totalCount } }`, Variables: map[string]any{"q": strings.Repeat("krasniqi ", 7000)}},
		"many ids": {Query: `query($ids: [ID!]!) { entities(ids: $ids) { links { source { links { id } } } } }`, Variables: map[string]any{"ids": func() []any {
			var ids []any
			for i := range 2700 {
				ids = append(ids, fmt.Sprintf("person:test-spoke-%03d", i%hubLinks))
			}
			return ids
		}()}},
		"hub ids": {Query: `query($ids: [ID!]!) { entities(ids: $ids) { links { id description source { name description sources { quote } } target { name } } } }`, Variables: map[string]any{"ids": func() []any {
			var ids []any
			for range 1000 {
				ids = append(ids, hubID)
			}
			return ids
		}()}},
		"unused variables":     {Query: `{ stats { entities } }`, Variables: map[string]any{"x": strings.Repeat("y", maxViewerRequest-200)}},
		"whole-graph analysis": {Query: `{ centrality(metric: BETWEENNESS, top: 1000) { entity { links { source { links { id } } } } } }`},
	}
	return out
}

// TestRequestBoundsRSS checks the invariant: any request of at most 64 KiB
// finishes within the request timeout (its answer is not TIMEOUT) and
// raises the process's peak RSS by at most 256 MiB.
func TestRequestBoundsRSS(t *testing.T) {
	if _, err := os.Stat("/proc/self/clear_refs"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("peak RSS cannot be measured here: %v", err)
		}
		t.Skipf("peak RSS cannot be measured here: %v", err)
	}
	srv := hubServer(t, Options{})
	const maxGrowth = 256 << 20
	for name, req := range adversarialRequests() {
		t.Run(name, func(t *testing.T) {
			body, err := json.Marshal(req)
			if err != nil {
				t.Fatal(err)
			}
			if len(body) > maxViewerRequest {
				t.Fatalf("request of %d bytes, more than 64 KiB", len(body))
			}
			base := resetPeakRSS(t)
			res := srv.postOp(req.Query, req.OperationName, req.Variables)
			peak := peakRSS(t)
			for _, c := range res.codes() {
				if c == CodeTimeout || c == CodeInternal {
					t.Errorf("answered %s: %+v", c, res.Errors)
				}
			}
			if growth := peak - base; growth > maxGrowth {
				t.Errorf("peak RSS grew by %d MiB, more than 256", growth>>20)
			} else {
				t.Logf("peak RSS +%d MiB, codes %v", growth>>20, res.codes())
			}
		})
	}
}

// resetPeakRSS frees what it can, resets the kernel's peak RSS of the
// process (VmHWM) to its current RSS and returns it.
func resetPeakRSS(t *testing.T) int64 {
	runtime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Fatalf("reset peak RSS: %v", err)
	}
	return procStatus(t, "VmRSS")
}

func peakRSS(t *testing.T) int64 { return procStatus(t, "VmHWM") }

// procStatus reads a size of /proc/self/status, in bytes.
func procStatus(t *testing.T, key string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != key {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return kb << 10
	}
	t.Fatalf("no %s in /proc/self/status", key)
	return 0
}
