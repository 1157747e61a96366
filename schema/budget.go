package schema

import (
	"context"
	"sync/atomic"

	gqlerrors "github.com/graph-gophers/graphql-go/errors"
	"github.com/graph-gophers/graphql-go/introspection"
	"github.com/graph-gophers/graphql-go/trace/tracer"
)

// The response budget. The cost estimate is checked before execution; the
// budget bounds the response while graphql-go builds it, whatever the
// estimate said: every field executed (found by a tracer, which graphql-go
// calls for each field of each item) and every text a resolver returns
// are charged in bytes, about what they add to the JSON. When the budget
// is spent the request is cancelled, so that no further resolver runs, and
// the client gets TOO_COMPLEX instead of a partial response.

// DefaultMaxResponseBytes is the default of Options.MaxResponseBytes.
const DefaultMaxResponseBytes = 8 << 20

// fieldBytes is what a field adds to a response beyond its name and text:
// quotes, colon, comma and a short value.
const fieldBytes = 8

// budget is the response budget of one request.
type budget struct {
	limit    int64
	used     atomic.Int64
	exceeded atomic.Bool
	cancel   context.CancelFunc
}

// charge spends n bytes; past the limit it cancels the request.
func (b *budget) charge(n int) {
	if b == nil {
		return
	}
	if b.used.Add(int64(n)) > b.limit && !b.exceeded.Swap(true) {
		b.cancel()
	}
}

// refund gives back n bytes charged by an execution that was dropped
// before anything was written (the fast executor's, fast_exec.go).
func (b *budget) refund(n int) {
	if b != nil {
		b.used.Add(-int64(n))
	}
}

// chargeText charges the texts a resolver returns.
func (req *request) chargeText(ss ...string) {
	if req == nil || req.budget == nil {
		return
	}
	n := 0
	for _, s := range ss {
		n += len(s) + fieldBytes
	}
	req.budget.charge(n)
}

// budgetTracer charges every executed field to its request's budget.
type budgetTracer struct{}

var _ tracer.Tracer = budgetTracer{}

func (budgetTracer) TraceQuery(ctx context.Context, _, _ string, _ map[string]any, _ map[string]*introspection.Type) (context.Context, tracer.QueryFinishFunc) {
	return ctx, func([]*gqlerrors.QueryError) {}
}

func (budgetTracer) TraceField(ctx context.Context, _, _, fieldName string, _ bool, _ map[string]any) (context.Context, tracer.FieldFinishFunc) {
	if req, ok := ctx.Value(requestKey{}).(*request); ok {
		req.budget.charge(len(fieldName) + fieldBytes)
	}
	return ctx, func(*gqlerrors.QueryError) {}
}
