package formats

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
)

// xmlScan reads data token by token for the reader of an XML format whose
// root element is root (GEXF, GraphML): it checks ctx every so often,
// reports malformed XML and a wrong or missing root element to c (each
// ends the reading, without an error), and hands every token, with its
// line, to fn, which returns false to stop. Only ctx's end is an error.
func xmlScan(ctx context.Context, data []byte, c *collector, root string, fn func(tok xml.Token, line int) bool) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	seenRoot := false
	for n := 0; ; n++ {
		if err := ctxEvery(ctx, n); err != nil {
			return err
		}
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := dec.InputPos()
		if err != nil {
			c.bad(line, "malformed XML: %v", err)
			return nil
		}
		if t, ok := tok.(xml.StartElement); ok && !seenRoot {
			seenRoot = true
			if t.Name.Local != root {
				c.bad(line, "root element is <%s>, not <%s>", t.Name.Local, root)
				return nil
			}
		}
		if !fn(tok, line) {
			return nil
		}
	}
	if !seenRoot {
		c.bad(1, "no <%s> element", root)
	}
	return nil
}
