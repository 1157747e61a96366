package neo4j

import (
	"context"
	"errors"
	"fmt"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
)

var _ graph.Records = (*Store)(nil)

// Records are nodes (:SkeinRecord {collection, id, version, data}) outside
// the :Entity graph: no entity query matches them, and the constraint
// created at start-up keeps (collection, id) unique.
const recordConstraint = "CREATE CONSTRAINT skein_record_key IF NOT EXISTS FOR (r:SkeinRecord) REQUIRE (r.collection, r.id) IS UNIQUE"

// Version-checked writes first lock the node (setting a property takes the
// write lock) and only then read its version, so two concurrent writers
// cannot both see the same version: the second waits and sees the first's.
const (
	cypherCreateRecord = `OPTIONAL MATCH (old:SkeinRecord {collection: $collection, id: $id})
WITH old WHERE old IS NULL
CREATE (r:SkeinRecord {collection: $collection, id: $id, version: 1, data: $data})
RETURN r.version AS version`
	cypherUpdateRecord = `MATCH (r:SkeinRecord {collection: $collection, id: $id})
SET r._lock = true
WITH r, r.version AS old
REMOVE r._lock
FOREACH (_ IN CASE WHEN old = $version THEN [1] ELSE [] END | SET r.version = old + 1, r.data = $data)
RETURN old`
	cypherDeleteRecord = `MATCH (r:SkeinRecord {collection: $collection, id: $id})
SET r._lock = true
WITH r, r.version AS old
FOREACH (_ IN CASE WHEN $version = 0 OR old = $version THEN [1] ELSE [] END | DELETE r)
RETURN old`
	cypherGetRecord = `MATCH (r:SkeinRecord {collection: $collection, id: $id})
RETURN r.version AS version, r.data AS data`
	cypherListRecords = `MATCH (r:SkeinRecord)
WHERE r.collection = $collection AND r.id STARTS WITH $prefix AND r.id > $after
RETURN r.id AS id, r.version AS version, r.data AS data
ORDER BY r.id LIMIT $first`
	cypherCountRecords = `MATCH (r:SkeinRecord)
WHERE r.collection = $collection AND r.id STARTS WITH $prefix
RETURN count(r) AS total`
)

// PutRecord creates or replaces a record with a version check, in one
// managed transaction (see graph.Records).
func (s *Store) PutRecord(ctx context.Context, r graph.Record) (graph.Record, error) {
	if err := r.Validate(); err != nil {
		return graph.Record{}, fmt.Errorf("put record: %w", err)
	}
	params := map[string]any{"collection": r.Collection, "id": r.ID, "version": r.Version, "data": recordData(r.Data)}
	v, err := write(ctx, s, func(tx *txn) (int64, error) {
		if r.Version == 0 {
			recs, err := tx.collect(ctx, cypherCreateRecord, params)
			if err != nil {
				return 0, err
			}
			if len(recs) == 0 {
				return 0, fmt.Errorf("put record %s/%s: it exists already: %w", r.Collection, r.ID, graph.ErrConflict)
			}
			return 1, nil
		}
		recs, err := tx.collect(ctx, cypherUpdateRecord, params)
		if err != nil {
			return 0, err
		}
		if len(recs) == 0 {
			return 0, fmt.Errorf("put record %s/%s: %w", r.Collection, r.ID, graph.ErrNotFound)
		}
		old, _ := get(recs[0], "old").(int64)
		if old != r.Version {
			return 0, fmt.Errorf("put record %s/%s: version %d was saved before this one (based on %d): %w", r.Collection, r.ID, old, r.Version, graph.ErrConflict)
		}
		return old + 1, nil
	})
	var n4e *neo4jdrv.Neo4jError
	if errors.As(err, &n4e) && n4e.Code == "Neo.ClientError.Schema.ConstraintValidationFailed" {
		// A concurrent create of the same id committed first.
		return graph.Record{}, fmt.Errorf("put record %s/%s: created meanwhile: %w: %w", r.Collection, r.ID, graph.ErrConflict, err)
	}
	if err != nil {
		return graph.Record{}, fmt.Errorf("neo4j: %w", err)
	}
	return graph.Record{Collection: r.Collection, ID: r.ID, Version: v, Data: recordData(r.Data)}, nil
}

// GetRecord returns one record or ErrNotFound.
func (s *Store) GetRecord(ctx context.Context, collection, id string) (graph.Record, error) {
	if err := graph.ValidRecordKey(collection, id); err != nil {
		return graph.Record{}, fmt.Errorf("get record: %w", err)
	}
	return read(ctx, s, func(tx *txn) (graph.Record, error) {
		recs, err := tx.collect(ctx, cypherGetRecord, map[string]any{"collection": collection, "id": id})
		if err != nil {
			return graph.Record{}, err
		}
		if len(recs) == 0 {
			return graph.Record{}, fmt.Errorf("record %s/%s: %w", collection, id, graph.ErrNotFound)
		}
		v, _ := get(recs[0], "version").(int64)
		data, _ := get(recs[0], "data").([]byte)
		return graph.Record{Collection: collection, ID: id, Version: v, Data: recordData(data)}, nil
	})
}

// ListRecords returns a page of a collection, ordered by id.
func (s *Store) ListRecords(ctx context.Context, q graph.RecordQuery) (graph.RecordPage, error) {
	if err := q.Normalize(); err != nil {
		return graph.RecordPage{}, err
	}
	return read(ctx, s, func(tx *txn) (graph.RecordPage, error) {
		params := map[string]any{"collection": q.Collection, "prefix": q.Prefix, "after": q.After, "first": q.First + 1}
		recs, err := tx.collect(ctx, cypherListRecords, params)
		if err != nil {
			return graph.RecordPage{}, err
		}
		counted, err := tx.collect(ctx, cypherCountRecords, params)
		if err != nil {
			return graph.RecordPage{}, err
		}
		var page graph.RecordPage
		if len(counted) > 0 {
			total, _ := get(counted[0], "total").(int64)
			page.Total = int(total)
		}
		for _, rec := range recs {
			if len(page.Records) == q.First {
				page.HasNextPage = true
				break
			}
			id, _ := get(rec, "id").(string)
			v, _ := get(rec, "version").(int64)
			data, _ := get(rec, "data").([]byte)
			page.Records = append(page.Records, graph.Record{Collection: q.Collection, ID: id, Version: v, Data: recordData(data)})
		}
		return page, nil
	})
}

// DeleteRecord deletes a record, checking its version unless version is 0.
func (s *Store) DeleteRecord(ctx context.Context, collection, id string, version int64) error {
	if err := graph.ValidRecordKey(collection, id); err != nil {
		return fmt.Errorf("delete record: %w", err)
	}
	_, err := write(ctx, s, func(tx *txn) (struct{}, error) {
		recs, err := tx.collect(ctx, cypherDeleteRecord, map[string]any{"collection": collection, "id": id, "version": version})
		if err != nil {
			return struct{}{}, err
		}
		if len(recs) == 0 {
			return struct{}{}, fmt.Errorf("delete record %s/%s: %w", collection, id, graph.ErrNotFound)
		}
		if old, _ := get(recs[0], "old").(int64); version != 0 && old != version {
			return struct{}{}, fmt.Errorf("delete record %s/%s: version %d was saved after %d: %w", collection, id, old, version, graph.ErrConflict)
		}
		return struct{}{}, nil
	})
	if err != nil {
		return fmt.Errorf("neo4j: %w", err)
	}
	return nil
}

// recordData keeps an empty record's data non-nil on both sides of the
// driver, which stores an empty byte array for it.
func recordData(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
