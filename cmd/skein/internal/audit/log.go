package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Record is one line of the audit trail: who did what, when, with what
// result. Query, Variables, Target and Operation are bounded by Append:
// their first bytes are kept, with the full length and SHA-256 beside them.
type Record struct {
	Seq       int64     `json:"seq"`
	Time      time.Time `json:"time"`
	Actor     string    `json:"actor"`
	Role      string    `json:"role"`
	Kind      string    `json:"kind"` // graphql, export, import, audit, signin, signout, http
	Remote    string    `json:"remote,omitempty"`
	Operation string    `json:"operation,omitempty"`
	Query     string    `json:"query,omitempty"`
	// QueryBytes and QuerySHA256 describe the whole query text, of which
	// Query may hold only the start (QueryTruncated).
	QueryBytes     int    `json:"queryBytes,omitempty"`
	QuerySHA256    string `json:"querySha256,omitempty"`
	QueryTruncated bool   `json:"queryTruncated,omitempty"`
	// Variables is the JSON of the variables, or, when they are longer
	// than the bound, a JSON string holding their start.
	Variables          json.RawMessage `json:"variables,omitempty"`
	VariablesBytes     int             `json:"variablesBytes,omitempty"`
	VariablesSHA256    string          `json:"variablesSha256,omitempty"`
	VariablesTruncated bool            `json:"variablesTruncated,omitempty"`
	Target             string          `json:"target,omitempty"` // export scope, import format, route
	Status             int             `json:"status"`
	Outcome            string          `json:"outcome"` // ok, or error: and the codes
	ResultBytes        int64           `json:"resultBytes"`
	DurationMS         float64         `json:"durationMs"`
}

// Bounds of a record's free text.
const (
	MaxTextBytes  = 4 << 10  // query text, variables
	maxShortBytes = 512      // operation name, target, actor
	maxLineBytes  = 64 << 10 // a line longer than this is damaged: skipped
	// DefaultMaxFileBytes is the size at which the log rotates.
	DefaultMaxFileBytes = 32 << 20
)

// ErrUnavailable is returned (wrapped) when a record cannot be written:
// the server must then refuse the request.
var ErrUnavailable = errors.New("audit log unavailable")

// Options configure a Log.
type Options struct {
	// MaxFileBytes is the size past which the current file is closed and
	// renamed FILE.N (N counting up from 1); every file stays readable.
	MaxFileBytes int64
	Logger       *slog.Logger
	// syncFile is the flusher's fsync ((*os.File).Sync); tests slow it.
	syncFile func(*os.File) error
}

// Log is an append-only JSON-lines file, rotated by size. Records are
// written with O_APPEND and synced by a background flusher at most every
// syncEvery, and on Close. Reads open their own descriptors and never hold
// the lock while they scan, so a long read does not delay appends.
type Log struct {
	path string
	opts Options
	log  *slog.Logger

	mu      sync.Mutex
	f       *os.File
	size    int64
	seq     int64
	rotated int // highest N of FILE.N
	dirty   bool
	failed  error         // the last append's failure, until one succeeds
	buf     bytes.Buffer  // the line being appended
	enc     *json.Encoder // into buf
	skipped int           // damaged or oversized lines found at start-up

	stop chan struct{}
	done chan struct{}
}

const syncEvery = 200 * time.Millisecond

// Open opens (or creates) the log and continues its sequence. Damaged or
// oversized lines never stop it: they are counted, reported and skipped.
func Open(path string, opts Options) (*Log, error) {
	if opts.MaxFileBytes <= 0 {
		opts.MaxFileBytes = DefaultMaxFileBytes
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.syncFile == nil {
		opts.syncFile = (*os.File).Sync
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	a := &Log{path: path, opts: opts, log: opts.Logger, stop: make(chan struct{}), done: make(chan struct{})}
	a.rotated = len(a.rotatedFiles())
	if err := a.openCurrent(); err != nil {
		return nil, err
	}
	// The sequence continues from the newest file that holds a record.
	files := append(a.rotatedFiles(), a.path)
	for i := len(files) - 1; i >= 0 && a.seq == 0; i-- {
		st, err := scanFile(context.Background(), files[i], -1, func(r Record) { a.seq = max(a.seq, r.Seq) })
		if err != nil {
			a.f.Close()
			return nil, err
		}
		a.skipped += st.skipped
	}
	if a.skipped > 0 {
		a.log.Warn("audit log: skipped damaged or oversized lines", "path", path, "lines", a.skipped)
	}
	go a.flusher()
	return a, nil
}

// openCurrent opens the current file for appending. A torn last line (a
// crash mid-write) is ended first, so the next record starts a line.
func (a *Log) openCurrent() error {
	f, err := os.OpenFile(a.path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("audit log: %w", err)
	}
	a.f, a.size = f, 0
	if info.Mode().IsRegular() {
		a.size = info.Size()
	}
	if a.size > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, a.size-1); err == nil && last[0] != '\n' {
			if n, err := f.Write([]byte{'\n'}); err == nil {
				a.size += int64(n)
			}
		}
	}
	return nil
}

// Skipped is the number of damaged or oversized lines found at start-up.
func (a *Log) Skipped() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.skipped
}

// Healthy reports the last append's failure, if no append has succeeded
// since: the server refuses work while it is not nil.
func (a *Log) Healthy() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.failed
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
			f, dirty := a.f, a.dirty
			a.dirty = false
			a.mu.Unlock()
			if !dirty {
				continue
			}
			// The sync runs outside the lock: every request takes it twice
			// (Healthy as it starts, Append as it is answered), and an fsync
			// on a busy disk takes tens of milliseconds, during which all of
			// them stopped (under a 64-client load at 1M entities, goroutines
			// waited on it about 1.5 at a time). The records written so far
			// are what it makes durable; later ones wait for the next tick.
			if err := a.opts.syncFile(f); err != nil {
				a.mu.Lock()
				if a.f == f { // a rotated file was synced by rotate, then closed
					a.failed = fmt.Errorf("%w: sync: %w", ErrUnavailable, err)
				}
				a.mu.Unlock()
			}
		}
	}
}

// Append bounds, numbers and writes a record. On failure the error wraps
// ErrUnavailable and the caller must refuse the request.
func (a *Log) Append(r Record) error {
	bound(&r)
	a.mu.Lock()
	defer a.mu.Unlock()
	r.Seq = a.seq + 1
	// One buffer and encoder for every record, under the lock: a record
	// is a few hundred bytes, bounded by bound.
	a.buf.Reset()
	if a.enc == nil {
		a.enc = json.NewEncoder(&a.buf) // ends the line
		a.enc.SetEscapeHTML(false)      // '<' stays one byte: the bounds hold
	}
	if err := a.enc.Encode(r); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	b := a.buf.Bytes()
	if a.size > 0 && a.size+int64(len(b)) > a.opts.MaxFileBytes {
		if err := a.rotate(); err != nil {
			a.failed = err
			return err
		}
	}
	n, err := a.f.Write(b)
	a.size += int64(n)
	if err != nil {
		if n > 0 {
			// End the partial line so the next record starts clean.
			m, _ := a.f.Write([]byte{'\n'})
			a.size += int64(m)
		}
		a.failed = fmt.Errorf("%w: %w", ErrUnavailable, err)
		return a.failed
	}
	a.seq = r.Seq
	a.dirty = true
	a.failed = nil
	return nil
}

// rotate renames the current file FILE.N and starts a new one.
func (a *Log) rotate() error {
	if err := a.f.Sync(); err != nil {
		return fmt.Errorf("%w: rotate: %w", ErrUnavailable, err)
	}
	if err := a.f.Close(); err != nil {
		return fmt.Errorf("%w: rotate: %w", ErrUnavailable, err)
	}
	next := a.path + "." + strconv.Itoa(a.rotated+1)
	if err := os.Rename(a.path, next); err != nil {
		// Keep appending to the old file rather than losing records.
		if f, oerr := os.OpenFile(a.path, os.O_RDWR|os.O_APPEND, 0o640); oerr == nil {
			a.f = f
		}
		return fmt.Errorf("%w: rotate: %w", ErrUnavailable, err)
	}
	a.rotated++
	if err := a.openCurrent(); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	a.log.Info("audit log rotated", "kept", next)
	return nil
}

// rotatedFiles lists FILE.1, FILE.2, ... oldest first.
func (a *Log) rotatedFiles() []string {
	matches, _ := filepath.Glob(a.path + ".*")
	type numbered struct {
		n    int
		path string
	}
	var out []numbered
	for _, m := range matches {
		n, err := strconv.Atoi(strings.TrimPrefix(m, a.path+"."))
		if err == nil && n > 0 {
			out = append(out, numbered{n, m})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].n < out[j].n })
	paths := make([]string, len(out))
	for i, o := range out {
		paths[i] = o.path
	}
	return paths
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
	// Skipped counts damaged lines passed over while reading.
	Skipped int `json:"skipped,omitempty"`
}

// ErrBadQuery is returned (wrapped) for a malformed cursor.
var ErrBadQuery = errors.New("bad audit query")

// Query returns a page of matching records, newest first. It reads every
// file oldest first, keeping only the newest First+1 matches, without
// holding the lock that appends take.
func (a *Log) Query(ctx context.Context, q Query) (Page, error) {
	if q.First <= 0 || q.First > 1000 {
		q.First = 100
	}
	var before int64 = 1 << 62
	if q.After != "" {
		n, err := strconv.ParseInt(q.After, 10, 64)
		if err != nil || n <= 0 {
			return Page{}, fmt.Errorf("%w: malformed cursor %q", ErrBadQuery, q.After)
		}
		before = n
	}
	a.mu.Lock()
	files := append(a.rotatedFiles(), a.path)
	size := a.size
	a.mu.Unlock()

	keep := make([]Record, 0, q.First+1) // a ring of the newest matches
	next := 0
	var page Page
	for i, path := range files {
		limit := int64(-1)
		if i == len(files)-1 {
			limit = size // what was written when the read began
		}
		st, err := scanFile(ctx, path, limit, func(r Record) {
			if r.Seq >= before || (q.Actor != "" && r.Actor != q.Actor) || r.Time.Before(q.Since) {
				return
			}
			if len(keep) < cap(keep) {
				keep = append(keep, r)
			} else {
				keep[next] = r
				next = (next + 1) % len(keep)
			}
		})
		page.Skipped += st.skipped
		if err != nil {
			return Page{}, err
		}
	}
	ordered := append(keep[next:len(keep):len(keep)], keep[:next]...) // oldest first
	for i := len(ordered) - 1; i >= 0 && len(page.Records) < q.First; i-- {
		page.Records = append(page.Records, ordered[i])
	}
	page.HasNextPage = len(ordered) > len(page.Records)
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
	if err := a.f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		a.f.Close()
		return fmt.Errorf("audit log: %w", err)
	}
	return a.f.Close()
}

// scanStats says what a scan passed over.
type scanStats struct{ skipped int }

// scanFile reads the records of one file up to limit bytes (-1: all of a
// regular file), calling fn for each; damaged and oversized lines are
// counted and skipped. A missing file is empty.
func scanFile(ctx context.Context, path string, limit int64, fn func(Record)) (scanStats, error) {
	var st scanStats
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("audit log: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return st, fmt.Errorf("audit log: %w", err)
	}
	if !info.Mode().IsRegular() {
		return st, nil // a device such as /dev/full holds no records
	}
	if limit < 0 || limit > info.Size() {
		limit = info.Size()
	}
	lr := newLineReader(io.NewSectionReader(f, 0, limit), maxLineBytes)
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return st, ctx.Err()
		}
		line, ok, err := lr.next()
		if err != nil {
			return st, fmt.Errorf("audit log: %w", err)
		}
		if line == nil && !ok {
			return st, nil
		}
		if !ok {
			st.skipped++ // longer than any record Append writes
			continue
		}
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil || rec.Seq <= 0 {
			st.skipped++ // a torn line after a crash, or damage
			continue
		}
		fn(rec)
	}
}
