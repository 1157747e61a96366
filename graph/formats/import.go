package formats

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/skein-project/skein/graph"
)

// Report says what an import wrote.
type Report struct {
	Documents int `json:"documents"`
	Entities  int `json:"entities"`
	Links     int `json:"links"`
	// Warnings name records that were skipped on purpose (for example FtM
	// schemata Skein has no kind for), each with its line.
	Warnings []string `json:"warnings,omitempty"`
}

// Import decodes a whole file and writes it with one Store.Upsert, so the
// file is imported entirely or not at all. Records are keyed by id, so
// importing the same file twice changes nothing the second time.
//
// Before writing, links whose source or target is neither in the file nor
// in the store are reported as bad rows with their lines, like any other
// bad record (the store would refuse them without saying where they are).
func Import(ctx context.Context, s graph.Store, f Format, r io.Reader) (Report, error) {
	c, err := decodeAll(ctx, f, r, MaxImportBytes)
	if err != nil {
		return Report{}, err
	}
	b, warnings := c.b, c.warnings
	if err := checkEndpoints(ctx, s, f, c); err != nil {
		return Report{}, err
	}
	if err := s.Upsert(ctx, b); err != nil {
		return Report{}, fmt.Errorf("%s import: %w", f, err)
	}
	return Report{
		Documents: len(b.Documents),
		Entities:  len(b.Entities),
		Links:     len(b.Links),
		Warnings:  warnings,
	}, nil
}

// Decode reads a whole file into a validated, normalised batch. Any bad
// record fails the whole file with an *ImportError listing every bad row
// (errors.Is(err, graph.ErrInvalid)); input over MaxImportBytes fails with
// ErrTooLarge. The input is held in memory (up to MaxImportBytes): a CSV zip
// needs random access anyway, and line numbers come from offsets.
func Decode(ctx context.Context, f Format, r io.Reader) (graph.Batch, error) {
	b, _, err := decode(ctx, f, r, MaxImportBytes)
	return b, err
}

func decode(ctx context.Context, f Format, r io.Reader, limit int64) (graph.Batch, []string, error) {
	c, err := decodeAll(ctx, f, r, limit)
	if err != nil {
		return graph.Batch{}, nil, err
	}
	return c.b, c.warnings, nil
}

// decodeAll decodes and validates a file; the collector it returns holds
// the batch, the warnings and where each link came from.
func decodeAll(ctx context.Context, f Format, r io.Reader, limit int64) (*collector, error) {
	if !f.CanRead() {
		if f.Valid() {
			return nil, fmt.Errorf("format %s is export-only: %w", f, graph.ErrInvalid)
		}
		return nil, fmt.Errorf("unknown format %q: %w", f, graph.ErrInvalid)
	}
	data, err := readLimited(r, limit)
	if err != nil {
		return nil, fmt.Errorf("%s import: %w", f, err)
	}
	c := &collector{linkRows: map[string]Row{}}
	if f != CSV && !c.validUTF8(data) {
		// Decoders would replace the bad bytes with U+FFFD, altering
		// the evidence: the file is refused with the lines that hold them.
		return nil, c.finish(f)
	}
	switch f {
	case JSON:
		err = decodeJSON(ctx, data, c)
	case FtM:
		err = decodeFtM(ctx, data, c)
	case CSV:
		err = decodeCSV(ctx, data, limit, c)
	case GraphML:
		err = decodeGraphML(ctx, data, c)
	case GEXF:
		err = decodeGEXF(ctx, data, c)
	}
	if err != nil {
		return nil, fmt.Errorf("%s import: %w", f, err)
	}
	if err := c.finish(f); err != nil {
		return nil, err
	}
	return c, nil
}

// checkEndpoints reports every link of the batch whose source or target
// exists neither in the batch nor in the store, with the link's line.
func checkEndpoints(ctx context.Context, s graph.Store, f Format, c *collector) error {
	inBatch := make(map[string]bool, len(c.b.Entities))
	for _, e := range c.b.Entities {
		inBatch[e.ID] = true
	}
	var outside []string
	seen := map[string]bool{}
	for _, l := range c.b.Links {
		for _, id := range []string{l.Source, l.Target} {
			if !inBatch[id] && !seen[id] {
				seen[id] = true
				outside = append(outside, id)
			}
		}
	}
	if len(outside) == 0 {
		return nil
	}
	found, err := s.Entities(ctx, outside)
	if err != nil {
		return fmt.Errorf("%s import: look up link endpoints: %w", f, err)
	}
	inStore := make(map[string]bool, len(found))
	for _, e := range found {
		inStore[e.ID] = true
	}
	bad := &collector{}
	for _, l := range c.b.Links {
		for _, end := range []struct{ name, id string }{{"source", l.Source}, {"target", l.Target}} {
			if inBatch[end.id] || inStore[end.id] {
				continue
			}
			row := c.linkRows[l.ID]
			row.Message = fmt.Sprintf("link %q: %s %q is neither in the file nor in the store", l.ID, end.name, end.id)
			bad.add(row)
		}
	}
	if len(bad.rows) > 0 {
		return &ImportError{Format: f, Rows: bad.rows, More: bad.more}
	}
	return nil
}

// readLimited reads all of r, failing with ErrTooLarge past limit bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if int64(len(data)) > limit {
		if limit == MaxImportBytes {
			return nil, ErrTooLarge
		}
		return nil, fmt.Errorf("import larger than %d bytes: %w", limit, ErrTooLarge)
	}
	return data, nil
}

// collector gathers the records of one import, validating each as it comes
// with the line it came from, so every bad row is reported.
type collector struct {
	file     string // current zip member, for rows
	b        graph.Batch
	rows     []Row // the first MaxRows bad rows
	more     int   // bad rows past MaxRows, counted only
	warnings []string
	moreWarn int            // warnings past MaxRows
	linkRows map[string]Row // link id -> where it was read (File, Line)
}

// add records a bad row: the first MaxRows in full, with their message cut
// at maxRowMessage bytes, the rest only counted, so that a small file of
// millions of bad rows makes a small error.
func (c *collector) add(r Row) {
	if len(c.rows) >= MaxRows {
		c.more++
		return
	}
	r.Message = cut(r.Message, maxRowMessage)
	c.rows = append(c.rows, r)
}

func (c *collector) bad(line int, format string, args ...any) {
	if len(c.rows) >= MaxRows {
		c.more++ // not even formatted
		return
	}
	c.add(Row{File: c.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (c *collector) badErr(line int, err error) {
	if len(c.rows) >= MaxRows {
		c.more++
		return
	}
	c.add(Row{File: c.file, Line: line, Message: message(err)})
}

func (c *collector) warn(line int, format string, args ...any) {
	if len(c.warnings) >= MaxRows {
		c.moreWarn++
		return
	}
	c.warnings = append(c.warnings, cut(Row{File: c.file, Line: line, Message: fmt.Sprintf(format, args...)}.String(), maxRowMessage))
}

// validUTF8 reports whether data is UTF-8, adding a bad row for every line
// that is not.
func (c *collector) validUTF8(data []byte) bool {
	if utf8.Valid(data) {
		return true
	}
	line := 0
	for len(data) > 0 {
		line++
		raw := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if utf8.Valid(raw) {
			continue
		}
		at := 0
		for at < len(raw) {
			r, n := utf8.DecodeRune(raw[at:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			at += n
		}
		c.bad(line, "invalid UTF-8 (byte 0x%02x at column %d): the file must be UTF-8, and is not altered to fit", raw[at], at+1)
	}
	return false
}

// cut shortens s to at most n bytes, on a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

func (c *collector) document(line int, d graph.Document) {
	if err := d.Validate(); err != nil {
		c.badErr(line, err)
		return
	}
	c.b.Documents = append(c.b.Documents, d)
}

func (c *collector) entity(line int, e graph.Entity) {
	e.Normalize()
	if err := e.Validate(); err != nil {
		c.badErr(line, err)
		return
	}
	c.b.Entities = append(c.b.Entities, e)
}

func (c *collector) link(line int, l graph.Link) {
	l.Normalize()
	if err := l.Validate(); err != nil {
		c.badErr(line, err)
		return
	}
	c.b.Links = append(c.b.Links, l)
	if c.linkRows != nil {
		c.linkRows[l.ID] = Row{File: c.file, Line: line}
	}
}

// finish normalises the batch, or fails with every bad row.
func (c *collector) finish(f Format) error {
	if len(c.rows) == 0 {
		// Every record passed on its own; Normalize dedupes by id (the
		// last record of an id wins, as in a store).
		if err := c.b.Normalize(); err != nil {
			errs := []error{err}
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				errs = j.Unwrap()
			}
			for _, e := range errs {
				c.add(Row{Message: message(e)})
			}
		}
	}
	if len(c.rows) > 0 {
		c.b = graph.Batch{}
		return &ImportError{Format: f, Rows: c.rows, More: c.more}
	}
	if c.moreWarn > 0 {
		c.warnings = append(c.warnings, fmt.Sprintf("and %d more warnings", c.moreWarn))
	}
	return nil
}

// ctxEvery checks ctx every so many records, cheaply.
func ctxEvery(ctx context.Context, n int) error {
	if n%1024 != 0 {
		return nil
	}
	return graph.ContextErr(ctx)
}
