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
// own deadline, and get TIMEOUT if it passes first.

// DefaultMaxAnalyses is the default of Options.MaxAnalyses: two per core,
// so that an analysis waiting on the store (Neo4j) leaves the core to
// another.
func DefaultMaxAnalyses() int { return 2 * runtime.GOMAXPROCS(0) }

// analysisSlots bounds the analyses running at once.
type analysisSlots chan struct{}

// admitAnalysis checks the analyze permission, then waits for a slot; done
// gives the slot back and must be called once the analysis has finished.
func (r *resolver) admitAnalysis(ctx context.Context) (done func(), err error) {
	if err := r.allow(ctx, ActionAnalyze); err != nil {
		return nil, err
	}
	select {
	case r.analyses <- struct{}{}:
		return func() { <-r.analyses }, nil
	case <-ctx.Done():
		return nil, fail(ctx, r.log, fmt.Errorf("waiting for one of the %d analysis slots: %w", cap(r.analyses), ctx.Err()))
	}
}
