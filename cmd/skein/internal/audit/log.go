package audit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Record is one line of the audit trail: who did what, when, with
// what result.
type Record struct {
	Seq         int64           `json:"seq"`
	Time        time.Time       `json:"time"`
	Actor       string          `json:"actor"`
	Role        string          `json:"role"`
	Kind        string          `json:"kind"` // graphql, export, import
	Operation   string          `json:"operation,omitempty"`
	Query       string          `json:"query,omitempty"`
	Variables   json.RawMessage `json:"variables,omitempty"`
	Target      string          `json:"target,omitempty"` // export scope or import format
	Status      int             `json:"status"`
	Outcome     string          `json:"outcome"` // ok, or the error codes
	ResultBytes int64           `json:"resultBytes"`
	DurationMS  float64         `json:"durationMs"`
}

// Log is an append-only JSON-lines file. Records are written with
// O_APPEND and synced to disk by a background flusher at most every
// syncEvery, and on Close, so it survives restarts without an fsync per
// request.
type Log struct {
	mu    sync.Mutex
	f     *os.File
	seq   int64
	dirty bool
	stop  chan struct{}
	done  chan struct{}
}

const syncEvery = 200 * time.Millisecond

// Open opens (or creates) the log and continues its sequence.
func Open(path string) (*Log, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o640)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	a := &Log{f: f, stop: make(chan struct{}), done: make(chan struct{})}
	err = a.scan(func(r Record) bool { a.seq = r.Seq; return true })
	if err != nil {
		f.Close()
		return nil, err
	}
	go a.flusher()
	return a, nil
}

func (a *Log) flusher() {
	defer close(a.done)
	t := time.NewTicker(syncEvery)
	defer t.Stop()
	for {
		select {
		case <-a.stop:
			return
		case <-t.C:
			a.mu.Lock()
			if a.dirty {
				_ = a.f.Sync()
				a.dirty = false
			}
			a.mu.Unlock()
		}
	}
}

// Append writes a record, numbering it.
func (a *Log) Append(r Record) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	r.Seq = a.seq
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	if _, err := a.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	a.dirty = true
	return nil
}

// scan reads every record from the start of the file.
func (a *Log) scan(fn func(Record) bool) error {
	r := io.NewSectionReader(a.f, 0, 1<<62)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			continue // a torn last line after a crash: skip it
		}
		if !fn(rec) {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return nil
}

// Query filters and pages the log, newest first.
type Query struct {
	First int
	After string // cursor: the seq of the last record of the previous page
	Since time.Time
	Actor string
}

// Page is one page of records, newest first.
type Page struct {
	Records     []Record `json:"records"`
	HasNextPage bool     `json:"hasNextPage"`
	EndCursor   string   `json:"endCursor,omitempty"`
}

// Query returns a page of matching records, newest first.
func (a *Log) Query(ctx context.Context, q Query) (Page, error) {
	if q.First <= 0 || q.First > 1000 {
		q.First = 100
	}
	var before int64 = 1 << 62
	if q.After != "" {
		n, err := strconv.ParseInt(q.After, 10, 64)
		if err != nil {
			return Page{}, fmt.Errorf("audit log: malformed cursor %q", q.After)
		}
		before = n
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var match []Record
	err := a.scan(func(r Record) bool {
		if r.Seq < before && (q.Actor == "" || r.Actor == q.Actor) && !r.Time.Before(q.Since) {
			match = append(match, r)
		}
		return ctx.Err() == nil
	})
	if err != nil {
		return Page{}, err
	}
	if err := ctx.Err(); err != nil {
		return Page{}, err
	}
	var page Page
	for i := len(match) - 1; i >= 0 && len(page.Records) < q.First; i-- {
		page.Records = append(page.Records, match[i])
	}
	page.HasNextPage = len(match) > len(page.Records)
	if n := len(page.Records); n > 0 {
		page.EndCursor = strconv.FormatInt(page.Records[n-1].Seq, 10)
	}
	return page, nil
}

// Close syncs and closes the file.
func (a *Log) Close() error {
	close(a.stop)
	<-a.done
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.f.Sync(); err != nil {
		a.f.Close()
		return err
	}
	return a.f.Close()
}
