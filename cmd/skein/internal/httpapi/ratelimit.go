package httpapi

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/skein-project/skein/graph"
)

// rateLimiter gives each key (a principal, or a client address for failed
// sign-ins) a token bucket.
type rateLimiter struct {
	mu      sync.Mutex
	perSec  rate.Limit
	burst   int
	buckets map[string]*rate.Limiter
}

func newRateLimiter(perSec float64, burst int) *rateLimiter {
	return &rateLimiter{perSec: rate.Limit(perSec), burst: max(1, burst), buckets: map[string]*rate.Limiter{}}
}

func (l *rateLimiter) bucket(key string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(l.perSec, l.burst)
		l.buckets[key] = b
	}
	return b
}

// take spends one token of key's bucket, or says how long until one is
// there.
func (l *rateLimiter) take(key string) (time.Duration, bool) {
	r := l.bucket(key).Reserve()
	if !r.OK() {
		return time.Hour, false
	}
	if d := r.Delay(); d > 0 {
		r.Cancel()
		return d, false
	}
	return 0, true
}

// allow spends a token if there is one.
func (l *rateLimiter) allow(key string) bool { return l.bucket(key).Allow() }

// exhausted reports whether key's bucket is empty, and for how long.
func (l *rateLimiter) exhausted(key string) (time.Duration, bool) {
	b := l.bucket(key)
	tokens := b.Tokens()
	if tokens >= 1 {
		return 0, false
	}
	return time.Duration((1 - tokens) / float64(l.perSec) * float64(time.Second)), true
}

// limit answers 429 with Retry-After before any work when the principal's
// bucket is empty.
func (l *rateLimiter) limit(c *gin.Context) {
	who, _ := principalFrom(c.Request.Context())
	if wait, ok := l.take(who.ID); !ok {
		retryAfter(c, wait)
		writeCoded(c, codedErr(graph.ErrRateLimited, "too many requests for this token; slow down"))
		c.Abort()
		return
	}
	c.Next()
}

// retryAfter says, in whole seconds (at least 1), when to try again.
func retryAfter(c *gin.Context, wait time.Duration) {
	c.Header("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
}
