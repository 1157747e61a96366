package main

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// budget bounds one measurement: it stops at whichever comes first.
type budget struct {
	Duration time.Duration
	Requests int
	Warmup   int // requests (within a third of Duration) before timing starts, not counted
}

// outcome is what one request reports besides its latency.
type outcome struct {
	Nodes     int  // neighbourhood node count, when it applies
	Truncated bool // neighbourhood cut at its limit
}

// result summarises one measurement.
type result struct {
	Concurrency int
	Requests    int
	Errors      int
	FirstError  string
	P50, P99    time.Duration
	Max         time.Duration
	Throughput  float64 // successful requests per second
	Elapsed     time.Duration
	MaxNodes    int
	Truncated   int // requests whose answer was truncated
}

// op is one request; i picks the input so every backend sees the same
// sequence.
type op func(ctx context.Context, i int) (outcome, error)

// measure runs f from conc workers until the budget is spent.
func measure(ctx context.Context, conc int, b budget, timeout time.Duration, f op) result {
	warmEnd := time.Now().Add(b.Duration / 3)
	for i := 0; i < b.Warmup && time.Now().Before(warmEnd); i++ {
		rctx, cancel := context.WithTimeout(ctx, timeout)
		_, _ = f(rctx, i)
		cancel()
	}
	var (
		next   atomic.Int64
		mu     sync.Mutex
		lats   []time.Duration
		res    = result{Concurrency: conc}
		wg     sync.WaitGroup
		start  = time.Now()
		cutoff = start.Add(b.Duration)
	)
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			var errs, maxNodes, trunc int
			var firstErr string
			for {
				i := int(next.Add(1)) - 1
				if i >= b.Requests || time.Now().After(cutoff) || ctx.Err() != nil {
					break
				}
				rctx, cancel := context.WithTimeout(ctx, timeout)
				t0 := time.Now()
				out, err := f(rctx, i)
				d := time.Since(t0)
				cancel()
				if err != nil {
					errs++
					if firstErr == "" {
						firstErr = err.Error()
					}
					continue
				}
				mine = append(mine, d)
				maxNodes = max(maxNodes, out.Nodes)
				if out.Truncated {
					trunc++
				}
			}
			mu.Lock()
			defer mu.Unlock()
			lats = append(lats, mine...)
			res.Errors += errs
			res.MaxNodes = max(res.MaxNodes, maxNodes)
			res.Truncated += trunc
			if res.FirstError == "" {
				res.FirstError = firstErr
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Requests = len(lats) + res.Errors
	slices.Sort(lats)
	if len(lats) > 0 {
		res.P50 = percentile(lats, 0.50)
		res.P99 = percentile(lats, 0.99)
		res.Max = lats[len(lats)-1]
		res.Throughput = float64(len(lats)) / res.Elapsed.Seconds()
	}
	return res
}

// percentile picks the nearest-rank percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	k := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[max(0, min(k, len(sorted)-1))]
}
