package graph

import (
	"context"
	"errors"
	"net/http"
)

// Sentinel errors. Stores wrap them with %w and callers match them with
// errors.Is; Code and HTTPStatus map each to the one code and status that
// GraphQL (extensions.code) and the REST routes ("code") both answer.
var (
	// ErrNotFound: the entity, link or document does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input breaks a rule of the domain (bad kind, empty
	// name, link to a missing entity, out-of-range argument).
	ErrInvalid = errors.New("invalid input")
	// ErrTooComplex: the request asks for more than the limits allow.
	ErrTooComplex = errors.New("request too complex")
	// ErrTooLarge: the request body is over its size limit.
	ErrTooLarge = errors.New("request too large")
	// ErrUnavailable: the backing database cannot be reached.
	ErrUnavailable = errors.New("store unavailable")
	// ErrStorageFull: the store could not write for want of space (disk
	// full, quota or file-size limit); nothing was written.
	ErrStorageFull = errors.New("no space left to write")
	// ErrTimeout: the request's deadline passed before the store answered.
	ErrTimeout = errors.New("timed out")
	// ErrUnauthenticated: no valid credentials came with the request.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: the caller's role may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrRateLimited: the caller sent more requests than its limit.
	ErrRateLimited = errors.New("rate limited")
	// ErrMethodNotAllowed: the HTTP method may not do this (a mutation
	// over GET).
	ErrMethodNotAllowed = errors.New("method not allowed")
	// ErrNotAudited: the audit record of the request could not be
	// written, so the request is refused: nothing runs unaudited.
	ErrNotAudited = errors.New("audit log unavailable")
	// ErrConflict: a write was based on a version of a record that is no
	// longer the stored one (someone else saved in between), or creates a
	// record that already exists.
	ErrConflict = errors.New("conflict")
)

// Codes carried by errors over GraphQL and REST.
const (
	CodeNotFound         = "NOT_FOUND"
	CodeBadUserInput     = "BAD_USER_INPUT"
	CodeTooComplex       = "TOO_COMPLEX"
	CodeUnavailable      = "UNAVAILABLE"
	CodeTimeout          = "TIMEOUT"
	CodeUnauthenticated  = "UNAUTHENTICATED"
	CodeForbidden        = "FORBIDDEN"
	CodeRateLimited      = "RATE_LIMITED"
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	CodeAuditUnavailable = "AUDIT_UNAVAILABLE"
	CodeConflict         = "CONFLICT"
	CodeStorageFull      = "STORAGE_FULL"
	CodeInternal         = "INTERNAL_SERVER_ERROR"
)

// errorCode is one row of the error table. Public, when set, replaces the
// error's text in responses: the text of those errors may hold internals
// (driver messages, paths) that must not reach a client.
type errorCode struct {
	err    error
	code   string
	status int
	public string
}

// errorTable is the one map from errors to codes and HTTP statuses, first
// match wins. Add a sentinel above and a row here.
var errorTable = []errorCode{
	{ErrNotFound, CodeNotFound, http.StatusNotFound, ""},
	{ErrInvalid, CodeBadUserInput, http.StatusBadRequest, ""},
	{ErrTooLarge, CodeTooComplex, http.StatusRequestEntityTooLarge, ""},
	{ErrTooComplex, CodeTooComplex, http.StatusUnprocessableEntity, ""},
	{ErrUnauthenticated, CodeUnauthenticated, http.StatusUnauthorized, ""},
	{ErrForbidden, CodeForbidden, http.StatusForbidden, ""},
	{ErrRateLimited, CodeRateLimited, http.StatusTooManyRequests, ""},
	{ErrMethodNotAllowed, CodeMethodNotAllowed, http.StatusMethodNotAllowed, ""},
	{ErrConflict, CodeConflict, http.StatusConflict, ""},
	{ErrNotAudited, CodeAuditUnavailable, http.StatusServiceUnavailable,
		"the audit log cannot be written, so the request was refused; tell the administrator"},
	{ErrTimeout, CodeTimeout, http.StatusGatewayTimeout, "the request took longer than its time limit"},
	{context.DeadlineExceeded, CodeTimeout, http.StatusGatewayTimeout, "the request took longer than its time limit"},
	{context.Canceled, CodeTimeout, http.StatusGatewayTimeout, "the request was cancelled"},
	{ErrStorageFull, CodeStorageFull, http.StatusInsufficientStorage,
		"the store has no space left to write, so nothing was written; tell the administrator"},
	{ErrUnavailable, CodeUnavailable, http.StatusServiceUnavailable, "the store is unavailable; try again shortly"},
}

var internalCode = errorCode{code: CodeInternal, status: http.StatusInternalServerError, public: "internal error"}

func lookupCode(err error) errorCode {
	for _, row := range errorTable {
		if errors.Is(err, row.err) {
			return row
		}
	}
	return internalCode
}

// Code is err's code; CodeInternal for an error no sentinel explains (a
// bug or an unexpected failure).
func Code(err error) string { return lookupCode(err).code }

// HTTPStatus is the status a REST route answers for err.
func HTTPStatus(err error) int { return lookupCode(err).status }

// StatusOfCode is the HTTP status of a code (the first row that has it).
func StatusOfCode(code string) int {
	for _, row := range errorTable {
		if row.code == code {
			return row.status
		}
	}
	if code == CodeInternal {
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// PublicMessage is what a client may read of err: the error's own text
// for the caller's mistakes, a fixed sentence for everything else.
func PublicMessage(err error) string {
	if row := lookupCode(err); row.public != "" {
		return row.public
	}
	return err.Error()
}
