package embedded

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/skein-project/skein/graph"
)

var _ graph.Records = (*Store)(nil)

// bucketRecords holds one nested bucket per collection; each value is the
// version (8 bytes, big-endian) followed by the data. Records are read from
// bbolt directly: they are not part of the in-memory graph.
var bucketRecords = []byte("records")

// PutRecord creates or replaces a record with a version check, committed
// with fsync before it returns (see graph.Records).
func (s *Store) PutRecord(ctx context.Context, r graph.Record) (graph.Record, error) {
	if err := r.Validate(); err != nil {
		return graph.Record{}, fmt.Errorf("put record: %w", err)
	}
	if err := ctxErr(ctx); err != nil {
		return graph.Record{}, err
	}
	out := graph.Record{Collection: r.Collection, ID: r.ID, Version: r.Version + 1, Data: bytes.Clone(r.Data)}
	err := s.db.Update(func(tx *bolt.Tx) error {
		root, err := tx.CreateBucketIfNotExists(bucketRecords)
		if err != nil {
			return err
		}
		b, err := root.CreateBucketIfNotExists([]byte(r.Collection))
		if err != nil {
			return err
		}
		old := b.Get([]byte(r.ID))
		switch {
		case old == nil && r.Version != 0:
			return fmt.Errorf("put record %s/%s: %w", r.Collection, r.ID, graph.ErrNotFound)
		case old != nil:
			v, _, err := decodeRecord(old)
			if err != nil {
				return err
			}
			if v != r.Version {
				return fmt.Errorf("put record %s/%s: version %d was saved before this one (based on %d): %w", r.Collection, r.ID, v, r.Version, graph.ErrConflict)
			}
		}
		return b.Put([]byte(r.ID), encodeRecord(out.Version, r.Data))
	})
	if err != nil {
		return graph.Record{}, recordErr(err)
	}
	return out, nil
}

// GetRecord returns one record or ErrNotFound.
func (s *Store) GetRecord(ctx context.Context, collection, id string) (graph.Record, error) {
	if err := graph.ValidRecordKey(collection, id); err != nil {
		return graph.Record{}, fmt.Errorf("get record: %w", err)
	}
	if err := ctxErr(ctx); err != nil {
		return graph.Record{}, err
	}
	var out graph.Record
	err := s.db.View(func(tx *bolt.Tx) error {
		b := collectionBucket(tx, collection)
		var raw []byte
		if b != nil {
			raw = b.Get([]byte(id))
		}
		if raw == nil {
			return fmt.Errorf("record %s/%s: %w", collection, id, graph.ErrNotFound)
		}
		v, data, err := decodeRecord(raw)
		if err != nil {
			return err
		}
		// bbolt's bytes are valid only inside the transaction.
		out = graph.Record{Collection: collection, ID: id, Version: v, Data: bytes.Clone(data)}
		return nil
	})
	if err != nil {
		return graph.Record{}, recordErr(err)
	}
	return out, nil
}

// ListRecords returns a page of a collection, ordered by id.
func (s *Store) ListRecords(ctx context.Context, q graph.RecordQuery) (graph.RecordPage, error) {
	if err := q.Normalize(); err != nil {
		return graph.RecordPage{}, err
	}
	if err := ctxErr(ctx); err != nil {
		return graph.RecordPage{}, err
	}
	var page graph.RecordPage
	err := s.db.View(func(tx *bolt.Tx) error {
		b := collectionBucket(tx, q.Collection)
		if b == nil {
			return nil
		}
		prefix := []byte(q.Prefix)
		c := b.Cursor()
		for k, raw := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, raw = c.Next() {
			page.Total++
			if q.After != "" && string(k) <= q.After {
				continue
			}
			if len(page.Records) == q.First {
				page.HasNextPage = true
				continue
			}
			v, data, err := decodeRecord(raw)
			if err != nil {
				return err
			}
			page.Records = append(page.Records, graph.Record{Collection: q.Collection, ID: string(k), Version: v, Data: bytes.Clone(data)})
		}
		return nil
	})
	if err != nil {
		return graph.RecordPage{}, recordErr(err)
	}
	return page, nil
}

// DeleteRecord deletes a record, checking its version unless version is 0.
func (s *Store) DeleteRecord(ctx context.Context, collection, id string, version int64) error {
	if err := graph.ValidRecordKey(collection, id); err != nil {
		return fmt.Errorf("delete record: %w", err)
	}
	if err := ctxErr(ctx); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := collectionBucket(tx, collection)
		var raw []byte
		if b != nil {
			raw = b.Get([]byte(id))
		}
		if raw == nil {
			return fmt.Errorf("delete record %s/%s: %w", collection, id, graph.ErrNotFound)
		}
		v, _, err := decodeRecord(raw)
		if err != nil {
			return err
		}
		if version != 0 && v != version {
			return fmt.Errorf("delete record %s/%s: version %d was saved after %d: %w", collection, id, v, version, graph.ErrConflict)
		}
		return b.Delete([]byte(id))
	})
	return recordErr(err)
}

func collectionBucket(tx *bolt.Tx, collection string) *bolt.Bucket {
	root := tx.Bucket(bucketRecords)
	if root == nil {
		return nil
	}
	return root.Bucket([]byte(collection))
}

func encodeRecord(version int64, data []byte) []byte {
	out := make([]byte, 8, 8+len(data))
	binary.BigEndian.PutUint64(out, uint64(version))
	return append(out, data...)
}

func decodeRecord(raw []byte) (int64, []byte, error) {
	if len(raw) < 8 {
		return 0, nil, fmt.Errorf("embedded: corrupt record of %d bytes", len(raw))
	}
	return int64(binary.BigEndian.Uint64(raw)), raw[8:], nil
}

// recordErr reports a closed database as the store's closed error.
func recordErr(err error) error {
	if errors.Is(err, bolterrors.ErrDatabaseNotOpen) {
		return errClosed
	}
	return err
}
