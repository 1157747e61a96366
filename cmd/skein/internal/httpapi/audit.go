package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skein-project/skein/cmd/skein/internal/audit"
	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/schema"
)

// auditor records every request: GraphQL ones from the schema's
// OnResponse hook (where the parsed operation, variables, result size and
// error codes are known), every other route and every refusal (401, 403,
// 429, cross-site, bad input) from the middleware, at the moment the
// response's status is decided. A record that cannot be written turns the
// response into 503 AUDIT_UNAVAILABLE: nothing is answered unaudited.
type auditor struct {
	log    *audit.Log
	logger *slog.Logger
}

// pending is the audit record of one request, filled as it is served.
type pending struct {
	rec      audit.Record
	start    time.Time
	asset    bool   // a UI file: recorded only when refused
	code     string // the error code of a REST answer
	recorded bool   // the schema hook wrote it
}

type pendingKey struct{}

func pendingOf(ctx context.Context) *pending {
	p, _ := ctx.Value(pendingKey{}).(*pending)
	return p
}

// setCode notes the error code a route answers, for the audit.
func setCode(c *gin.Context, code string) {
	if p := pendingOf(c.Request.Context()); p != nil {
		p.code = code
	}
}

// kindOf names what a route does, in the audit.
func kindOf(path string) (kind string, asset bool) {
	switch {
	case path == "/graphql":
		return "graphql", false
	case strings.HasPrefix(path, "/api/export/"):
		return "export", false
	case path == "/api/import":
		return "import", false
	case path == "/api/audit":
		return "audit", false
	case path == "/auth/login":
		return "signin", false
	case path == "/auth/logout":
		return "signout", false
	case strings.HasPrefix(path, "/api/"):
		return "http", false
	}
	return "http", true
}

func (a *auditor) middleware(c *gin.Context) {
	start := time.Now()
	kind, asset := kindOf(c.Request.URL.Path)
	p := &pending{start: start, asset: asset, rec: audit.Record{
		Time: start.UTC(), Kind: kind, Remote: c.ClientIP(),
		Target: c.Request.Method + " " + c.Request.URL.Path,
	}}
	switch kind {
	case "export":
		p.rec.Target = strings.TrimPrefix(c.Request.URL.Path, "/api/export/") + "?" + c.Request.URL.RawQuery
	case "import":
		p.rec.Target = c.Query("format")
	case "audit":
		p.rec.Target = c.Request.URL.RawQuery
	}
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), pendingKey{}, p))
	if err := a.log.Healthy(); err != nil {
		// The last append failed: refuse before any work, recording the
		// refusal if the log has come back (the next request then runs).
		p.rec.Status, p.rec.Outcome = http.StatusServiceUnavailable, "error:"+graph.CodeAuditUnavailable
		_ = a.append(c, p)
		writeCoded(c, graph.ErrNotAudited)
		c.Abort()
		return
	}
	w := &commitWriter{ResponseWriter: c.Writer, commit: func(status, n int) error { return a.commit(c, p, status, n) }}
	c.Writer = w
	c.Next()
	w.decide(0)
}

// commit writes the record of a REST answer (or of a refusal before the
// schema ran) once its status is known.
func (a *auditor) commit(c *gin.Context, p *pending, status, n int) error {
	if p.recorded || (p.asset && status < 400) {
		return nil
	}
	p.rec.Status = status
	p.rec.ResultBytes = int64(n)
	switch {
	case p.code != "":
		p.rec.Outcome = "error:" + p.code
	case status >= 400:
		p.rec.Outcome = "error:HTTP_" + strconv.Itoa(status)
	default:
		p.rec.Outcome = "ok"
	}
	return a.append(c, p)
}

func (a *auditor) append(c *gin.Context, p *pending) error {
	if who, ok := principalFrom(c.Request.Context()); ok {
		p.rec.Actor, p.rec.Role = who.ID, string(who.Role)
	} else if p.rec.Actor == "" {
		p.rec.Actor = "anonymous"
	}
	p.rec.DurationMS = float64(time.Since(p.start).Microseconds()) / 1000
	p.recorded = true
	if err := a.log.Append(p.rec); err != nil {
		a.logger.Error("audit log append failed: request refused", "err", err)
		return err
	}
	return nil
}

// onResponse is the schema's hook: the GraphQL request as it was decoded
// and answered.
func (a *auditor) onResponse(ctx context.Context, done schema.Completed) error {
	p := pendingOf(ctx)
	if p == nil {
		return nil
	}
	p.rec.Operation, p.rec.Query, p.rec.Variables = done.Operation, done.Query, done.Variables
	p.rec.Status, p.rec.ResultBytes, p.rec.Target = done.Status, int64(done.ResultBytes), ""
	p.rec.Outcome = "ok"
	if len(done.Codes) > 0 {
		p.rec.Outcome = "error:" + strings.Join(done.Codes, ",")
	}
	if who, ok := principalFrom(ctx); ok {
		p.rec.Actor, p.rec.Role = who.ID, string(who.Role)
	}
	p.rec.DurationMS = float64(time.Since(p.start).Microseconds()) / 1000
	p.recorded = true
	if err := a.log.Append(p.rec); err != nil {
		a.logger.ErrorContext(ctx, "audit log append failed: request refused", "err", err)
		return err
	}
	return nil
}

// intent records that a write is starting, before it runs: if even that
// cannot be written the write is refused, so none runs unaudited. The
// request's own record follows when it is answered.
func (a *auditor) intent(ctx context.Context, sent schema.Completed) error {
	p := pendingOf(ctx)
	if p == nil {
		return nil
	}
	rec := p.rec
	rec.Outcome = "started"
	if sent.Query != "" {
		rec.Operation, rec.Query, rec.Variables, rec.Target = sent.Operation, sent.Query, sent.Variables, ""
	}
	if who, ok := principalFrom(ctx); ok {
		rec.Actor, rec.Role = who.ID, string(who.Role)
	}
	if err := a.log.Append(rec); err != nil {
		a.logger.ErrorContext(ctx, "audit log append failed: write refused", "err", err)
		return err
	}
	return nil
}

// intentHandler is intent for a REST route that writes (import).
func (a *auditor) intentHandler(c *gin.Context) {
	if err := a.intent(c.Request.Context(), schema.Completed{}); err != nil {
		writeCoded(c, codedErr(graph.ErrNotAudited, err.Error()))
		c.Abort()
		return
	}
	c.Next()
}

// commitWriter holds the status back until the first byte (or the end of
// the handler), so the audit record is written before anything reaches
// the client, and a failed record can still become a 503.
type commitWriter struct {
	gin.ResponseWriter
	commit  func(status, n int) error
	status  int
	decided bool
	refused bool
}

func (w *commitWriter) WriteHeader(code int) {
	if !w.decided {
		w.status = code
	}
}

func (w *commitWriter) WriteHeaderNow() { w.decide(0) }

func (w *commitWriter) Status() int {
	if w.decided {
		return w.ResponseWriter.Status()
	}
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

func (w *commitWriter) Written() bool { return w.decided }

func (w *commitWriter) decide(n int) {
	if w.decided {
		return
	}
	status := w.Status()
	w.decided = true
	if v := w.Header().Get("Content-Length"); v != "" {
		if cl, err := strconv.Atoi(v); err == nil {
			n = cl
		}
	}
	if err := w.commit(status, n); err != nil {
		w.refused = true
		h := w.Header()
		h.Del("Content-Disposition")
		h.Del("Content-Length")
		h.Set("Content-Type", "application/json; charset=utf-8")
		w.ResponseWriter.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.ResponseWriter.Write(auditUnavailableBody)
		return
	}
	w.ResponseWriter.WriteHeader(status)
}

var auditUnavailableBody = []byte(`{"error":"` + graph.PublicMessage(graph.ErrNotAudited) + `","code":"` + graph.CodeAuditUnavailable + `"}` + "\n")

func (w *commitWriter) Write(b []byte) (int, error) {
	w.decide(len(b))
	if w.refused {
		return len(b), nil // swallowed: the client got the 503
	}
	return w.ResponseWriter.Write(b)
}

func (w *commitWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

func (w *commitWriter) Flush() {
	w.decide(0)
	w.ResponseWriter.Flush()
}

// auditQueryHandler serves GET /api/audit for admins.
func auditQueryHandler(log *audit.Log) gin.HandlerFunc {
	return func(c *gin.Context) {
		q := audit.Query{After: c.Query("after"), Actor: c.Query("actor")}
		if v := c.Query("first"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				writeCoded(c, codedErr(graph.ErrInvalid, "first must be a whole number"))
				return
			}
			q.First = n
		}
		if v := c.Query("since"); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				writeCoded(c, codedErr(graph.ErrInvalid, "since must be an RFC 3339 time"))
				return
			}
			q.Since = t
		}
		page, err := log.Query(c.Request.Context(), q)
		if err != nil {
			writeCoded(c, auditReadError(err))
			return
		}
		c.JSON(http.StatusOK, page)
	}
}

// auditReadError maps a read failure: a bad cursor is the caller's.
func auditReadError(err error) error {
	if errors.Is(err, audit.ErrBadQuery) {
		return codedErr(graph.ErrInvalid, err.Error())
	}
	return err
}

// auditReaderOf serves the GraphQL auditLog field from the log.
func auditReaderOf(log *audit.Log) schema.AuditReader {
	return func(ctx context.Context, q schema.AuditQuery) (schema.AuditPage, error) {
		page, err := log.Query(ctx, audit.Query{First: q.First, After: q.After, Since: q.Since, Actor: q.Actor})
		if err != nil {
			return schema.AuditPage{}, auditReadError(err)
		}
		out := schema.AuditPage{HasNextPage: page.HasNextPage, EndCursor: page.EndCursor}
		for _, r := range page.Records {
			out.Entries = append(out.Entries, schema.AuditEntry{
				Seq: r.Seq, Time: r.Time, Actor: r.Actor, Role: r.Role, Kind: r.Kind, Remote: r.Remote,
				Operation: r.Operation, Query: r.Query, Variables: string(r.Variables), Target: r.Target,
				QueryBytes: r.QueryBytes, QuerySHA256: r.QuerySHA256, QueryTruncated: r.QueryTruncated,
				VariablesBytes: r.VariablesBytes, VariablesSHA256: r.VariablesSHA256, VariablesTruncated: r.VariablesTruncated,
				Status: r.Status, Outcome: r.Outcome, ResultBytes: r.ResultBytes, DurationMS: r.DurationMS,
			})
		}
		return out, nil
	}
}
