package formats

import (
	"encoding/json"
	"strconv"
	"strings"
)

// The CSV and GraphML (and so GEXF) readers take the same fields as text
// and read their values alike; only the word for where a field sits (a
// column, an attribute) and for a link (link, edge) differ in a report.

// jsonValue decodes the JSON text s of the field name (where says what it
// is: "column", "attribute") into v; empty text leaves v alone. A value
// that is not JSON of v's shape is reported to c, and jsonValue is false.
func jsonValue(c *collector, line int, where, name, s string, v any) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return true
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		c.bad(line, "%s %s is not valid JSON of the expected shape: %v", where, name, err)
		return false
	}
	return true
}

// weightValue reads a link's weight from s, 0 when s is empty; a value
// that is not a number is reported to c against the link (noun, id), and
// weightValue is false.
func weightValue(c *collector, line int, noun, id, s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		c.bad(line, "%s %q: weight %q is not a number", noun, id, s)
		return 0, false
	}
	return v, true
}
