package graph

import (
	"context"
	"fmt"
)

// Sanctions exposure found inside a store. graph/analysis defines what an
// exposure answer is (SanctionsExposure over a snapshot); a store that can
// find the designated entities near an entity and their paths where the
// data lives (Neo4j in one Cypher query, the embedded store in one search
// over its adjacency) implements ExposureStore, and analysis then builds
// the same answer from those paths instead of fetching a snapshot and
// walking it in Go (graph/storetest checks both roads against a
// brute-force reference). Neither store's road is bound by
// MaxSnapshotNodes, which bounds only the snapshot road.

// ExposureQuery asks for the entities designated under When within
// MaxHops links of ID (ID itself excluded), over the links of LinkTypes
// (every type when empty) in force under When, taken in either direction.
type ExposureQuery struct {
	ID        string
	MaxHops   int
	LinkTypes []LinkType
	// Select is what the caller reads of the paths' entities and links;
	// a store reads the designations of a partial selection all the same,
	// since the answer is built from them.
	Select Selection
	When
}

// Normalize checks the query: MaxHops must be 1..MaxHops (no default: the
// callers give theirs, DefaultExposureHops for the API).
func (q *ExposureQuery) Normalize() error {
	if err := ValidateID(q.ID); err != nil {
		return fmt.Errorf("sanctionsExposure: %w", err)
	}
	if q.MaxHops < 1 {
		return fmt.Errorf("sanctionsExposure: maxHops must be at least 1: %w", ErrInvalid)
	}
	if q.MaxHops > MaxHops {
		return fmt.Errorf("sanctionsExposure: maxHops must be at most %d: %w", MaxHops, ErrTooComplex)
	}
	for _, t := range q.LinkTypes {
		if !t.Valid() {
			return fmt.Errorf("sanctionsExposure: unknown link type %q: %w", t, ErrInvalid)
		}
	}
	return q.Check("sanctionsExposure")
}

// ExposureStore is implemented by stores that find exposure paths
// themselves. ExposurePaths returns one path for every entity designated
// under q.When (a designation in force then; any designation when When
// restricts nothing) within q.MaxHops links of q.ID, other than q.ID: a
// shortest one, and of the shortest the one whose link ids are least
// element by element (which is the path a breadth-first search finds when
// it takes every entity's links in link-id order). Each path starts at
// q.ID and ends at the designated entity, records whole; the paths are in
// no particular order. It returns ErrNotFound when q.ID is unknown, and
// errors.ErrUnsupported when the store declines (too many shortest paths
// to choose among, say), for the caller to walk a snapshot instead.
type ExposureStore interface {
	ExposurePaths(ctx context.Context, q ExposureQuery) ([]Path, error)
}
