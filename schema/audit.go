package schema

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
)

// ActionAudit reads the audit trail.
const ActionAudit Action = "audit"

// AuditQuery selects audit entries, newest first.
type AuditQuery struct {
	First int
	After string
	Since time.Time
	Actor string
}

// AuditEntry is one recorded operation.
type AuditEntry struct {
	Seq       int64
	Time      time.Time
	Actor     string
	Role      string
	Kind      string
	Remote    string
	Operation string
	Query     string
	// QueryBytes and QuerySHA256 describe the whole text; Query may be
	// its start only (QueryTruncated). Likewise for the variables.
	QueryBytes         int
	QuerySHA256        string
	QueryTruncated     bool
	Variables          string
	VariablesBytes     int
	VariablesSHA256    string
	VariablesTruncated bool
	Target             string
	Status             int
	Outcome            string
	ResultBytes        int64
	DurationMS         float64
}

// AuditPage is one page of entries.
type AuditPage struct {
	Entries     []AuditEntry
	HasNextPage bool
	EndCursor   string
}

// AuditReader reads the audit trail that the server keeps (cmd/skein owns
// the log; the schema only exposes it).
type AuditReader func(ctx context.Context, q AuditQuery) (AuditPage, error)

func (r *resolver) AuditLog(ctx context.Context, args struct {
	First graphql.NullInt
	After *string
	Since *string
	Actor *string
}) (*auditConnection, error) {
	if err := r.allow(ctx, ActionAudit); err != nil {
		return nil, err
	}
	if r.audit == nil {
		return nil, newError(CodeUnavailable, "this server keeps no audit log")
	}
	first, err := intArg("auditLog: first", args.First, graph.DefaultAuditFirst, 1, graph.MaxAuditFirst)
	if err != nil {
		return nil, err
	}
	q := AuditQuery{First: first}
	if args.After != nil {
		q.After = *args.After
	}
	if args.Actor != nil {
		q.Actor = *args.Actor
	}
	if args.Since != nil {
		t, err := time.Parse(time.RFC3339, *args.Since)
		if err != nil {
			return nil, newError(CodeBadUserInput, fmt.Sprintf("auditLog: since %q is not an RFC 3339 time", *args.Since))
		}
		q.Since = t
	}
	page, err := r.audit(ctx, q)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return &auditConnection{page: page}, nil
}

type auditConnection struct{ page AuditPage }

func (c *auditConnection) Nodes() []*auditEntry {
	out := make([]*auditEntry, len(c.page.Entries))
	for i := range c.page.Entries {
		out[i] = &auditEntry{e: c.page.Entries[i]}
	}
	return out
}

func (c *auditConnection) PageInfo() *auditPageInfo { return &auditPageInfo{c.page} }

type auditPageInfo struct{ page AuditPage }

func (p *auditPageInfo) HasNextPage() bool { return p.page.HasNextPage }
func (p *auditPageInfo) EndCursor() *string {
	if p.page.EndCursor == "" {
		return nil
	}
	return &p.page.EndCursor
}

type auditEntry struct{ e AuditEntry }

func (a *auditEntry) Seq() int32         { return int32(a.e.Seq) }
func (a *auditEntry) Time() string       { return a.e.Time.UTC().Format(time.RFC3339Nano) }
func (a *auditEntry) Actor() string      { return a.e.Actor }
func (a *auditEntry) Role() string       { return a.e.Role }
func (a *auditEntry) Kind() string       { return a.e.Kind }
func (a *auditEntry) Remote() *string    { return optional(a.e.Remote) }
func (a *auditEntry) Operation() *string { return optional(a.e.Operation) }
func (a *auditEntry) QueryBytes() *int32 {
	if a.e.QueryBytes == 0 {
		return nil
	}
	n := int32(min(a.e.QueryBytes, math.MaxInt32))
	return &n
}
func (a *auditEntry) QuerySha256() *string     { return optional(a.e.QuerySHA256) }
func (a *auditEntry) QueryTruncated() bool     { return a.e.QueryTruncated }
func (a *auditEntry) VariablesSha256() *string { return optional(a.e.VariablesSHA256) }
func (a *auditEntry) VariablesTruncated() bool { return a.e.VariablesTruncated }
func (a *auditEntry) VariablesBytes() *int32 {
	if a.e.VariablesBytes == 0 {
		return nil
	}
	n := int32(min(a.e.VariablesBytes, math.MaxInt32))
	return &n
}
func (a *auditEntry) Query() *string       { return optional(a.e.Query) }
func (a *auditEntry) Variables() *string   { return optional(a.e.Variables) }
func (a *auditEntry) Target() *string      { return optional(a.e.Target) }
func (a *auditEntry) Status() int32        { return int32(a.e.Status) }
func (a *auditEntry) Outcome() string      { return a.e.Outcome }
func (a *auditEntry) ResultBytes() float64 { return float64(a.e.ResultBytes) }
func (a *auditEntry) DurationMs() float64  { return a.e.DurationMS }
