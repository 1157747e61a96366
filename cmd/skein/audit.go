package main

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

	"github.com/skein-project/skein/schema"
)

// auditRecord is one line of the audit trail: who did what, when, with
// what result.
type auditRecord struct {
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

// auditLog is an append-only JSON-lines file. Records are written with
// O_APPEND and synced to disk by a background flusher at most every
// syncEvery, and on Close, so it survives restarts without an fsync per
// request.
type auditLog struct {
	mu    sync.Mutex
	f     *os.File
	seq   int64
	dirty bool
	stop  chan struct{}
	done  chan struct{}
}

const syncEvery = 200 * time.Millisecond

// openAuditLog opens (or creates) the log and continues its sequence.
func openAuditLog(path string) (*auditLog, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o640)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	a := &auditLog{f: f, stop: make(chan struct{}), done: make(chan struct{})}
	err = a.scan(func(r auditRecord) bool { a.seq = r.Seq; return true })
	if err != nil {
		f.Close()
		return nil, err
	}
	go a.flusher()
	return a, nil
}

func (a *auditLog) flusher() {
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
func (a *auditLog) Append(r auditRecord) error {
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
func (a *auditLog) scan(fn func(auditRecord) bool) error {
	r := io.NewSectionReader(a.f, 0, 1<<62)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var rec auditRecord
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

// auditQuery filters and pages the log, newest first.
type auditQuery struct {
	First int
	After string // cursor: the seq of the last record of the previous page
	Since time.Time
	Actor string
}

type auditPage struct {
	Records     []auditRecord `json:"records"`
	HasNextPage bool          `json:"hasNextPage"`
	EndCursor   string        `json:"endCursor,omitempty"`
}

// Query returns a page of matching records, newest first.
func (a *auditLog) Query(ctx context.Context, q auditQuery) (auditPage, error) {
	if q.First <= 0 || q.First > 1000 {
		q.First = 100
	}
	var before int64 = 1 << 62
	if q.After != "" {
		n, err := strconv.ParseInt(q.After, 10, 64)
		if err != nil {
			return auditPage{}, fmt.Errorf("audit log: malformed cursor %q", q.After)
		}
		before = n
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var match []auditRecord
	err := a.scan(func(r auditRecord) bool {
		if r.Seq < before && (q.Actor == "" || r.Actor == q.Actor) && !r.Time.Before(q.Since) {
			match = append(match, r)
		}
		return ctx.Err() == nil
	})
	if err != nil {
		return auditPage{}, err
	}
	if err := ctx.Err(); err != nil {
		return auditPage{}, err
	}
	var page auditPage
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
func (a *auditLog) Close() error {
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

// read serves the GraphQL auditLog field.
func (a *auditLog) read(ctx context.Context, q schema.AuditQuery) (schema.AuditPage, error) {
	page, err := a.Query(ctx, auditQuery{First: q.First, After: q.After, Since: q.Since, Actor: q.Actor})
	if err != nil {
		return schema.AuditPage{}, err
	}
	out := schema.AuditPage{HasNextPage: page.HasNextPage, EndCursor: page.EndCursor}
	for _, r := range page.Records {
		out.Entries = append(out.Entries, schema.AuditEntry{
			Seq: r.Seq, Time: r.Time, Actor: r.Actor, Role: r.Role, Kind: r.Kind,
			Operation: r.Operation, Query: r.Query, Variables: string(r.Variables), Target: r.Target,
			Status: r.Status, Outcome: r.Outcome, ResultBytes: r.ResultBytes, DurationMS: r.DurationMS,
		})
	}
	return out, nil
}
