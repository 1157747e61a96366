package schema

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/skein-project/skein/graph"
)

// request is the state of one GraphQL request: what the resolvers share
// beyond their parents (the document cache, the write guard).
type request struct {
	readOnly     bool        // writes are refused (GraphQL over GET)
	writeRefused atomic.Bool // a mutation was refused because of readOnly
	budget       *budget     // the response budget, nil when unbounded

	docs once[map[string]graph.Document]
	// beforeWrite is Options.BeforeWrite's answer, asked once.
	beforeWrite once[struct{}]
	// sent is the request as decoded, for Options.BeforeWrite.
	sent Completed
	// leaveExecution gives the request's execution slot back (idempotent);
	// nil outside ServeHTTP.
	leaveExecution func()
}

type requestKey struct{}

func withRequest(ctx context.Context, method string) (context.Context, *request) {
	req := &request{readOnly: method == http.MethodGet}
	return context.WithValue(ctx, requestKey{}, req), req
}

// requestOf returns the request state, or a fresh one when the schema is
// executed without the HTTP handler (Schema.Exec).
func requestOf(ctx context.Context) *request {
	if req, ok := ctx.Value(requestKey{}).(*request); ok {
		return req
	}
	return &request{}
}

// once memoises one store call of a request; concurrent callers wait for
// the first. Unlike sync.OnceValues it does not keep a cancelled result
// beyond the request, since it lives only as long as the request.
type once[T any] struct {
	o   sync.Once
	v   T
	err error
}

func (o *once[T]) do(f func() (T, error)) (T, error) {
	o.o.Do(func() { o.v, o.err = f() })
	return o.v, o.err
}
