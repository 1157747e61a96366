package schema

import (
	"context"
	"log/slog"
	"runtime/debug"

	gqlerrors "github.com/graph-gophers/graphql-go/errors"
)

// panicHandler turns a resolver panic into an INTERNAL_SERVER_ERROR error
// without its value, which may hold internals.
type panicHandler struct{}

func (panicHandler) MakePanicError(context.Context, any) *gqlerrors.QueryError {
	return &gqlerrors.QueryError{
		Message:    "internal error",
		Extensions: map[string]any{"code": CodeInternal},
	}
}

// panicLogger logs resolver panics through slog.
type panicLogger struct{ log *slog.Logger }

func (l *panicLogger) LogPanic(ctx context.Context, value any) {
	l.log.ErrorContext(ctx, "graphql: resolver panic", "panic", value, "stack", string(debug.Stack()))
}
