package main

import (
	"context"
	"net/http/httptrace"
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
	// FirstByteP50 and FirstByteP99 are the same requests' time to the
	// first byte of the answer (zero where the client does not see it, as
	// over Bolt): what the server and the network took, the rest of a
	// latency being the client reading and decoding the answer. Under
	// many clients on few cores the client's share is not small.
	FirstByteP50, FirstByteP99 time.Duration
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
		firsts []time.Duration
		res    = result{Concurrency: conc}
		wg     sync.WaitGroup
		start  = time.Now()
		cutoff = start.Add(b.Duration)
	)
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine, myFirsts []time.Duration
			var errs, maxNodes, trunc int
			var firstErr string
			for {
				i := int(next.Add(1)) - 1
				if i >= b.Requests || time.Now().After(cutoff) || ctx.Err() != nil {
					break
				}
				rctx, cancel := context.WithTimeout(ctx, timeout)
				rctx, firstByte := withFirstByte(rctx)
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
				if !firstByte.IsZero() {
					myFirsts = append(myFirsts, firstByte.Sub(t0))
				}
				maxNodes = max(maxNodes, out.Nodes)
				if out.Truncated {
					trunc++
				}
			}
			mu.Lock()
			defer mu.Unlock()
			lats = append(lats, mine...)
			firsts = append(firsts, myFirsts...)
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
	if len(firsts) > 0 {
		slices.Sort(firsts)
		res.FirstByteP50 = percentile(firsts, 0.50)
		res.FirstByteP99 = percentile(firsts, 0.99)
	}
	return res
}

type firstByteKey struct{}

// withFirstByte gives a request's context a clock that an HTTP client
// sets (firstByteClock) when the answer's first byte arrives.
func withFirstByte(ctx context.Context) (context.Context, *time.Time) {
	t := new(time.Time)
	return context.WithValue(ctx, firstByteKey{}, t), t
}

// firstByteClock is ctx with a trace that sets withFirstByte's clock, or
// ctx itself when it has none.
func firstByteClock(ctx context.Context) context.Context {
	t, ok := ctx.Value(firstByteKey{}).(*time.Time)
	if !ok {
		return ctx
	}
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotFirstResponseByte: func() { *t = time.Now() }})
}

// percentile picks the nearest-rank percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	k := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[max(0, min(k, len(sorted)-1))]
}
