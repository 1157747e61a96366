package embedded

import (
	"context"
	"fmt"
	"runtime"
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

	entities []graph.Entity
	tokens   [][]string
	links    []edge
}

// load reads the whole file into a new memGraph with one sequential scan
// per bucket, decoding on every core while applying in key order, so the
// adjacency lists come out sorted by link id without sorting.
func load(ctx context.Context, db *bolt.DB) (*memGraph, error) {
	g := newMemGraph()
	err := db.View(func(tx *bolt.Tx) error {
		// Sizing the maps and slices up front avoids rehashing and copying
		// millions of records while loading.
		ne, nl := tx.Bucket(bucketEntities).Stats().KeyN, tx.Bucket(bucketLinks).Stats().KeyN
		g.nodes = make([]node, 0, ne)
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
		err = scan(ctx, tx.Bucket(bucketEntities), func(c *chunk) {
			c.entities = make([]graph.Entity, len(c.keys))
			c.tokens = make([][]string, len(c.keys))
			for i := range c.keys {
				e, err := decodeEntity(string(c.keys[i]), string(c.vals[i]))
				if err != nil {
					c.err = err
					return
				}
				c.entities[i] = e
				c.tokens[i] = entityTokens(&e)
			}
		}, func(c *chunk) {
			for i, e := range c.entities {
				n := int32(len(g.nodes))
				g.nodes = append(g.nodes, node{e: e})
				g.nodeIdx[e.ID] = n
				g.index.addTokens(n, c.tokens[i])
				g.byKind[e.Kind]++
			}
		})
		if err != nil {
			return err
		}
		// Workers only read nodeIdx from here on; the applier writes links
		// and adjacency lists.
		return scan(ctx, tx.Bucket(bucketLinks), func(c *chunk) {
			c.links = make([]edge, len(c.keys))
			var buf []byte
			for i, k := range c.keys {
				// One allocation holds the id and the record.
				buf = append(append(buf[:0], k...), c.vals[i]...)
				kv := string(buf)
				e := edge{id: kv[:len(k)], rec: kv[len(k):]}
				t, source, target, err := linkHead(e.rec)
				if err != nil {
					c.err = fmt.Errorf("link %q: %w", e.id, err)
					return
				}
				var ok1, ok2 bool
				e.src, ok1 = g.nodeIdx[source]
				e.tgt, ok2 = g.nodeIdx[target]
				if !ok1 || !ok2 {
					c.err = fmt.Errorf("link %q points at a missing entity: %w", e.id, errCorrupt)
					return
				}
				e.typ = internType(t)
				c.links[i] = e
			}
		}, func(c *chunk) {
			for _, e := range c.links {
				li := int32(len(g.links))
				g.links = append(g.links, e)
				g.nodes[e.src].adj = append(g.nodes[e.src].adj, li)
				if e.tgt != e.src {
					g.nodes[e.tgt].adj = append(g.nodes[e.tgt].adj, li)
				}
				g.byType[e.typ]++
			}
		})
	})
	if err != nil {
		return nil, err
	}
	g.loaded, g.nLinks = len(g.links), len(g.links)
	return g, nil
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
