package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph/testenv"
)

func openT(t *testing.T, path string, opts Options) *Log {
	t.Helper()
	l, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func appendT(t *testing.T, l *Log, r Record) {
	t.Helper()
	if err := l.Append(r); err != nil {
		t.Fatal(err)
	}
}

func TestAuditTrailSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	log1 := openT(t, path, Options{})
	for range 3 {
		appendT(t, log1, Record{Actor: "a", Kind: "graphql", Outcome: "ok"})
	}
	if err := log1.Close(); err != nil {
		t.Fatal(err)
	}
	log2 := openT(t, path, Options{})
	defer log2.Close()
	appendT(t, log2, Record{Actor: "b", Kind: "export", Outcome: "ok"})
	page, err := log2.Query(t.Context(), Query{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 4 || page.Records[0].Seq != 4 || page.Records[0].Actor != "b" || page.Records[3].Seq != 1 {
		t.Fatalf("after restart: %+v", page.Records)
	}
}

// A crash mid-write leaves a torn last line: start-up reports and skips
// it, and the next record starts a line of its own.
func TestTornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	l := openT(t, path, Options{})
	appendT(t, l, Record{Actor: "a", Outcome: "ok"})
	appendT(t, l, Record{Actor: "a", Outcome: "ok"})
	l.Close()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"seq":3,"time":"2026-`)
	f.Close()

	l = openT(t, path, Options{})
	defer l.Close()
	if l.Skipped() != 1 {
		t.Fatalf("skipped %d lines, want the torn one", l.Skipped())
	}
	appendT(t, l, Record{Actor: "b", Outcome: "ok"})
	page, err := l.Query(t.Context(), Query{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 3 || page.Records[0].Actor != "b" || page.Records[0].Seq != 3 || page.Skipped != 1 {
		t.Fatalf("after the torn line: %+v", page)
	}
}

// The poisoned log of issue 12: an 88 MB line (here 3 MiB) and a line of
// garbage must not stop start-up nor reads.
func TestOversizedAndDamagedLinesAreSkipped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	l := openT(t, path, Options{})
	appendT(t, l, Record{Actor: "before", Outcome: "ok"})
	l.Close()
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"seq":2,"query":"` + strings.Repeat("<", 3<<20) + "\"}\n")
	f.WriteString("not json at all\n")
	f.Close()

	l = openT(t, path, Options{})
	defer l.Close()
	if l.Skipped() != 2 {
		t.Fatalf("skipped %d, want 2", l.Skipped())
	}
	appendT(t, l, Record{Actor: "after", Outcome: "ok"})
	page, err := l.Query(t.Context(), Query{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 2 || page.Records[0].Actor != "after" || page.Records[1].Actor != "before" {
		t.Fatalf("records %+v", page.Records)
	}
}

// Query text and variables are kept up to a bound, with their full length
// and SHA-256.
func TestRecordsAreBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	l := openT(t, path, Options{})
	defer l.Close()
	query := strings.Repeat("<", 7<<20)
	vars := []byte(`{"unused":"` + strings.Repeat("x", 3<<20) + `"}`)
	appendT(t, l, Record{Actor: "v", Kind: "graphql", Query: query, Variables: vars, Operation: strings.Repeat("o", 10000), Outcome: "error:TOO_COMPLEX"})
	appendT(t, l, Record{Actor: "v", Kind: "graphql", Query: "{ stats { entities } }", Variables: []byte(`{"a":1}`), Outcome: "ok"})
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > 4*MaxTextBytes {
		t.Fatalf("log is %d bytes after two records", info.Size())
	}
	page, err := l.Query(t.Context(), Query{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	small, big := page.Records[0], page.Records[1]
	sum := sha256.Sum256([]byte(query))
	vsum := sha256.Sum256(vars)
	if big.QueryBytes != len(query) || big.QuerySHA256 != hex.EncodeToString(sum[:]) || !big.QueryTruncated ||
		len(big.Query) != MaxTextBytes || !strings.HasPrefix(query, big.Query) {
		t.Errorf("big query kept as %d bytes of %d, sha %s", len(big.Query), big.QueryBytes, big.QuerySHA256)
	}
	var prefix string
	if err := json.Unmarshal(big.Variables, &prefix); err != nil || !bytes.HasPrefix(vars, []byte(prefix)) ||
		big.VariablesBytes != len(vars) || big.VariablesSHA256 != hex.EncodeToString(vsum[:]) || !big.VariablesTruncated {
		t.Errorf("big variables: %v %d %q", err, big.VariablesBytes, big.VariablesSHA256)
	}
	if small.Query != "{ stats { entities } }" || string(small.Variables) != `{"a":1}` || small.QueryTruncated || small.VariablesTruncated {
		t.Errorf("small record %+v", small)
	}
}

// The log rotates by size and every file stays readable, in order, across
// a restart.
func TestRotationKeepsHistory(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.log")
	l := openT(t, path, Options{MaxFileBytes: 2000})
	for i := range 40 {
		appendT(t, l, Record{Actor: "a" + strconv.Itoa(i), Outcome: "ok"})
	}
	l.Close()
	files, _ := filepath.Glob(path + "*")
	if len(files) < 3 {
		t.Fatalf("want several files after rotation, got %v", files)
	}
	for _, f := range files {
		if info, _ := os.Stat(f); info.Size() > 2000 {
			t.Errorf("%s is %d bytes, over the rotation size", f, info.Size())
		}
	}
	l = openT(t, path, Options{MaxFileBytes: 2000})
	defer l.Close()
	appendT(t, l, Record{Actor: "a40", Outcome: "ok"})
	page, err := l.Query(t.Context(), Query{First: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 41 {
		t.Fatalf("%d records across rotated files, want 41", len(page.Records))
	}
	for i, r := range page.Records {
		if want := int64(41 - i); r.Seq != want || r.Actor != "a"+strconv.Itoa(40-i) {
			t.Fatalf("record %d: seq %d actor %s", i, r.Seq, r.Actor)
		}
	}
}

// The cursor pages back through the log; since keeps only newer records.
func TestCursorAndSince(t *testing.T) {
	l := openT(t, filepath.Join(t.TempDir(), "audit.log"), Options{MaxFileBytes: 1500})
	defer l.Close()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10 {
		appendT(t, l, Record{Time: base.Add(time.Duration(i) * time.Hour), Actor: "a", Outcome: "ok"})
	}
	var seqs []int64
	q := Query{First: 3}
	for {
		page, err := l.Query(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Records {
			seqs = append(seqs, r.Seq)
		}
		if !page.HasNextPage {
			break
		}
		q.After = page.EndCursor
	}
	if len(seqs) != 10 || seqs[0] != 10 || seqs[9] != 1 {
		t.Fatalf("paged seqs %v", seqs)
	}
	page, err := l.Query(t.Context(), Query{First: 100, Since: base.Add(7 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 3 || page.Records[2].Seq != 8 {
		t.Fatalf("since: %+v", page.Records)
	}
	if _, err := l.Query(t.Context(), Query{After: "x"}); !errors.Is(err, ErrBadQuery) {
		t.Fatalf("malformed cursor: %v", err)
	}
}

// A full disk (/dev/full answers every write with ENOSPC) fails the
// append with ErrUnavailable, and the log says so until a write succeeds.
func TestFullDiskFailsAppend(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		testenv.Missing(t, "/dev/full (a device whose every write fails with ENOSPC)", "run the tests on Linux")
	}
	l := openT(t, "/dev/full", Options{})
	defer l.Close()
	err := l.Append(Record{Actor: "a", Outcome: "ok"})
	if !errors.Is(err, ErrUnavailable) || l.Healthy() == nil {
		t.Fatalf("append to a full disk: %v", err)
	}
}
