package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestErrorTable(t *testing.T) {
	cases := []struct {
		err    error
		code   string
		status int
	}{
		{fmt.Errorf("entity x: %w", ErrNotFound), CodeNotFound, http.StatusNotFound},
		{fmt.Errorf("bad kind: %w", ErrInvalid), CodeBadUserInput, http.StatusBadRequest},
		{fmt.Errorf("cost: %w", ErrTooComplex), CodeTooComplex, http.StatusUnprocessableEntity},
		{fmt.Errorf("upload: %w", ErrTooLarge), CodeTooComplex, http.StatusRequestEntityTooLarge},
		{fmt.Errorf("dial tcp 10.0.0.1:7687: %w", ErrUnavailable), CodeUnavailable, http.StatusServiceUnavailable},
		{fmt.Errorf("query: %w", context.DeadlineExceeded), CodeTimeout, http.StatusGatewayTimeout},
		{ErrUnauthenticated, CodeUnauthenticated, http.StatusUnauthorized},
		{fmt.Errorf("viewer: %w", ErrForbidden), CodeForbidden, http.StatusForbidden},
		{ErrRateLimited, CodeRateLimited, http.StatusTooManyRequests},
		{fmt.Errorf("write /data/audit.log: no space left: %w", ErrNotAudited), CodeAuditUnavailable, http.StatusServiceUnavailable},
		{errors.New("bbolt: page 12 out of range"), CodeInternal, http.StatusInternalServerError},
	}
	for _, c := range cases {
		if got := Code(c.err); got != c.code {
			t.Errorf("Code(%v) = %s, want %s", c.err, got, c.code)
		}
		if got := HTTPStatus(c.err); got != c.status {
			t.Errorf("HTTPStatus(%v) = %d, want %d", c.err, got, c.status)
		}
	}
	// Internal text never reaches a client.
	for _, err := range []error{
		errors.New("bbolt: page 12 out of range"),
		fmt.Errorf("dial tcp 10.0.0.1:7687: %w", ErrUnavailable),
		fmt.Errorf("write /data/audit.log: %w", ErrNotAudited),
	} {
		if msg := PublicMessage(err); strings.Contains(msg, "10.0.0.1") || strings.Contains(msg, "bbolt") || strings.Contains(msg, "/data") {
			t.Errorf("PublicMessage(%v) = %q leaks internals", err, msg)
		}
	}
	if msg := PublicMessage(fmt.Errorf("kind ALIEN is unknown: %w", ErrInvalid)); !strings.Contains(msg, "ALIEN") {
		t.Errorf("the caller's mistake must be explained: %q", msg)
	}
}
