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
	links    []graph.Link
	ends     [][2]int32
}

// load reads the whole file into a new memGraph with one sequential scan
// per bucket, decoding on every core while applying in key order, so the
// adjacency lists come out sorted by link id without sorting.
func load(ctx context.Context, db *bolt.DB) (*memGraph, error) {
	g := newMemGraph()
	err := db.View(func(tx *bolt.Tx) error {
		err := tx.Bucket(bucketDocuments).ForEach(func(k, v []byte) error {
			d, err := decodeDocument(string(k), v)
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
				e, err := decodeEntity(string(c.keys[i]), c.vals[i])
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
				g.nodes = append(g.nodes, node{e: e, alive: true})
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
			c.links = make([]graph.Link, len(c.keys))
			c.ends = make([][2]int32, len(c.keys))
			for i := range c.keys {
				l, err := decodeLink(string(c.keys[i]), c.vals[i])
				if err != nil {
					c.err = err
					return
				}
				src, ok1 := g.nodeIdx[l.Source]
				tgt, ok2 := g.nodeIdx[l.Target]
				if !ok1 || !ok2 {
					c.err = fmt.Errorf("link %q points at a missing entity: %w", l.ID, errCorrupt)
					return
				}
				c.links[i] = l
				c.ends[i] = [2]int32{src, tgt}
			}
		}, func(c *chunk) {
			for i, l := range c.links {
				src, tgt := c.ends[i][0], c.ends[i][1]
				l.Source, l.Target = g.nodes[src].e.ID, g.nodes[tgt].e.ID
				li := int32(len(g.links))
				g.links = append(g.links, edge{l: l, src: src, tgt: tgt, alive: true})
				g.linkIdx[l.ID] = li
				g.nodes[src].adj = append(g.nodes[src].adj, li)
				if tgt != src {
					g.nodes[tgt].adj = append(g.nodes[tgt].adj, li)
				}
				g.byType[l.Type]++
			}
		})
	})
	if err != nil {
		return nil, err
	}
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
