package schema

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/skein-project/skein/graph"
)

// Execution slots. On the embedded store a GraphQL request is CPU work
// from parse to the last field: run 64 of them at once on 2 cores and the
// scheduler shares the cores between all of them, so that a cheap request
// admitted behind a few hub neighbourhoods takes as long as they do, and
// the live heap of 64 half-built answers makes the collector run all the
// time (the mixed load's p99 was 8.3x its p50). A fixed number execute at
// once; the others wait in arrival order, so that a request's latency is
// the work queued ahead of it plus its own, whatever it asks for. A waiter
// whose deadline passes or whose client goes away leaves the queue and is
// answered TIMEOUT.
//
// The cost check runs before the queue (a refused query does not wait),
// and a request that starts an analysis gives its slot back: the analysis
// slots bound those, and a read should not wait behind a whole-graph
// centrality.

// DefaultMaxExecuting is the default of Options.MaxExecuting: one request
// per core.
func DefaultMaxExecuting() int { return runtime.GOMAXPROCS(0) }

// remoteExecutingPerCore is DefaultMaxExecutingRemote per core: in the
// mixed load at 1M entities on 2 cores, 2 per core had p99/p50 1.6-2.5x
// over four runs alternated with 4 per core (1.9-4.0x) and no bound
// (5.6-13.1x), at the same throughput as no bound.
const remoteExecutingPerCore = 2

// DefaultMaxExecutingRemote is the bound for a store whose work a database
// server does (Neo4j; skein serve takes it there): a few requests per core,
// since each spends much of its time waiting on the database, and one per
// core would leave both idle. Unbounded, all 64 clients of the mixed load
// had a transaction in Neo4j at once, which shares its CPU between them:
// at 1M entities the hub neighbourhoods' own tail (p99 4-7 s, against
// 1-1.5 s for an ordinary one) was the load's p99, 5.6-13x its p50.
// Bounded, the others wait here in arrival order, a wait that every
// request shares whatever it asks for.
func DefaultMaxExecutingRemote() int { return remoteExecutingPerCore * runtime.GOMAXPROCS(0) }

// ExecutionSlots bounds the requests executing at once, first come first
// served. It is safe for concurrent use.
type ExecutionSlots struct {
	mu      sync.Mutex
	size    int
	busy    int
	waiters list.List // of chan struct{}, closed when the slot is handed over
}

// NewExecutionSlots makes n slots; n == 0 means DefaultMaxExecuting, and
// n < 0 no bound (nil).
func NewExecutionSlots(n int) *ExecutionSlots {
	if n < 0 {
		return nil
	}
	if n == 0 {
		n = DefaultMaxExecuting()
	}
	return &ExecutionSlots{size: n}
}

// Cap is the number of slots (0: unbounded).
func (s *ExecutionSlots) Cap() int {
	if s == nil {
		return 0
	}
	return s.size
}

// Waiting is the number of requests waiting for a slot.
func (s *ExecutionSlots) Waiting() int {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waiters.Len()
}

// Acquire waits for a slot, behind the requests that asked before, until
// ctx is done; the error then wraps ctx.Err(). release gives the slot back
// (to the first waiter) and may be called more than once. On nil slots
// Acquire returns at once.
func (s *ExecutionSlots) Acquire(ctx context.Context) (release func(), err error) {
	if s == nil {
		return func() {}, nil
	}
	s.mu.Lock()
	if s.busy < s.size && s.waiters.Len() == 0 {
		s.busy++
		s.mu.Unlock()
		return s.releaser(), nil
	}
	granted := make(chan struct{})
	e := s.waiters.PushBack(granted)
	s.mu.Unlock()
	select {
	case <-granted:
		return s.releaser(), nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	select {
	case <-granted:
		// Handed over just as ctx ended: pass it on.
		s.mu.Unlock()
		s.release()
	default:
		s.waiters.Remove(e)
		s.mu.Unlock()
	}
	return nil, fmt.Errorf("waiting for one of the %d execution slots: %w", s.size, ctx.Err())
}

func (s *ExecutionSlots) releaser() func() {
	var once sync.Once
	return func() { once.Do(s.release) }
}

// release hands the slot to the first waiter, or frees it.
func (s *ExecutionSlots) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.waiters.Front(); e != nil {
		s.waiters.Remove(e)
		close(e.Value.(chan struct{})) // busy stays: the slot changes hands
		return
	}
	s.busy--
}

// waitError is the response of a request that left the queue: TIMEOUT
// (graph's code of a passed deadline or a cancelled request), saying that
// it never ran.
func waitError(err error, slots int) *Error {
	code := graph.Code(err)
	msg := fmt.Sprintf("the server is busy: the request waited for an execution slot (%d run at once) until its time limit passed, and did not run", slots)
	if errors.Is(err, context.Canceled) {
		msg = fmt.Sprintf("the request was cancelled while it waited for an execution slot (%d run at once), and did not run", slots)
	}
	return &Error{Code: code, Message: msg, Err: err}
}
