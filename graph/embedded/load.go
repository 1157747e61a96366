package embedded

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/skein-project/skein/graph"
)

// loadChunk is how many records one decoding job holds.
const loadChunk = 4096

// chunk is a run of raw records read in key order, decoded by a worker and
// applied in order by the loader. The raw slices point into bbolt's mmap,
// valid while the read transaction is open.
type chunk struct {
	keys, vals [][]byte
	done       chan struct{}
	err        error

	nodes  []node
	tokens [][]string // graph.IndexTokens of each node
	ids    [][]string // graph.EntityIdentifiers of each node
	links  []edge
	extras []linkExtra // beside links, where edge.extra
}

// arena copies a chunk's keys and values into one string, handed out in
// order by next: a few thousand allocations for millions of records, which
// spares the allocator and the garbage collector. (A record dropped later
// keeps its chunk's string alive; that waste is small and ends at restart.)
func (c *chunk) arena() *arena {
	size := 0
	for i, k := range c.keys {
		size += len(k) + len(c.vals[i])
	}
	buf := make([]byte, 0, size)
	for i, k := range c.keys {
		buf = append(append(buf, k...), c.vals[i]...)
	}
	return &arena{s: string(buf)}
}

type arena struct {
	s   string
	off int
}

func (a *arena) next(n int) string {
	s := a.s[a.off : a.off+n]
	a.off += n
	return s
}

// load reads the whole file into a new memGraph with one sequential scan
// per bucket, decoding on every core while applying in key order. Links
// arrive in id order, so filling the adjacency lists in that order leaves
// them sorted without sorting.
func load(ctx context.Context, db *bolt.DB) (*memGraph, error) {
	g := newMemGraph()
	err := db.View(func(tx *bolt.Tx) error {
		// Sizing the maps and slices up front avoids rehashing and copying
		// millions of records while loading.
		ne, nl := tx.Bucket(bucketEntities).Stats().KeyN, tx.Bucket(bucketLinks).Stats().KeyN
		g.nodes = make([]node, 0, ne)
		g.shapes = make([]nameShape, 0, ne)
		g.nodeIdx = make(map[string]int32, ne)
		g.links = make([]edge, 0, nl)
		err := tx.Bucket(bucketDocuments).ForEach(func(k, v []byte) error {
			d, err := decodeDocument(string(k), string(v))
			if err != nil {
				return err
			}
			g.docs[d.ID] = d
			return nil
		})
		if err != nil {
			return err
		}
		// Link endpoints are resolved through an idTable, built as the
		// entities arrive.
		byHash := newIDTable(ne)
		unique := true
		err = scan(ctx, tx.Bucket(bucketEntities), func(c *chunk) {
			c.nodes = make([]node, len(c.keys))
			c.tokens = make([][]string, len(c.keys))
			c.ids = make([][]string, len(c.keys))
			ar := c.arena()
			for i := range c.keys {
				id, rec := ar.next(len(c.keys[i])), ar.next(len(c.vals[i]))
				e, err := decodeEntity(id, rec)
				if err != nil {
					c.err = err
					return
				}
				// Only what queries need before decoding is kept.
				c.nodes[i] = node{id: id, kind: internKind(e.Kind), rec: rec, names: graph.NameTokens(&e)}
				c.tokens[i] = graph.IndexTokens(&e)
				c.ids[i] = graph.EntityIdentifiers(&e)
			}
		}, func(c *chunk) {
			for i, nd := range c.nodes {
				n := int32(len(g.nodes))
				g.nodes = append(g.nodes, nd)
				g.shapes = append(g.shapes, withIndex(lengthsShape(nd.names), nd.names, c.tokens[i]))
				g.nodeIdx[nd.id] = n
				g.index.add(n, c.tokens[i])
				g.ids.add(n, c.ids[i])
				g.byKind[nd.kind]++
				if !byHash.put(nd.id, n) {
					unique = false
				}
			}
		})
		if err != nil {
			return err
		}
		resolve := func(id string) (int32, bool) {
			if unique {
				return byHash.get(id)
			}
			n, ok := g.nodeIdx[id]
			return n, ok
		}
		deg := make([]int32, len(g.nodes))
		// Workers only read the indexes from here on; the applier appends
		// links and counts degrees.
		err = scan(ctx, tx.Bucket(bucketLinks), func(c *chunk) {
			c.links = make([]edge, len(c.keys))
			c.extras = make([]linkExtra, len(c.keys))
			raw := c.arena() // whole records, dropped once read
			size := 0
			for i, k := range c.keys {
				id, rec := raw.next(len(k)), raw.next(len(c.vals[i]))
				h, err := linkHead(rec)
				if err != nil {
					c.err = fmt.Errorf("link %q: %w", id, err)
					return
				}
				e, x := makeEdge(id, h.typ, h.source, h.target, h.role, h.rest, spanOf(h.start, h.end))
				var ok1, ok2 bool
				e.src, ok1 = resolve(h.source)
				e.tgt, ok2 = resolve(h.target)
				if !ok1 || !ok2 {
					c.err = fmt.Errorf("link %q points at a missing entity: %w", id, errCorrupt)
					return
				}
				c.links[i], c.extras[i] = e, x
				size += len(x.id) + len(x.typ) + len(h.rest)
			}
			// Only the ids that are not derived and what follows the
			// endpoints are kept, in one string for the chunk.
			var buf strings.Builder
			buf.Grow(size)
			for i := range c.links {
				x := &c.extras[i]
				buf.WriteString(x.id)
				buf.WriteString(string(x.typ))
				buf.WriteString(c.links[i].rest)
			}
			kept := &arena{s: buf.String()}
			for i := range c.links {
				x := &c.extras[i]
				x.id, x.typ = kept.next(len(x.id)), graph.LinkType(kept.next(len(x.typ)))
				c.links[i].rest = kept.next(len(c.links[i].rest))
			}
		}, func(c *chunk) {
			for i, e := range c.links {
				li := int32(len(g.links))
				g.links = append(g.links, e)
				if e.extra {
					g.extra[li] = c.extras[i]
				}
				deg[e.src]++
				if e.tgt != e.src {
					deg[e.tgt]++
				}
				g.byType[g.linkType(li)]++
			}
		})
		if err != nil {
			return err
		}
		g.buildAdjacency(deg)
		return nil
	})
	if err != nil {
		return nil, err
	}
	g.loaded, g.nLinks = len(g.links), len(g.links)
	g.ordered = len(g.nodes)
	return g, nil
}

// buildAdjacency fills every node's adjacency from one shared array, in
// link order. Each list's capacity is its length, so a later insert copies
// the list out rather than overwrite its neighbour's.
func (g *memGraph) buildAdjacency(deg []int32) {
	total := 0
	for _, d := range deg {
		total += int(d)
	}
	all := make([]int32, total)
	off := 0
	for i, d := range deg {
		g.nodes[i].adj = all[off : off : off+int(d)]
		off += int(d)
	}
	for li := range g.links {
		e := &g.links[li]
		g.nodes[e.src].adj = append(g.nodes[e.src].adj, int32(li))
		if e.tgt != e.src {
			g.nodes[e.tgt].adj = append(g.nodes[e.tgt].adj, int32(li))
		}
	}
}

// scan reads bucket b in key order in chunks, runs decode on each chunk in
// parallel and apply on each decoded chunk in key order.
func scan(ctx context.Context, b *bolt.Bucket, decode, apply func(*chunk)) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	jobs := make(chan *chunk, workers*2)
	ordered := make(chan *chunk, workers*4)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for c := range jobs {
				decode(c)
				close(c.done)
			}
		})
	}
	applied := make(chan error, 1)
	go func() {
		var first error
		for c := range ordered {
			<-c.done
			if first == nil && c.err != nil {
				first = c.err
			}
			if first == nil {
				apply(c)
			}
		}
		applied <- first
	}()

	var scanErr error
	cur := &chunk{done: make(chan struct{})}
	flush := func() {
		ordered <- cur
		jobs <- cur
		cur = &chunk{done: make(chan struct{})}
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		cur.keys = append(cur.keys, k)
		cur.vals = append(cur.vals, v)
		if len(cur.keys) == loadChunk {
			flush()
			if scanErr = ctxErr(ctx); scanErr != nil {
				break
			}
		}
	}
	if len(cur.keys) > 0 {
		flush()
	}
	close(jobs)
	close(ordered)
	wg.Wait()
	if err := <-applied; err != nil {
		return err
	}
	return scanErr
}

// internKind returns the package constant equal to k, so that kinds do not
// keep their record's string alive on their own.
func internKind(k graph.Kind) graph.Kind {
	for _, c := range graph.Kinds {
		if c == k {
			return c
		}
	}
	return k
}

// internType returns the package constant equal to t, so that link types
// do not keep their record's string alive on their own.
func internType(t graph.LinkType) graph.LinkType {
	for _, c := range graph.LinkTypes {
		if c == t {
			return c
		}
	}
	return t
}
