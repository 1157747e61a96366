package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// The text a record's list, map and number values become in a CSV cell, an
// XML attribute or a Cypher literal: the same in every format that writes
// them as text.

// jsonCell is a JSON column: empty for an empty value.
func jsonCell[T any](v []T) string {
	if len(v) == 0 {
		return ""
	}
	return jsonString(v)
}

func jsonMapCell(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	return jsonString(m)
}

// weightCell is a link's weight as text, empty when unweighted.
func weightCell(w float64) string {
	if w == 0 {
		return ""
	}
	return strconv.FormatFloat(w, 'g', -1, 64)
}

// jsonString marshals v without HTML escaping, for JSON-in-attribute
// encodings (GraphML, CSV, FtM).
func jsonString(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only reachable for unsupported types, which we never pass.
		panic(fmt.Sprintf("formats: marshal %T: %v", v, err))
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}
