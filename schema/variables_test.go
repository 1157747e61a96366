package schema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

// TestDecodeVariablesIsUnmarshal: the variables decode to what
// json.Unmarshal into a map gives, value and error, for objects and for
// everything that is not one.
func TestDecodeVariablesIsUnmarshal(t *testing.T) {
	for _, raw := range []string{
		`{}`, `{"id": "person:x", "d": 1, "l": 500}`, `{"t": ["OWNS", null], "n": {"a": [1.5, true]}}`,
		`{"a": 1, "a": 2}`, `{"big": 12345678901234567890}`, `{"s": "\u00e9\ud83d\ude00"}`,
		`null`, `[]`, `[1]`, `"x"`, `3`, `true`, `{`, `{"a": }`, `{"a": 1}x`, ``, ` `,
	} {
		var want map[string]any
		wantErr := json.Unmarshal([]byte(raw), &want)
		got, err := decodeVariables([]byte(raw))
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %#v, %v; json.Unmarshal: %#v, %v", raw, got, err, want, wantErr)
		}
	}
}
