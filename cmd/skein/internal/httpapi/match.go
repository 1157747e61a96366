package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
	"github.com/skein-project/skein/schema"
)

// screening serves POST /api/match: a batch of queries as CSV or JSON
// lines, answered in the same format.
type screening struct {
	store   graph.Store
	timeout time.Duration
	slots   *schema.AnalysisSlots // shared with GraphQL's match and xref
}

// matchFormat is the wire format of /api/match, from the Content-Type
// (text/csv; application/x-ndjson, application/jsonl or application/json
// for JSON lines) or the format query parameter (csv, jsonl).
type matchFormat string

const (
	matchCSV   matchFormat = "csv"
	matchJSONL matchFormat = "jsonl"
)

func matchFormatOf(c *gin.Context) (matchFormat, error) {
	switch c.Query("format") {
	case "csv":
		return matchCSV, nil
	case "jsonl", "ndjson":
		return matchJSONL, nil
	case "":
	default:
		return "", fmt.Errorf("format %q: want csv or jsonl: %w", c.Query("format"), graph.ErrInvalid)
	}
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	switch mt {
	case "text/csv":
		return matchCSV, nil
	case "application/x-ndjson", "application/jsonl", "application/json", "application/x-jsonlines":
		return matchJSONL, nil
	}
	return "", fmt.Errorf("send the queries as text/csv or application/x-ndjson (JSON lines), or say ?format=csv|jsonl: %w", graph.ErrInvalid)
}

// csvColumns are the columns a CSV of queries may have (header row first,
// any order, case-insensitive); lists are separated by ';'.
var csvColumns = []string{"key", "kind", "names", "birthdate", "countries", "identifiers"}

func (m screening) match(c *gin.Context) {
	f, err := matchFormatOf(c)
	if err != nil {
		writeCoded(c, err)
		return
	}
	var o graph.MatchOptions
	if v := c.Query("threshold"); v != "" {
		if o.Threshold, err = strconv.ParseFloat(v, 64); err != nil || o.Threshold == 0 {
			writeCoded(c, fmt.Errorf("threshold %q: want a number above 0 and at most 1: %w", v, graph.ErrInvalid))
			return
		}
	}
	if v := c.Query("limit"); v != "" {
		if o.Limit, err = strconv.Atoi(v); err != nil || o.Limit < 1 {
			writeCoded(c, fmt.Errorf("limit %q: want a whole number from 1 to %d: %w", v, graph.MaxMatchLimit, graph.ErrInvalid))
			return
		}
	}
	if c.Request.ContentLength > graph.MaxMatchBodyBytes {
		writeCoded(c, fmt.Errorf("body larger than %d bytes: %w", graph.MaxMatchBodyBytes, graph.ErrTooLarge))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, graph.MaxMatchBodyBytes))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			err = fmt.Errorf("body larger than %d bytes: %w", graph.MaxMatchBodyBytes, graph.ErrTooLarge)
		}
		writeCoded(c, err)
		return
	}
	var qs []graph.MatchQuery
	if f == matchCSV {
		qs, err = readMatchCSV(body)
	} else {
		qs, err = readMatchJSONL(body)
	}
	if err != nil {
		writeCoded(c, err)
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), m.timeout)
	defer cancel()
	release, err := m.slots.Acquire(ctx)
	if err != nil {
		writeCoded(c, err)
		return
	}
	defer release()
	res, err := graph.Match(ctx, m.store, qs, o)
	if err != nil {
		writeCoded(c, err)
		return
	}
	exposure, err := m.exposures(ctx, res)
	if err != nil {
		writeCoded(c, err)
		return
	}
	var out bytes.Buffer
	if f == matchCSV {
		err = writeMatchCSV(&out, qs, res, exposure)
		c.Header("Content-Type", "text/csv; charset=utf-8")
	} else {
		err = writeMatchJSONL(&out, res, exposure)
		c.Header("Content-Type", "application/x-ndjson")
	}
	if err != nil {
		writeCoded(c, err)
		return
	}
	c.Data(http.StatusOK, c.Writer.Header().Get("Content-Type"), out.Bytes())
}

// exposures computes sanctionsExposure (default hops) of every candidate
// that matches; others get none, which bounds the work by the matches.
func (m screening) exposures(ctx context.Context, res []graph.MatchResult) (map[string][]analysis.Exposure, error) {
	out := map[string][]analysis.Exposure{}
	for _, r := range res {
		for _, c := range r.Candidates {
			if _, done := out[c.Entity.ID]; done || !c.Match {
				continue
			}
			xs, err := analysis.SanctionsExposureIn(ctx, m.store, graph.ExposureQuery{ID: c.Entity.ID, MaxHops: graph.DefaultExposureHops})
			if err != nil {
				return nil, err
			}
			out[c.Entity.ID] = xs
		}
	}
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ";") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func readMatchCSV(body []byte) ([]graph.MatchQuery, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("csv: no header row (columns %s): %w", strings.Join(csvColumns, ", "), graph.ErrInvalid)
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "name" {
			h = "names"
		}
		if !slices.Contains(csvColumns, h) {
			return nil, fmt.Errorf("csv: unknown column %q (columns are %s): %w", head[i], strings.Join(csvColumns, ", "), graph.ErrInvalid)
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("csv: column %q twice: %w", h, graph.ErrInvalid)
		}
		col[h] = i
	}
	if _, ok := col["names"]; !ok {
		return nil, fmt.Errorf("csv: a names (or name) column is required: %w", graph.ErrInvalid)
	}
	var qs []graph.MatchQuery
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("csv: %v: %w", err, graph.ErrInvalid)
		}
		if len(qs) == graph.MaxMatchQueries {
			return nil, fmt.Errorf("csv: more than %d queries: %w", graph.MaxMatchQueries, graph.ErrTooComplex)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		q := graph.MatchQuery{Key: get("key"), Kind: graph.Kind(strings.ToUpper(get("kind"))), Names: splitList(get("names")),
			BirthDate: get("birthdate"), Countries: splitList(get("countries")), Identifiers: splitList(get("identifiers"))}
		if err := q.Normalize(len(qs)); err != nil {
			return nil, fmt.Errorf("csv line %d: %w", line, err)
		}
		qs = append(qs, q)
	}
	return qs, nil
}

func readMatchJSONL(body []byte) ([]graph.MatchQuery, error) {
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), graph.MaxMatchBodyBytes)
	var qs []graph.MatchQuery
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		if len(qs) == graph.MaxMatchQueries {
			return nil, fmt.Errorf("jsonl: more than %d queries: %w", graph.MaxMatchQueries, graph.ErrTooComplex)
		}
		var q graph.MatchQuery
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&q); err != nil {
			return nil, fmt.Errorf("jsonl line %d: %v (want an object of key, kind, names, birthDate, countries, identifiers): %w", line, err, graph.ErrInvalid)
		}
		q.Kind = graph.Kind(strings.ToUpper(string(q.Kind)))
		if err := q.Normalize(len(qs)); err != nil {
			return nil, fmt.Errorf("jsonl line %d: %w", line, err)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("jsonl: %v: %w", err, graph.ErrInvalid)
	}
	return qs, nil
}

// Answers. Each candidate carries its entity's id, kind and name, its
// score, match and features, and (for matches) the designated parties it
// is exposed to.
type matchLine struct {
	Key        string          `json:"key,omitempty"`
	Candidates []candidateLine `json:"candidates"`
}

type candidateLine struct {
	Entity   entityRef            `json:"entity"`
	Score    float64              `json:"score"`
	Match    bool                 `json:"match"`
	Features []graph.MatchFeature `json:"features"`
	Exposure []exposureLine       `json:"exposure"`
}

type entityRef struct {
	ID   string     `json:"id"`
	Kind graph.Kind `json:"kind"`
	Name string     `json:"name"`
}

type exposureLine struct {
	Entity entityRef `json:"entity"`
	Regime string    `json:"regime"`
	Hops   int       `json:"hops"`
}

func exposureLines(xs []analysis.Exposure) []exposureLine {
	out := make([]exposureLine, len(xs))
	for i, x := range xs {
		out[i] = exposureLine{Entity: entityRef{x.Entity.ID, x.Entity.Kind, x.Entity.Name}, Regime: x.Designation.Regime, Hops: x.Path.Length()}
	}
	return out
}

func writeMatchJSONL(w io.Writer, res []graph.MatchResult, exp map[string][]analysis.Exposure) error {
	enc := json.NewEncoder(w)
	for _, r := range res {
		l := matchLine{Key: r.Key, Candidates: []candidateLine{}}
		for _, c := range r.Candidates {
			l.Candidates = append(l.Candidates, candidateLine{Entity: entityRef{c.Entity.ID, c.Entity.Kind, c.Entity.Name},
				Score: c.Score, Match: c.Match, Features: c.Features, Exposure: exposureLines(exp[c.Entity.ID])})
		}
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return nil
}

// matchCSVHeader is the answer's columns: one row per candidate, and one
// row with empty candidate columns for a query without any, so every query
// is answered.
var matchCSVHeader = []string{"key", "query", "rank", "entity_id", "entity_kind", "entity_name", "score", "match", "features", "exposure"}

func writeMatchCSV(w io.Writer, qs []graph.MatchQuery, res []graph.MatchResult, exp map[string][]analysis.Exposure) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(matchCSVHeader); err != nil {
		return err
	}
	for i, r := range res {
		query := strings.Join(qs[i].Names, "; ")
		if len(r.Candidates) == 0 {
			if err := cw.Write([]string{r.Key, query, "", "", "", "", "", "", "", ""}); err != nil {
				return err
			}
		}
		for k, c := range r.Candidates {
			var fs, xs []string
			for _, f := range c.Features {
				fs = append(fs, fmt.Sprintf("%s %+g: %s", f.Name, f.Score, f.Detail))
			}
			for _, x := range exp[c.Entity.ID] {
				xs = append(xs, fmt.Sprintf("%s (%s, %d hops)", x.Entity.ID, x.Designation.Regime, x.Path.Length()))
			}
			row := []string{r.Key, query, strconv.Itoa(k + 1), c.Entity.ID, string(c.Entity.Kind), c.Entity.Name,
				strconv.FormatFloat(c.Score, 'f', -1, 64), strconv.FormatBool(c.Match), strings.Join(fs, " | "), strings.Join(xs, "; ")}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
