package graph

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits of the record store.
const (
	MaxRecordBytes     = 1 << 20 // Data of one record
	MaxRecordIDBytes   = 256
	MaxCollectionBytes = 64
	DefaultRecordFirst = 20
	MaxRecordFirst     = 100
)

// Record is a versioned document kept outside the entity graph (cases,
// judgements): the store keeps Data as given and never reads it.
type Record struct {
	Collection string
	ID         string
	// Version is 1 when the record is created and grows by one with every
	// update; the store sets it.
	Version int64
	Data    []byte
}

// Records is the store of records that every graph.Store backend also
// implements, conformance-tested by storetest.RunRecords. Writes are
// durable once they return.
type Records interface {
	// PutRecord creates r when r.Version is 0 (ErrConflict if a record of
	// that id exists), or replaces it when r.Version equals the stored
	// version (ErrConflict if it differs, ErrNotFound if the record is
	// gone). It returns the record as stored, with its new version.
	PutRecord(ctx context.Context, r Record) (Record, error)
	// GetRecord returns one record or ErrNotFound.
	GetRecord(ctx context.Context, collection, id string) (Record, error)
	// ListRecords returns a page of one collection's records, ordered by
	// id. See RecordQuery.
	ListRecords(ctx context.Context, q RecordQuery) (RecordPage, error)
	// DeleteRecord deletes a record: ErrNotFound if there is none,
	// ErrConflict if version is not 0 and differs from the stored one.
	DeleteRecord(ctx context.Context, collection, id string, version int64) error
}

// RecordQuery selects the records of Collection whose id starts with Prefix
// (every record when empty), ordered by id: First of them (default
// DefaultRecordFirst) after the id After.
type RecordQuery struct {
	Collection string
	Prefix     string
	After      string
	First      int
}

// RecordPage is one page of records. Total counts every record the query
// selects, across pages.
type RecordPage struct {
	Records     []Record
	HasNextPage bool
	Total       int
}

// Normalize applies defaults and checks limits.
func (q *RecordQuery) Normalize() error {
	if err := ValidRecordKey(q.Collection, "x"); err != nil {
		return err
	}
	if err := inRange(&q.First, DefaultRecordFirst, 1, MaxRecordFirst, "records: first"); err != nil {
		return err
	}
	if len(q.After) > MaxRecordIDBytes || len(q.Prefix) > MaxRecordIDBytes {
		return fmt.Errorf("records: cursor or prefix longer than %d bytes: %w", MaxRecordIDBytes, ErrInvalid)
	}
	return nil
}

// Validate checks a record before it is written.
func (r *Record) Validate() error {
	if err := ValidRecordKey(r.Collection, r.ID); err != nil {
		return err
	}
	if r.Version < 0 {
		return fmt.Errorf("record %s/%s: negative version %d: %w", r.Collection, r.ID, r.Version, ErrInvalid)
	}
	if len(r.Data) > MaxRecordBytes {
		return fmt.Errorf("record %s/%s: %d bytes, more than the %d allowed: %w", r.Collection, r.ID, len(r.Data), MaxRecordBytes, ErrTooComplex)
	}
	return nil
}

// ValidRecordKey checks a collection name (lower-case letters, digits, '_'
// and '-') and a record id (non-empty UTF-8 without control characters).
func ValidRecordKey(collection, id string) error {
	if collection == "" || len(collection) > MaxCollectionBytes ||
		strings.TrimLeft(collection, "abcdefghijklmnopqrstuvwxyz0123456789_-") != "" {
		return fmt.Errorf("record collection %q: want 1 to %d of a-z, 0-9, _ and -: %w", collection, MaxCollectionBytes, ErrInvalid)
	}
	if id == "" || len(id) > MaxRecordIDBytes || !utf8.ValidString(id) ||
		strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Errorf("record id %q: want 1 to %d bytes of printable UTF-8: %w", id, MaxRecordIDBytes, ErrInvalid)
	}
	return nil
}
