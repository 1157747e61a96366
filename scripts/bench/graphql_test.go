package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDecodeAnswer: only an answer with data, no errors and HTTP 200 is a
// success, whether or not the caller decodes the data; the data decodes
// into out.
func TestDecodeAnswer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		raw    string
		ok     bool
	}{
		{"data", 200, `{"data":{"neighborhood":{"nodes":[{"id":"a"},{"id":"b"}],"links":[{"id":"l"}],"truncated":true}}}`, true},
		{"null data", 200, `{"data":null}`, false},
		{"no data", 200, `{}`, false},
		{"errors", 200, `{"data":null,"errors":[{"message":"boom","extensions":{"code":"INTERNAL"}}]}`, false},
		{"errors beside data", 200, `{"data":{"neighborhood":null},"errors":[{"message":"partial"}]}`, false},
		{"HTTP 500", 500, `{"data":{"neighborhood":{"nodes":[]}}}`, false},
		{"not JSON", 200, `<html>`, false},
		{"truncated JSON", 200, `{"data":{"neighborhood":{"nodes":[{"id":"a"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d struct {
				Neighborhood struct {
					Nodes     countList `json:"nodes"`
					Links     countList `json:"links"`
					Truncated bool      `json:"truncated"`
				} `json:"neighborhood"`
			}
			err := decodeAnswer(tc.status, []byte(tc.raw), &d)
			if (err == nil) != tc.ok {
				t.Fatalf("decodeAnswer: %v, want success %v", err, tc.ok)
			}
			if errNil := decodeAnswer(tc.status, []byte(tc.raw), nil); (errNil == nil) != tc.ok {
				t.Errorf("decodeAnswer without out: %v, want success %v", errNil, tc.ok)
			}
			if tc.ok && (len(d.Neighborhood.Nodes) != 2 || len(d.Neighborhood.Links) != 1 || !d.Neighborhood.Truncated) {
				t.Errorf("decoded %+v, want 2 nodes, 1 link, truncated", d)
			}
		})
	}
	var ids struct {
		Owners idList `json:"owners"`
	}
	if err := decodeAnswer(200, []byte(`{"data":{"owners":[{"id":"x"}]}}`), &ids); err != nil || len(ids.Owners) != 1 || ids.Owners[0].ID != "x" {
		t.Errorf("owners: %+v, %v", ids, err)
	}
}

// TestSkeinNeighborhoodOp: the neighbourhood op counts the nodes of a
// served answer and reports its truncation.
func TestSkeinNeighborhoodOp(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Query     string         `json:"query"`
			Variables map[string]any `json:"variables"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || !strings.Contains(req.Query, "neighborhood") {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, `{"data":{"neighborhood":{"nodes":[{"id":%q},{"id":"n2"},{"id":"n3"}],"links":[{"id":"l1"}],"truncated":true}}}`,
			req.Variables["id"])
	}))
	defer srv.Close()
	w := &workload{Hubs: []string{"h"}, Ordinary: []string{"o"}, Search: []string{"s"}, Paths: [][2]string{{"a", "b"}},
		Shared: [][2]string{{"a", "b"}}, Companies: []string{"c"}}
	out, err := skeinOps(newGQLClient(srv.URL), w)[nbrOp("hub", 1)](context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if out.Nodes != 3 || !out.Truncated {
		t.Errorf("outcome %+v, want 3 nodes, truncated", out)
	}
}

// BenchmarkDecodeHubAnswer is the client's decoding of a neighbourhood
// answer of 500 nodes and links (the size of the mixed load's hub ones).
func BenchmarkDecodeHubAnswer(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"data":{"neighborhood":{"nodes":[`)
	for i := range 500 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":"syn:person:%d"}`, 100000+i)
	}
	sb.WriteString(`],"links":[`)
	for i := range 1000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":"syn:person:%d|ASSOCIATE_OF|syn:person:%d"}`, 100000+i, 200000+i)
	}
	sb.WriteString(`],"truncated":true}}}`)
	raw := []byte(sb.String())
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		var d struct {
			Neighborhood struct {
				Nodes     countList `json:"nodes"`
				Links     countList `json:"links"`
				Truncated bool      `json:"truncated"`
			} `json:"neighborhood"`
		}
		if err := decodeAnswer(200, raw, &d); err != nil || len(d.Neighborhood.Nodes) != 500 {
			b.Fatal(err)
		}
	}
}
