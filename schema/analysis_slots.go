package schema

import (
	"context"
	"fmt"
	"runtime"
)

// Analysis slots. An analysis (centrality, communities, brokers,
// exposure, disruption, key players, brokerage, ownership, match, xref)
// loads a snapshot and runs an algorithm over it: CPU and memory bound.
// Run past the cores, a burst of them only shares the CPU, so every one
// finishes late and under a burst of whole-graph analyses all of them
// time out together (32 clients asking for a 1.4 s whole-graph
// sanctionsOwnership at once: every request timed out, none served).
// A fixed number run at once; the others wait for a slot within their
// own deadline, and get TIMEOUT if it passes first. One AnalysisSlots is
// the limit for every entry point that runs analyses (GraphQL and POST
// /api/match share it).

// DefaultMaxAnalyses is the default of Options.MaxAnalyses: two per core,
// so that an analysis waiting on the store (Neo4j) leaves the core to
// another.
func DefaultMaxAnalyses() int { return 2 * runtime.GOMAXPROCS(0) }

// AnalysisSlots bounds the analyses running at once. It is safe for
// concurrent use.
type AnalysisSlots struct{ ch chan struct{} }

// NewAnalysisSlots makes n slots; n <= 0 means DefaultMaxAnalyses.
func NewAnalysisSlots(n int) *AnalysisSlots {
	if n <= 0 {
		n = DefaultMaxAnalyses()
	}
	return &AnalysisSlots{ch: make(chan struct{}, n)}
}

// Cap is the number of slots.
func (s *AnalysisSlots) Cap() int { return cap(s.ch) }

// Acquire waits for a slot until ctx is done (the error then wraps
// ctx.Err(), a TIMEOUT); release gives the slot back and must be called
// once the analysis has finished.
func (s *AnalysisSlots) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case s.ch <- struct{}{}:
		return func() { <-s.ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for one of the %d analysis slots: %w", cap(s.ch), ctx.Err())
	}
}

// admitAnalysis checks the analyze permission, then waits for a slot; done
// gives the slot back and must be called once the analysis has finished.
func (r *resolver) admitAnalysis(ctx context.Context) (done func(), err error) {
	if err := r.allow(ctx, ActionAnalyze); err != nil {
		return nil, err
	}
	// The analysis slots bound the request from here: its execution slot
	// goes to the next request rather than idle while it waits for one.
	if req := requestOf(ctx); req.leaveExecution != nil {
		req.leaveExecution()
	}
	done, err = r.analyses.Acquire(ctx)
	if err != nil {
		return nil, fail(ctx, r.log, err)
	}
	return done, nil
}
