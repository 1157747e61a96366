package graph

import "errors"

// Sentinel errors. Stores wrap them with %w and callers match them with
// errors.Is; the GraphQL layer maps each to an extensions.code.
var (
	// ErrNotFound: the entity, link or document does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input breaks a rule of the domain (bad kind, empty
	// name, link to a missing entity, out-of-range argument).
	ErrInvalid = errors.New("invalid input")
	// ErrTooComplex: the request asks for more than the limits allow.
	ErrTooComplex = errors.New("request too complex")
	// ErrUnavailable: the backing database cannot be reached.
	ErrUnavailable = errors.New("store unavailable")
	// ErrTimeout: the request's deadline passed before the store answered.
	ErrTimeout = errors.New("timed out")
)
