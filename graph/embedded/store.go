package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/skein-project/skein/graph"
)

var _ graph.Store = (*Store)(nil)

// Bucket names in the bbolt file; keys are record ids.
var (
	bucketDocuments = []byte("documents")
	bucketEntities  = []byte("entities")
	bucketLinks     = []byte("links")
)

// FileName is the bbolt file inside the store's directory.
const FileName = "skein.db"

// Store is the embedded graph store. It is safe for concurrent use: reads
// share mu, and writes are serialised by writeMu, commit to disk while
// readers continue, then take mu exclusively only to update memory.
type Store struct {
	db *bolt.DB

	writeMu sync.Mutex
	mu      sync.RWMutex
	g       *memGraph
	closed  bool
	// dists holds *distances between path queries (distances.go).
	dists sync.Pool
	// seen holds *bitset between searches (search.go).
	seen sync.Pool
	// walks holds *walk between neighbourhood walks (walk.go).
	walks sync.Pool
}

// Open opens (creating if needed) the store in dir and loads the graph into
// memory.
func Open(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("embedded: create %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	db, err := openFile(path)
	if err != nil {
		return nil, err
	}
	err = guard(path, func() error {
		return db.Update(func(tx *bolt.Tx) error {
			for _, b := range [][]byte{bucketDocuments, bucketEntities, bucketLinks} {
				if _, err := tx.CreateBucketIfNotExists(b); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("embedded: init %s: %w", path, err)
	}
	s := &Store{db: db}
	start := time.Now()
	err = guard(path, func() (err error) {
		s.g, err = load(ctx, db)
		return err
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("embedded: load %s: %w", path, err)
	}
	releaseLoadMemory(db)
	slog.DebugContext(ctx, "embedded store loaded", "path", path,
		"entities", s.g.entityCount(), "links", s.g.linkCount(), "took", time.Since(start).Round(time.Millisecond))
	return s, nil
}

// openFile opens the bbolt file, refusing a damaged one with an error that
// names it and says what to do (bbolt panics on some damage; a truncated
// file would fault when a page past its end is read).
func openFile(path string) (db *bolt.DB, err error) {
	err = guard(path, func() (err error) {
		db, err = bolt.Open(path, 0o600, &bolt.Options{
			Timeout:      2 * time.Second, // another process holds the file
			FreelistType: bolt.FreelistMapType,
		})
		return err
	})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("embedded: open %s: another process holds it: %w: %w", path, graph.ErrUnavailable, err)
	case errors.Is(err, errDamaged):
		return nil, err
	case errors.Is(err, os.ErrPermission) || errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("embedded: open %s: %w: %w", path, graph.ErrUnavailable, err)
	case err != nil:
		return nil, damaged(path, err.Error())
	}
	// The file must hold every page its meta page counts.
	fi, err := os.Stat(path)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("embedded: open %s: %w: %w", path, graph.ErrUnavailable, err)
	}
	var want int64
	_ = db.View(func(tx *bolt.Tx) error { want = tx.Size(); return nil })
	if fi.Size() < want {
		_ = db.Close()
		return nil, damaged(path, fmt.Sprintf("truncated: %d of its %d bytes", fi.Size(), want))
	}
	return db, nil
}

// errDamaged: the store's file is damaged. It matches graph.ErrUnavailable.
var errDamaged = fmt.Errorf("damaged store file: %w", graph.ErrUnavailable)

// damaged is the one-line error for a damaged file: which file, what is
// wrong and what to do.
func damaged(path, what string) error {
	return fmt.Errorf("embedded: %s is damaged (%s): restore it from a backup, or move it aside to start an empty store and load the data again (skein seed, skein import): %w",
		path, what, errDamaged)
}

// guard runs fn, turning a panic of bbolt over a damaged file into an
// error.
func guard(path string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = damaged(path, fmt.Sprint(r))
		}
	}()
	return fn()
}

// Close releases the bbolt file. Later calls fail with ErrUnavailable.
func (s *Store) Close() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.g = nil
	return s.db.Close()
}

// Ping returns nil unless the store is closed.
func (s *Store) Ping(ctx context.Context) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	return ctx.Err()
}

var errClosed = fmt.Errorf("embedded: store is closed: %w", graph.ErrUnavailable)

// read runs fn on the graph under the read lock.
func (s *Store) read(ctx context.Context, fn func(g *memGraph) error) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	return fn(s.g)
}

// ctxErr translates a finished context into the domain's errors
// (graph.ContextErr).
func ctxErr(ctx context.Context) error {
	if err := graph.ContextErr(ctx); err != nil {
		return fmt.Errorf("embedded: %w", err)
	}
	return nil
}
