package schema

import (
	"context"
	"errors"
	"log/slog"

	"github.com/skein-project/skein/graph"
)

// Error codes carried in extensions.code.
const (
	CodeNotFound         = "NOT_FOUND"
	CodeBadUserInput     = "BAD_USER_INPUT"
	CodeUnauthenticated  = "UNAUTHENTICATED"
	CodeForbidden        = "FORBIDDEN"
	CodeTooComplex       = "TOO_COMPLEX"
	CodeTimeout          = "TIMEOUT"
	CodeUnavailable      = "UNAVAILABLE"
	CodeInternal         = "INTERNAL_SERVER_ERROR"
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
)

// ErrUnauthenticated and ErrForbidden are what Options.Authorize returns
// (wrapped or not) to refuse a request.
var (
	ErrUnauthenticated = errors.New("unauthenticated")
	ErrForbidden       = errors.New("forbidden")
)

// Error is a GraphQL error with a code. graphql-go copies Extensions into the
// response only when the resolver returns this type itself, not wrapped, so
// resolvers return the result of fail.
type Error struct {
	Code    string
	Message string
	Err     error
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Extensions is read by graphql-go into the error's "extensions".
func (e *Error) Extensions() map[string]any { return map[string]any{"code": e.Code} }

// codeOf maps an error to its code, or "" when it is not a user error.
func codeOf(err error) string {
	var ge *Error
	switch {
	case errors.As(err, &ge):
		return ge.Code
	case errors.Is(err, graph.ErrNotFound):
		return CodeNotFound
	case errors.Is(err, graph.ErrInvalid):
		return CodeBadUserInput
	case errors.Is(err, graph.ErrTooComplex):
		return CodeTooComplex
	case errors.Is(err, graph.ErrTimeout), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, context.Canceled):
		return CodeTimeout
	case errors.Is(err, graph.ErrUnavailable):
		return CodeUnavailable
	case errors.Is(err, ErrUnauthenticated):
		return CodeUnauthenticated
	case errors.Is(err, ErrForbidden):
		return CodeForbidden
	}
	return ""
}

// fail turns any error into an *Error for the response. Errors that are not
// the user's (bugs, driver failures) are logged and reported without their
// text, which may hold internals.
func fail(ctx context.Context, log *slog.Logger, err error) error {
	if err == nil {
		return nil
	}
	var ge *Error
	if errors.As(err, &ge) {
		return ge
	}
	code := codeOf(err)
	if code == "" {
		log.ErrorContext(ctx, "graphql: internal error", "err", err)
		return &Error{Code: CodeInternal, Message: "internal error", Err: err}
	}
	msg := err.Error()
	if code == CodeTimeout {
		msg = "the request took longer than its time limit: " + msg
	}
	return &Error{Code: code, Message: msg, Err: err}
}

func newError(code, msg string) *Error { return &Error{Code: code, Message: msg} }
