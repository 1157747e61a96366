package neo4j

import (
	"strings"
	"sync"

	"github.com/skein-project/skein/graph"
)

// queryCache keeps the text of the queries compiled from a request's shape
// (paths, neighbourhoods), so that a shape seen before costs a map lookup
// instead of the string building: a paths query is five stages of about
// 400 bytes each, about 20 µs of the store's CPU per request to write
// (BenchmarkQueryText), against a few hundred ns to look up. The text
// depends only on the shape, never on values, which are parameters.
//
// The shapes a client can ask for are many (every ordering of a list of
// link types is one), so the cache stops growing at maxCachedQueries and
// later shapes are compiled each time, as before.
type queryCache struct {
	mu sync.RWMutex
	m  map[queryShape]string
}

// maxCachedQueries bounds queryCache: far more shapes than an application
// asks for, a few MB at most.
const maxCachedQueries = 2048

// queryShape is what the text of a compiled query depends on.
type queryShape struct {
	op            string // "paths", "neighborhood"
	depth, limit  int    // maxHops and limit for paths
	types         string // the link filter's types, in order
	from, to      bool   // the window's open ends
	timed, dated  bool
	chrono, kinds bool
	sel           graph.Selection
}

// shapeOf is the shape of a query over links filtered by f.
func shapeOf(op string, depth, limit int, f linkFilter, chrono, kinds bool, sel graph.Selection) queryShape {
	var types strings.Builder
	for _, t := range f.types {
		types.WriteString(string(t))
		types.WriteByte('|')
	}
	return queryShape{op: op, depth: depth, limit: limit, types: types.String(),
		from: f.from != nil, to: f.to != nil, timed: f.timed, dated: f.dated, chrono: chrono, kinds: kinds, sel: sel}
}

// text returns the cached text of shape k, compiling it with build the
// first time.
func (c *queryCache) text(k queryShape, build func() string) string {
	c.mu.RLock()
	q, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return q
	}
	q = build()
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[queryShape]string)
	}
	if len(c.m) < maxCachedQueries {
		c.m[k] = q
	}
	c.mu.Unlock()
	return q
}
