package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
)

// gqlClient posts GraphQL requests over HTTP, as any client would.
type gqlClient struct {
	url  string
	http *http.Client
	bufs sync.Pool // *bytes.Buffer answers are read into
}

func newGQLClient(url string) *gqlClient {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 256
	c := &gqlClient{url: url, http: &http.Client{Transport: tr}}
	c.bufs.New = func() any { return new(bytes.Buffer) }
	return c
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// do sends one query and decodes its data into out (a pointer; nil only
// checks it). An answer is a success when it is valid JSON with data (not
// null) and no GraphQL errors, over HTTP 200; anything else is a failure.
//
// The client runs on the machine's cores beside the server it measures, so
// it decodes each answer in one json.Unmarshal, into a reused buffer: a
// neighbourhood answer is tens of KB, and reading it with io.ReadAll and
// decoding it twice (the envelope, then data) cost the client about as much
// CPU as the server spent producing it.
func (c *gqlClient) do(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(firstByteClock(ctx), http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	buf := c.bufs.Get().(*bytes.Buffer)
	defer c.bufs.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	return decodeAnswer(resp.StatusCode, buf.Bytes(), out)
}

// decodeAnswer checks a GraphQL answer (do) and decodes its data into out.
func decodeAnswer(status int, raw []byte, out any) error {
	if out == nil {
		out = new(struct{}) // data is scanned, its fields skipped
	}
	// data decodes into a new *T, which stays nil when data is null or
	// missing: both are failures.
	data := reflect.New(reflect.TypeOf(out))
	env := struct {
		Data   any        `json:"data"`
		Errors []gqlError `json:"errors"`
	}{Data: data.Interface()}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("HTTP %d: %.200s", status, raw)
	}
	if len(env.Errors) > 0 {
		return fmt.Errorf("HTTP %d: %s (%v)", status, env.Errors[0].Message, env.Errors[0].Extensions["code"])
	}
	if status != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.200s", status, raw)
	}
	if data.Elem().IsNil() {
		return fmt.Errorf("HTTP %d: no data: %.200s", status, raw)
	}
	reflect.ValueOf(out).Elem().Set(data.Elem().Elem())
	return nil
}

// Skein's queries, as the GraphQL contract (schema/*.graphql) names them.
const (
	skeinSearch  = `query($q: String!) { search(query: $q, first: 20) { nodes { id } } }`
	skeinNbr     = `query($id: ID!, $d: Int!, $l: Int!) { neighborhood(id: $id, depth: $d, limit: $l) { nodes { id } links { id } truncated } }`
	skeinNbrAsOf = `query($id: ID!, $d: Int!, $l: Int!, $at: Date) { neighborhood(id: $id, depth: $d, limit: $l, asOf: $at) { nodes { id } links { id } truncated } }`
	skeinPaths   = `query($f: ID!, $t: ID!) { paths(from: $f, to: $t, maxHops: 4) { length } }`
	skeinChrono  = `query($f: ID!, $t: ID!) { paths(from: $f, to: $t, maxHops: 4, chronological: true) { length } }`
	skeinShared  = `query($ids: [ID!]!) { sharedAssociates(ids: $ids, depth: 1) { id } }`
	skeinCentr   = `query($ids: [ID!]) { centrality(metric: PAGERANK, ids: $ids, depth: 2, top: 10) { score entity { id } } }`
	skeinOwners  = `query($id: ID!) { owners(id: $id) { owner { id } share direct complete } }`
	skeinOwnTest = `{ sanctionsOwnership(first: 20) { totalCount nodes { asset { id } share meetsThreshold owners { owner { id } share } } } }`
	skeinMatch   = `query($qs: [MatchQuery!]!) { match(queries: $qs, limit: 5) { key candidates { entity { id } score match } } }`
	skeinXref    = `query($ids: [ID!]) { xref(ids: $ids, first: 50) { totalCount nodes { a { id } b { id } score } } }`
)

type idList []struct {
	ID string `json:"id"`
}

// countList decodes a list of objects only to count them: a
// neighbourhood's ids are hundreds of strings the client has no use for.
type countList []struct{}

func skeinOps(c *gqlClient, w *workload) map[string]op {
	nbrQuery := func(query string, ids []string, depth int, asOf string) op {
		return func(ctx context.Context, i int) (outcome, error) {
			var d struct {
				Neighborhood struct {
					Nodes     countList `json:"nodes"`
					Links     countList `json:"links"`
					Truncated bool      `json:"truncated"`
				} `json:"neighborhood"`
			}
			vars := map[string]any{"id": ids[i%len(ids)], "d": depth, "l": nbrLimit}
			if asOf != "" {
				vars["at"] = asOf
			}
			err := c.do(ctx, query, vars, &d)
			return outcome{Nodes: len(d.Neighborhood.Nodes), Truncated: d.Neighborhood.Truncated}, err
		}
	}
	nbr := func(ids []string, depth int) op { return nbrQuery(skeinNbr, ids, depth, "") }
	ops := map[string]op{
		opSearch: func(ctx context.Context, i int) (outcome, error) {
			return outcome{}, c.do(ctx, skeinSearch, map[string]any{"q": w.Search[i%len(w.Search)]}, nil)
		},
		opPaths: func(ctx context.Context, i int) (outcome, error) {
			p := w.Paths[i%len(w.Paths)]
			return outcome{}, c.do(ctx, skeinPaths, map[string]any{"f": p[0], "t": p[1]}, nil)
		},
		opChrono: func(ctx context.Context, i int) (outcome, error) {
			p := w.Paths[i%len(w.Paths)]
			var d struct {
				Paths []struct{} `json:"paths"`
			}
			err := c.do(ctx, skeinChrono, map[string]any{"f": p[0], "t": p[1]}, &d)
			return outcome{Nodes: len(d.Paths)}, err
		},
		opShared: func(ctx context.Context, i int) (outcome, error) {
			p := w.Shared[i%len(w.Shared)]
			return outcome{}, c.do(ctx, skeinShared, map[string]any{"ids": []string{p[0], p[1]}}, nil)
		},
		opCentrality: func(ctx context.Context, i int) (outcome, error) {
			return outcome{}, c.do(ctx, skeinCentr, map[string]any{"ids": []string{w.Ordinary[i%len(w.Ordinary)]}}, nil)
		},
		opOwners: func(ctx context.Context, i int) (outcome, error) {
			var d struct {
				Owners idList `json:"owners"`
			}
			err := c.do(ctx, skeinOwners, map[string]any{"id": w.Companies[i%len(w.Companies)]}, &d)
			return outcome{Nodes: len(d.Owners)}, err
		},
		opOwnership: func(ctx context.Context, _ int) (outcome, error) {
			var d struct {
				SanctionsOwnership struct {
					TotalCount int `json:"totalCount"`
				} `json:"sanctionsOwnership"`
			}
			err := c.do(ctx, skeinOwnTest, nil, &d)
			return outcome{Nodes: d.SanctionsOwnership.TotalCount}, err
		},
	}
	if len(w.Match) > 0 {
		qs := make([]map[string]any, len(w.Match))
		for i, n := range w.Match {
			qs[i] = map[string]any{"key": fmt.Sprint(i), "names": []string{n}}
		}
		ops[opMatch] = func(ctx context.Context, _ int) (outcome, error) {
			var d struct {
				Match []struct {
					Candidates []struct {
						Match bool `json:"match"`
					} `json:"candidates"`
				} `json:"match"`
			}
			err := c.do(ctx, skeinMatch, map[string]any{"qs": qs}, &d)
			n := 0
			for _, r := range d.Match {
				if len(r.Candidates) > 0 && r.Candidates[0].Match {
					n++
				}
			}
			return outcome{Nodes: n}, err
		}
	}
	ops[opXref] = func(ctx context.Context, _ int) (outcome, error) {
		var d struct {
			Xref struct {
				TotalCount int `json:"totalCount"`
			} `json:"xref"`
		}
		var vars map[string]any
		if len(w.XrefIDs) > 0 {
			vars = map[string]any{"ids": w.XrefIDs}
		}
		err := c.do(ctx, skeinXref, vars, &d)
		return outcome{Nodes: d.Xref.TotalCount}, err
	}
	for d := 1; d <= 3; d++ {
		ops[nbrOp("hub", d)] = nbr(w.Hubs, d)
		ops[nbrOp("ordinary", d)] = nbr(w.Ordinary, d)
	}
	for d := 1; d <= 2; d++ {
		ops[asOfOp("hub", d)] = nbrQuery(skeinNbrAsOf, w.Hubs, d, w.AsOf)
		ops[asOfOp("ordinary", d)] = nbrQuery(skeinNbrAsOf, w.Ordinary, d, w.AsOf)
	}
	return ops
}

// peerType maps a kind to the peer's GraphQL type, its root query field
// and its relationship fields with their target types.
var peerTypes = map[string]struct {
	root   string
	fields [][2]string
}{
	"Person": {"people", [][2]string{
		{"memberOf", "Organization"}, {"associates", "Person"}, {"family", "Person"},
		{"directorOf", "Company"}, {"owns", "Company"}, {"employedBy", "Company"},
	}},
	"Organization": {"organizations", [][2]string{
		{"members", "Person"}, {"supplies", "Organization"}, {"partOf", "Organization"},
	}},
	"Company": {"companies", [][2]string{
		{"directors", "Person"}, {"ownerPersons", "Person"}, {"ownerCompanies", "Company"},
		{"ownedCompanies", "Company"}, {"employees", "Person"},
	}},
}

// peerNbrQuery nests every relationship field of typ to depth, each capped
// at perField, so the answer is a tree of about limit nodes per branch.
func peerNbrQuery(typ string, depth, perField int) string {
	var sel func(t string, d int) string
	sel = func(t string, d int) string {
		if d == 0 {
			return "id"
		}
		parts := []string{"id"}
		for _, f := range peerTypes[t].fields {
			parts = append(parts, fmt.Sprintf("%s(limit: %d) { %s }", f[0], perField, sel(f[1], d-1)))
		}
		return strings.Join(parts, " ")
	}
	return fmt.Sprintf(`query($id: ID!) { %s(where: {id: {eq: $id}}) { %s } }`, peerTypes[typ].root, sel(typ, depth))
}

// perFieldLimit is the cap on each nested field: the depth-th root of the
// neighbourhood limit, so a chain of nested fields holds at most about
// limit nodes.
func perFieldLimit(depth int) int {
	l := 1
	for {
		p := 1
		for range depth {
			p *= l + 1
		}
		if p > nbrLimit {
			return l
		}
		l++
	}
}

// countTree counts the id fields in a decoded answer.
func countTree(v any) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if k == "id" {
				n++
			} else {
				n += countTree(c)
			}
		}
	case []any:
		for _, c := range x {
			n += countTree(c)
		}
	}
	return n
}

func kindType(k string) string {
	switch k {
	case "ORGANIZATION":
		return "Organization"
	case "COMPANY":
		return "Company"
	}
	return "Person"
}

func peerOps(c *gqlClient, w *workload) map[string]op {
	nbr := func(ids []string, depth int) op {
		queries := make([]string, len(ids))
		for i, id := range ids {
			queries[i] = peerNbrQuery(kindType(string(w.kindOf[id])), depth, perFieldLimit(depth))
		}
		return func(ctx context.Context, i int) (outcome, error) {
			var d any
			err := c.do(ctx, queries[i%len(ids)], map[string]any{"id": ids[i%len(ids)]}, &d)
			return outcome{Nodes: countTree(d)}, err
		}
	}
	ops := map[string]op{
		opSearch: func(ctx context.Context, i int) (outcome, error) {
			return outcome{}, c.do(ctx, `query($q: String!) { searchEntities(query: $q, first: 20) { id } }`,
				map[string]any{"q": luceneQuery(w.Search[i%len(w.Search)])}, nil)
		},
		opPaths: func(ctx context.Context, i int) (outcome, error) {
			p := w.Paths[i%len(w.Paths)]
			return outcome{}, c.do(ctx, `query($f: ID!, $t: ID!) { pathLengths(from: $f, to: $t) }`,
				map[string]any{"f": p[0], "t": p[1]}, nil)
		},
		opShared: func(ctx context.Context, i int) (outcome, error) {
			p := w.Shared[i%len(w.Shared)]
			return outcome{}, c.do(ctx, `query($a: ID!, $b: ID!) { sharedAssociates(a: $a, b: $b) { id } }`,
				map[string]any{"a": p[0], "b": p[1]}, nil)
		},
	}
	for d := 1; d <= 3; d++ {
		ops[nbrOp("hub", d)] = nbr(w.Hubs, d)
		ops[nbrOp("ordinary", d)] = nbr(w.Ordinary, d)
	}
	return ops
}
