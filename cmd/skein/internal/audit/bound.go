package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"unicode/utf8"
)

// bound cuts a record's free text to its limits, keeping the full length
// and SHA-256 of the query and variables so that what was sent can still
// be matched against a copy.
func bound(r *Record) {
	if r.Query != "" {
		r.QueryBytes = len(r.Query)
		r.QuerySHA256 = digest([]byte(r.Query))
		if len(r.Query) > MaxTextBytes {
			r.Query, r.QueryTruncated = cut(r.Query, MaxTextBytes), true
		}
	}
	if v := r.Variables; len(v) == 0 || string(v) == "null" || string(v) == "{}" {
		r.Variables = nil
	} else {
		r.VariablesBytes = len(v)
		r.VariablesSHA256 = digest(v)
		if len(v) > MaxTextBytes || !json.Valid(v) {
			s, _ := json.Marshal(cut(string(v), MaxTextBytes))
			r.Variables, r.VariablesTruncated = s, len(v) > MaxTextBytes
		}
	}
	r.Operation = cut(r.Operation, maxShortBytes)
	r.Target = cut(r.Target, maxShortBytes)
	r.Actor = cut(r.Actor, maxShortBytes)
	r.Remote = cut(r.Remote, maxShortBytes)
	r.Outcome = cut(r.Outcome, maxShortBytes)
}

// cut keeps at most n bytes of s, ending on a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
