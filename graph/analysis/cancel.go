package analysis

import "context"

// checkEvery is how many units of work (a node or a link visited) an
// analysis does between two looks at its context: a few microseconds of
// work, so that a cancelled or timed-out request stops promptly even in the
// O(n·m) loops, while looking costs nothing measurable.
const checkEvery = 1 << 13

// meter counts the work of one goroutine of an analysis and checks its
// context every checkEvery units. It is not safe for concurrent use: each
// worker has its own.
type meter struct {
	ctx  context.Context
	work int // units since the last check
	// report, when the context carries one, is told the work done at
	// each check.
	report workReport
}

// workReport is a function, passed in a context under workReportKey, that
// every meter tells the work it did at each check, from
// any goroutine. Tests use it to cancel an analysis once it has done some
// work and to bound the work it does after that by counting, not timing.
type workReport func(units int)

type workReportKey struct{}

func newMeter(ctx context.Context) *meter {
	m := &meter{ctx: ctx}
	m.report, _ = ctx.Value(workReportKey{}).(workReport)
	return m
}

// add records units of work and, once checkEvery have accumulated, returns
// the context's error. Callers add at most one node's links at a time, so
// work between two checks stays below checkEvery plus one node's degree.
func (m *meter) add(units int) error {
	m.work += units
	if m.work < checkEvery {
		return nil
	}
	return m.check()
}

// check reports the work counted so far and returns the context's error.
func (m *meter) check() error {
	if m.report != nil {
		m.report(m.work)
	}
	m.work = 0
	return m.ctx.Err()
}
