package formats

import (
	"context"
	"errors"
	"fmt"
	"io"

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
	switch f {
	case JSON:
		err = decodeJSON(ctx, data, c)
	case FtM:
		err = decodeFtM(ctx, data, c)
	case CSV:
		err = decodeCSV(ctx, data, limit, c)
	case GraphML:
		err = decodeGraphML(ctx, data, c)
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
	var rows []Row
	for _, l := range c.b.Links {
		for _, end := range []struct{ name, id string }{{"source", l.Source}, {"target", l.Target}} {
			if inBatch[end.id] || inStore[end.id] {
				continue
			}
			row := c.linkRows[l.ID]
			row.Message = fmt.Sprintf("link %q: %s %q is neither in the file nor in the store", l.ID, end.name, end.id)
			rows = append(rows, row)
		}
	}
	if len(rows) > 0 {
		return &ImportError{Format: f, Rows: rows}
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
	rows     []Row
	warnings []string
	linkRows map[string]Row // link id -> where it was read (File, Line)
}

func (c *collector) bad(line int, format string, args ...any) {
	c.rows = append(c.rows, Row{File: c.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (c *collector) badErr(line int, err error) {
	c.rows = append(c.rows, Row{File: c.file, Line: line, Message: message(err)})
}

func (c *collector) warn(line int, format string, args ...any) {
	c.warnings = append(c.warnings, Row{File: c.file, Line: line, Message: fmt.Sprintf(format, args...)}.String())
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
			c.rows = append(c.rows, Row{Message: message(err)})
		}
	}
	if len(c.rows) > 0 {
		c.b = graph.Batch{}
		return &ImportError{Format: f, Rows: c.rows}
	}
	return nil
}

// ctxEvery checks ctx every so many records, cheaply.
func ctxEvery(ctx context.Context, n int) error {
	if n%1024 != 0 {
		return nil
	}
	return ctxErr(ctx)
}

// ctxErr maps a finished context to the domain's sentinels.
func ctxErr(ctx context.Context) error {
	err := ctx.Err()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %w", graph.ErrTimeout, err)
	}
	return err
}
