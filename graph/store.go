package graph

import (
	"context"
)

// Store is a graph backend. Every implementation must pass graph/storetest
// unchanged, which pins down the semantics documented here; methods that
// take queries call the query's Normalize first so every store applies the
// same defaults and limits.
type Store interface {
	// Upsert writes a batch in one transaction: documents, then entities,
	// then links (which may point at entities of the same batch). Everything
	// is created or replaced by id and validated (Batch.Normalize) first; on
	// any error nothing is written. Replacing an entity keeps its links. A
	// link whose source or target exists neither in the store nor in the
	// batch fails the batch with ErrInvalid.
	Upsert(ctx context.Context, b Batch) error

	// Entity returns one entity or ErrNotFound.
	Entity(ctx context.Context, id string) (Entity, error)
	// Entities returns the entities that exist among ids, in the order of
	// ids, skipping unknown ids (one round trip for any number of ids).
	Entities(ctx context.Context, ids []string) ([]Entity, error)
	// Link returns one link or ErrNotFound.
	Link(ctx context.Context, id string) (Link, error)
	// Document returns one document or ErrNotFound.
	Document(ctx context.Context, id string) (Document, error)
	// Documents returns every document, ordered by id.
	Documents(ctx context.Context) ([]Document, error)
	// LinksOf returns, for each id, the links touching it in the given
	// direction and of the given types, in force under w, ordered by link
	// id; one round trip.
	LinksOf(ctx context.Context, ids []string, types []LinkType, dir Direction, w When) (map[string][]Link, error)
	// Degrees returns the number of links in force under w touching each
	// existing id (self-links count once); one round trip. An invalid w is
	// ErrInvalid.
	Degrees(ctx context.Context, ids []string, w When) (map[string]int, error)

	// DeleteEntity deletes an entity and every link touching it, or returns
	// ErrNotFound.
	DeleteEntity(ctx context.Context, id string) error
	// DeleteLink deletes a link or returns ErrNotFound.
	DeleteLink(ctx context.Context, id string) error
	// MergeEntities folds the merge entities into keep in one transaction:
	// their links are re-pointed to keep (links that would become
	// duplicates of an existing id are dropped), their names become aliases,
	// and their countries, sources, designations and properties (keep wins
	// on conflicts) are kept. ErrNotFound if any id is unknown, ErrInvalid if
	// merge is empty or contains keep.
	MergeEntities(ctx context.Context, keep string, merge []string) (Entity, error)

	// Search finds entities by name and aliases, folding case and
	// diacritics, matching prefixes and tolerating small typos, ranked by
	// MatchScore (ties by id). See SearchQuery.
	Search(ctx context.Context, q SearchQuery) (SearchResult, error)
	// Candidates is screening's blocking: for each query, the entities
	// (of Kinds, every kind when empty) that share an identifier with it
	// or have a name token equal to one of its tokens or within that
	// token's TypoAllowance, ranked by BlockRank then id, at most Limit
	// of them; one round trip for all the queries. Answers are in the
	// order of qs. See CandidateQuery.
	Candidates(ctx context.Context, qs []CandidateQuery) ([][]Entity, error)
	// Neighborhood returns the subgraph around an entity. See
	// NeighborhoodQuery.
	Neighborhood(ctx context.Context, q NeighborhoodQuery) (Subgraph, error)
	// Paths returns simple paths between two entities. See PathQuery.
	Paths(ctx context.Context, q PathQuery) ([]Path, error)
	// SharedAssociates returns the entities within Depth hops of every one
	// of IDs (excluding IDs themselves), ordered by id.
	SharedAssociates(ctx context.Context, q SharedQuery) ([]Entity, error)
	// Stats counts entities and links.
	Stats(ctx context.Context) (Stats, error)
	// Snapshot returns a subgraph for analysis: the whole graph when IDs is
	// empty, else the neighbourhood of IDs to Depth. See SnapshotQuery.
	Snapshot(ctx context.Context, q SnapshotQuery) (Subgraph, error)

	// Ping checks that the store can serve requests (readiness).
	Ping(ctx context.Context) error
	// Close releases the store.
	Close() error
}

// Subgraph is a set of entities and the links among them. Nodes are
// ordered as each query documents; links are ordered by id.
type Subgraph struct {
	Nodes []Entity `json:"nodes"`
	Links []Link   `json:"links"`
	// LinkColumns, when a store fills it (only when asked:
	// Selection.LinkColumns), holds the links instead of Links, which is
	// then empty.
	LinkColumns *LinkColumns `json:"-"`
	// NodeColumns, when a store fills it (only when asked:
	// Selection.NodeColumns), holds the nodes instead of Nodes, which is
	// then empty.
	NodeColumns *EntityColumns `json:"-"`
	Truncated   bool           `json:"truncated"`
}

// Path is a walk from one entity to another. Nodes has Length+1 entries,
// Links has Length entries; Links[i] joins Nodes[i] and Nodes[i+1] in either
// direction.
type Path struct {
	Nodes []Entity `json:"nodes"`
	Links []Link   `json:"links"`
}

// Length is the number of links on the path.
func (p Path) Length() int { return len(p.Links) }

// Stats counts the graph.
type Stats struct {
	Entities   int              `json:"entities"`
	Links      int              `json:"links"`
	ByKind     map[Kind]int     `json:"byKind"`
	ByLinkType map[LinkType]int `json:"byLinkType"`
}
