package neo4j

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
)

// translate maps driver and server errors onto the graph sentinels,
// keeping the cause in the chain. Errors that already carry a sentinel (our
// own, returned from inside a transaction function) pass unchanged.
func translate(err error) error {
	if err == nil {
		return nil
	}
	for _, sentinel := range []error{graph.ErrNotFound, graph.ErrInvalid, graph.ErrTooComplex, graph.ErrUnavailable, graph.ErrTimeout, graph.ErrConflict} {
		if errors.Is(err, sentinel) {
			return err
		}
	}
	if n4e := outOfMemory(err); n4e != nil {
		return &memoryError{cause: n4e}
	}
	if s := classify(err); s != nil {
		return fmt.Errorf("%w: %w", s, err)
	}
	return err
}

// memoryError is a transaction that Neo4j stopped at its memory limit
// (db.memory.transaction.max for one transaction, or the pool of all,
// db.memory.transaction.total.max). That is the request's size, not the
// server's health, so it reads as ErrTooComplex: UNAVAILABLE would tell
// the client to send the same request again. Its text is what clients read
// (ErrTooComplex shows the error's own text), so the driver's message
// stays in the chain, not in the text; run logs it.
type memoryError struct{ cause *neo4jdrv.Neo4jError }

func (e *memoryError) Error() string {
	return "the request needs more memory than the Neo4j server lets a transaction use " +
		"(db.memory.transaction.max, db.memory.transaction.total.max): ask for less: " + graph.ErrTooComplex.Error()
}

func (e *memoryError) Unwrap() []error { return []error{graph.ErrTooComplex, e.cause} }

// outOfMemory returns Neo4j's error refusing a transaction more memory,
// err itself or the last attempt of the driver's retries (the pool's error
// is transient, so the driver retries it first), or nil.
func outOfMemory(err error) *neo4jdrv.Neo4jError {
	var limit *neo4jdrv.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		err = limit.Errors[len(limit.Errors)-1]
	}
	var n4e *neo4jdrv.Neo4jError
	if errors.As(err, &n4e) && (n4e.Code == "Neo.TransientError.General.MemoryPoolOutOfMemoryError" ||
		n4e.Code == "Neo.ClientError.General.TransactionOutOfMemoryError") {
		return n4e
	}
	return nil
}

// unreachable reports whether err says the server could not be reached
// (a connectivity failure, or retries that gave up on one).
func unreachable(err error) bool {
	var conn *neo4jdrv.ConnectivityError
	if errors.As(err, &conn) {
		return true
	}
	var limit *neo4jdrv.TransactionExecutionLimit
	if errors.As(err, &limit) {
		for _, e := range limit.Errors {
			if errors.As(e, &conn) {
				return true
			}
		}
	}
	return false
}

// classify returns the sentinel an error stands for, or nil.
func classify(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return graph.ErrTimeout
	}
	var limit *neo4jdrv.TransactionExecutionLimit
	if errors.As(err, &limit) {
		// Retries gave up: the last attempt's error says why.
		if n := len(limit.Errors); n > 0 {
			if s := classify(limit.Errors[n-1]); s != nil {
				return s
			}
		}
		if strings.Contains(limit.Cause, "context") || strings.Contains(limit.Cause, "deadline") {
			return graph.ErrTimeout
		}
		return graph.ErrUnavailable
	}
	var n4e *neo4jdrv.Neo4jError
	if errors.As(err, &n4e) {
		switch {
		case strings.HasPrefix(n4e.Code, "Neo.ClientError.Transaction.TransactionTimedOut"),
			n4e.Code == "Neo.TransientError.Transaction.LockAcquisitionTimeout":
			return graph.ErrTimeout
		case n4e.Code == "Neo.ClientError.Schema.ConstraintValidationFailed":
			return graph.ErrInvalid
		case n4e.Code == "Neo.ClientError.Security.Unauthorized",
			n4e.Code == "Neo.ClientError.Security.AuthenticationRateLimit",
			strings.HasPrefix(n4e.Code, "Neo.TransientError.General"),
			n4e.Code == "Neo.ClientError.Database.DatabaseNotFound",
			n4e.Code == "Neo.TransientError.Database.DatabaseUnavailable",
			n4e.Code == "Neo.ClientError.Cluster.NotALeader":
			return graph.ErrUnavailable
		}
		return nil
	}
	var conn *neo4jdrv.ConnectivityError
	if errors.As(err, &conn) {
		if classify(conn.Inner) == graph.ErrTimeout {
			return graph.ErrTimeout
		}
		return graph.ErrUnavailable
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		if netErr.Timeout() {
			return graph.ErrTimeout
		}
		return graph.ErrUnavailable
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return graph.ErrUnavailable
	}
	// The driver reports some pool and routing failures as plain errors.
	msg := err.Error()
	for _, m := range []string{"connection refused", "ConnectivityError", "unable to retrieve routing table", "no such host", "Timeout while waiting for connection", "connection reset"} {
		if strings.Contains(msg, m) {
			return graph.ErrUnavailable
		}
	}
	return nil
}
