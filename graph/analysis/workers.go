package analysis

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// shareOut is the one worker pool of the parallel analyses (forBlocks,
// forEachSweep, betweenness): work cut into chunks numbered 0..chunks-1,
// shared among at most limit workers, and never more than GOMAXPROCS or
// than there are chunks. Each worker calls worker once, with its own
// state, taking chunk numbers from next until it reports none left (or
// the worker stops early with an error). The answer is the first error
// in worker order.
func shareOut(chunks, limit int, worker func(next func() (int, bool)) error) error {
	workers := min(runtime.GOMAXPROCS(0), chunks, limit)
	var counter atomic.Int64
	next := func() (int, bool) {
		c := int(counter.Add(1)) - 1
		return c, c < chunks
	}
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() { errs[w] = worker(next) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
