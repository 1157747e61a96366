package formats

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/skein-project/skein/graph"
)

// Skein's own JSON is graph.Batch as the API serialises it:
//
//	{"documents":[...],
//	"entities":[...],
//	"links":[...]}
//
// with one record a line, so that a reader can report lines. The reader
// also accepts "nodes" for "entities" (the API's Subgraph shape) and ignores
// other top-level keys and unknown record fields.

type jsonEncoder struct {
	w     *bufio.Writer
	phase int // 0 nothing written, 1 documents, 2 entities, 3 links
	first bool
	buf   bytes.Buffer
	enc   *json.Encoder
}

var jsonSections = [...]string{"", `"documents":[`, `"entities":[`, `"links":[`}

func newJSONEncoder(w io.Writer) *jsonEncoder {
	e := &jsonEncoder{w: bufio.NewWriter(w)}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}

// enter closes the sections before phase p and opens it.
func (e *jsonEncoder) enter(p int) {
	for e.phase < p {
		switch e.phase {
		case 0:
			e.w.WriteString("{")
		default:
			e.w.WriteString("\n],\n")
		}
		e.phase++
		e.w.WriteString(jsonSections[e.phase])
		e.first = true
	}
}

func (e *jsonEncoder) record(p int, v any) error {
	e.enter(p)
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return err
	}
	if !e.first {
		e.w.WriteString(",")
	}
	e.first = false
	e.w.WriteString("\n")
	_, err := e.w.Write(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")))
	return err
}

func (e *jsonEncoder) document(d *graph.Document) error { return e.record(1, d) }
func (e *jsonEncoder) entity(x *graph.Entity) error     { return e.record(2, x) }
func (e *jsonEncoder) link(l *graph.Link) error         { return e.record(3, l) }

func (e *jsonEncoder) close() error {
	e.enter(3)
	e.w.WriteString("\n]}\n")
	return e.w.Flush()
}

// lineCounter maps increasing byte offsets to 1-based line numbers.
type lineCounter struct {
	data []byte
	off  int
	line int
}

func newLineCounter(data []byte) *lineCounter { return &lineCounter{data: data, line: 1} }

func (lc *lineCounter) at(off int) int {
	if off > len(lc.data) {
		off = len(lc.data)
	}
	if off < lc.off {
		lc.off, lc.line = 0, 1
	}
	lc.line += bytes.Count(lc.data[lc.off:off], []byte("\n"))
	lc.off = off
	return lc.line
}

// nextValue skips white space and a comma from off to where the next JSON
// value starts.
func nextValue(data []byte, off int) int {
	for off < len(data) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
		default:
			return off
		}
	}
	return off
}

func decodeJSON(ctx context.Context, data []byte, c *collector) error {
	lc := newLineCounter(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	syntax := func(err error) error {
		var se *json.SyntaxError
		off := int(dec.InputOffset())
		if errors.As(err, &se) {
			off = int(se.Offset)
		}
		c.bad(lc.at(off), "malformed JSON: %v", err)
		return nil
	}
	tok, err := dec.Token()
	if err != nil {
		return syntax(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		c.bad(1, `expected a JSON object {"documents":[...],"entities":[...],"links":[...]}`)
		return nil
	}
	n := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return syntax(err)
		}
		key, _ := tok.(string)
		switch key {
		case "documents", "entities", "nodes", "links":
		default:
			line := lc.at(int(dec.InputOffset()))
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return syntax(err)
			}
			if key != "truncated" { // the API's Subgraph flag, not data
				c.warn(line, "top-level key %q ignored", key)
			}
			continue
		}
		keyLine := lc.at(int(dec.InputOffset()))
		tok, err = dec.Token()
		if err != nil {
			return syntax(err)
		}
		if tok == nil {
			continue // null section
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			c.bad(keyLine, "%q must be an array", key)
			return nil
		}
		for dec.More() {
			if err := ctxEvery(ctx, n); err != nil {
				return err
			}
			n++
			line := lc.at(nextValue(data, int(dec.InputOffset())))
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return syntax(err)
			}
			switch key {
			case "documents":
				var d graph.Document
				if err := json.Unmarshal(raw, &d); err != nil {
					c.bad(line, "document: %v", err)
					continue
				}
				c.document(line, d)
			case "entities", "nodes":
				var e graph.Entity
				if err := json.Unmarshal(raw, &e); err != nil {
					c.bad(line, "entity: %v", err)
					continue
				}
				c.entity(line, e)
			case "links":
				var l graph.Link
				if err := json.Unmarshal(raw, &l); err != nil {
					c.bad(line, "link: %v", err)
					continue
				}
				c.link(line, l)
			}
		}
		if _, err := dec.Token(); err != nil {
			return syntax(err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return syntax(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		c.bad(lc.at(int(dec.InputOffset())), "unexpected data after the JSON object")
	}
	return nil
}
