package schema

import (
	"context"
	"errors"
	"log/slog"

	"github.com/skein-project/skein/graph"
)

// Error codes carried in extensions.code: graph's table, plus the two
// that only GraphQL documents raise.
const (
	CodeNotFound         = graph.CodeNotFound
	CodeBadUserInput     = graph.CodeBadUserInput
	CodeUnauthenticated  = graph.CodeUnauthenticated
	CodeForbidden        = graph.CodeForbidden
	CodeTooComplex       = graph.CodeTooComplex
	CodeTimeout          = graph.CodeTimeout
	CodeUnavailable      = graph.CodeUnavailable
	CodeInternal         = graph.CodeInternal
	CodeMethodNotAllowed = graph.CodeMethodNotAllowed
	CodeAuditUnavailable = graph.CodeAuditUnavailable
	CodeConflict         = graph.CodeConflict
	CodeParseFailed      = "GRAPHQL_PARSE_FAILED"
	CodeValidationFailed = "GRAPHQL_VALIDATION_FAILED"
)

// ErrUnauthenticated and ErrForbidden are what Options.Authorize returns
// (wrapped or not) to refuse a request.
var (
	ErrUnauthenticated = graph.ErrUnauthenticated
	ErrForbidden       = graph.ErrForbidden
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

// codeOf maps an error to its code (graph's table), or "" when it is not
// a user error.
func codeOf(err error) string {
	var ge *Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	if code := graph.Code(err); code != CodeInternal {
		return code
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
	return &Error{Code: code, Message: graph.PublicMessage(err), Err: err}
}

func newError(code, msg string) *Error { return &Error{Code: code, Message: msg} }
