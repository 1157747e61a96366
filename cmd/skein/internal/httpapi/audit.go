package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/skein-project/skein/cmd/skein/internal/audit"
	"github.com/skein-project/skein/schema"
)

// maxAuditedBody bounds what the audit middleware reads of a GraphQL body;
// the schema rejects larger bodies anyway.
const maxAuditedBody = 8 << 20

// audited records the request in the audit trail once it has been served.
func audited(log *audit.Log, logger *slog.Logger, kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		rec := audit.Record{Time: start.UTC(), Kind: kind}
		if who, ok := principalFrom(c.Request.Context()); ok {
			rec.Actor, rec.Role = who.ID, string(who.Role)
		}
		switch kind {
		case "graphql":
			describeGraphQL(c, &rec)
		case "export":
			rec.Target = c.Param("format") + "?" + c.Request.URL.RawQuery
		case "import":
			rec.Target = c.Query("format")
		}
		cw := &captureWriter{ResponseWriter: c.Writer}
		c.Writer = cw
		c.Next()
		rec.Status = cw.Status()
		rec.ResultBytes = cw.n
		rec.Outcome = outcome(rec.Status, cw.head.Bytes(), cw.n)
		rec.DurationMS = float64(time.Since(start).Microseconds()) / 1000
		if err := log.Append(rec); err != nil {
			logger.Error("audit log append failed", "err", err)
		}
	}
}

// describeGraphQL copies the operation out of the request without
// consuming the body.
func describeGraphQL(c *gin.Context, rec *audit.Record) {
	var req struct {
		Query         string          `json:"query"`
		OperationName string          `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
	}
	if c.Request.Method == http.MethodGet {
		req.Query = c.Query("query")
		req.OperationName = c.Query("operationName")
		if v := c.Query("variables"); v != "" && json.Valid([]byte(v)) {
			req.Variables = json.RawMessage(v)
		}
	} else if c.Request.Body != nil {
		b, err := io.ReadAll(io.LimitReader(c.Request.Body, maxAuditedBody+1))
		c.Request.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), c.Request.Body))
		if err == nil {
			_ = json.Unmarshal(b, &req) // a malformed body is the schema's to report
		}
	}
	rec.Query, rec.Operation = req.Query, req.OperationName
	if len(req.Variables) > 0 && string(req.Variables) != "null" {
		rec.Variables = req.Variables
	}
}

// outcome is "ok" or the error codes of the response.
func outcome(status int, head []byte, size int64) string {
	var body struct {
		Errors []struct {
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
		Code string `json:"code"`
	}
	parsed := int64(len(head)) == size && json.Unmarshal(head, &body) == nil
	var codes []string
	if parsed {
		for _, e := range body.Errors {
			if c := e.Extensions.Code; c != "" && !slices.Contains(codes, c) {
				codes = append(codes, c)
			}
		}
		if body.Code != "" {
			codes = append(codes, body.Code)
		}
	}
	switch {
	case len(codes) > 0:
		out := "error:"
		for i, c := range codes {
			if i > 0 {
				out += ","
			}
			out += c
		}
		return out
	case status >= 400:
		return "error:HTTP_" + strconv.Itoa(status)
	}
	return "ok"
}

// captureWriter counts the response and keeps its first bytes.
type captureWriter struct {
	gin.ResponseWriter
	n    int64
	head bytes.Buffer
}

const captureLimit = 64 << 10

func (w *captureWriter) Write(p []byte) (int, error) {
	if room := captureLimit - w.head.Len(); room > 0 {
		w.head.Write(p[:min(room, len(p))])
	}
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

func (w *captureWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// rateLimiter gives each principal a token bucket.
type rateLimiter struct {
	mu      sync.Mutex
	perSec  rate.Limit
	burst   int
	buckets map[string]*rate.Limiter
}

func newRateLimiter(perSec float64, burst int) *rateLimiter {
	return &rateLimiter{perSec: rate.Limit(perSec), burst: burst, buckets: map[string]*rate.Limiter{}}
}

// limit answers 429 before any work when the principal's bucket is empty.
func (l *rateLimiter) limit(c *gin.Context) {
	who, _ := principalFrom(c.Request.Context())
	l.mu.Lock()
	b, ok := l.buckets[who.ID]
	if !ok {
		b = rate.NewLimiter(l.perSec, l.burst)
		l.buckets[who.ID] = b
	}
	l.mu.Unlock()
	if !b.Allow() {
		c.Header("Retry-After", "1")
		writeCoded(c, http.StatusTooManyRequests, "RATE_LIMITED", "too many requests for this token; slow down")
		c.Abort()
		return
	}
	c.Next()
}

// auditQueryHandler serves GET /api/audit for admins.
func auditQueryHandler(log *audit.Log) gin.HandlerFunc {
	return func(c *gin.Context) {
		q := audit.Query{After: c.Query("after"), Actor: c.Query("actor")}
		if v := c.Query("first"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				writeCoded(c, http.StatusBadRequest, "BAD_USER_INPUT", "first must be a whole number")
				return
			}
			q.First = n
		}
		if v := c.Query("since"); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				writeCoded(c, http.StatusBadRequest, "BAD_USER_INPUT", "since must be an RFC 3339 time")
				return
			}
			q.Since = t
		}
		page, err := log.Query(c.Request.Context(), q)
		if err != nil {
			writeCoded(c, http.StatusBadRequest, "BAD_USER_INPUT", err.Error())
			return
		}
		c.JSON(http.StatusOK, page)
	}
}

// auditReaderOf serves the GraphQL auditLog field from the log.
func auditReaderOf(log *audit.Log) schema.AuditReader {
	return func(ctx context.Context, q schema.AuditQuery) (schema.AuditPage, error) {
		page, err := log.Query(ctx, audit.Query{First: q.First, After: q.After, Since: q.Since, Actor: q.Actor})
		if err != nil {
			return schema.AuditPage{}, err
		}
		out := schema.AuditPage{HasNextPage: page.HasNextPage, EndCursor: page.EndCursor}
		for _, r := range page.Records {
			out.Entries = append(out.Entries, schema.AuditEntry{
				Seq: r.Seq, Time: r.Time, Actor: r.Actor, Role: r.Role, Kind: r.Kind,
				Operation: r.Operation, Query: r.Query, Variables: string(r.Variables), Target: r.Target,
				Status: r.Status, Outcome: r.Outcome, ResultBytes: r.ResultBytes, DurationMS: r.DurationMS,
			})
		}
		return out, nil
	}
}
