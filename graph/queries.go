package graph

import (
	"fmt"
	"slices"
	"strings"
)

// Limits and defaults shared by every store and the API. The GraphQL
// schema's argument defaults are these (a test in schema checks the SDL).
const (
	MaxDepth              = 6 // neighbourhood and snapshot depth
	DefaultDepth          = 1 // neighbourhood depth
	MaxHops               = 6 // path length
	DefaultMaxHops        = 4 // path length
	MaxSharedDepth        = 3 // shared associates depth
	DefaultSharedDepth    = 1
	DefaultLimit          = 500  // neighbourhood node limit
	MaxLimit              = 5000 // neighbourhood node limit
	DefaultPathLimit      = 10
	MaxPathLimit          = 100
	DefaultFirst          = 20
	MaxFirst              = 100
	MaxQueryText          = 256 // search text, in bytes
	MaxIDsPerQuery        = 1000
	MaxSnapshotNodes      = 200_000 // neighbourhood snapshots for analysis
	DefaultAnalysisDepth  = 2       // centrality, communities, brokers
	DefaultTop            = 20      // centrality results
	MaxTop                = 1000
	DefaultExposureHops   = 3 // sanctions exposure
	DefaultAuditFirst     = 50
	MaxAuditFirst         = 1000
	DefaultOwnershipFirst = 100 // sanctionsOwnership findings per page
	MaxOwnershipFirst     = 1000
	DefaultTimelineDepth  = 1   // timeline neighbourhood depth
	DefaultTimelineFirst  = 100 // timeline events per page
	MaxTimelineFirst      = 100
	// MaxLinksFirst bounds the links listed for one entity (Entity.links);
	// it is also how many are listed when first is not given.
	MaxLinksFirst = 1000
)

// LinksPage bounds the links listed for one entity: the first First by
// id, at most MaxLinksFirst, which is also the default.
type LinksPage struct {
	First int
}

// Normalize applies the default and checks the limit.
func (p *LinksPage) Normalize() error {
	if p.First < 0 {
		return fmt.Errorf("links: first must be at least 1: %w", ErrInvalid)
	}
	return inRange(&p.First, MaxLinksFirst, 1, MaxLinksFirst, "links: first")
}

// SearchQuery asks for entities matching Text.
//
// Matching: Text and every name and alias are folded (FoldTokens). An
// entity matches when every query token matches some token of one of its
// names: equal, a prefix of it, or within the typo allowance (TypoAllowance).
// Results are ordered by MatchScore descending, then id; After is a cursor
// from a previous page (EndCursor) and First the page size.
type SearchQuery struct {
	Text  string
	Kinds []Kind
	First int
	After string
	// SkipTotal says the caller does not read TotalCount, so a store
	// need not pay for counting beyond the candidates it ranks (it may
	// then leave TotalCount at the number it has seen).
	SkipTotal bool
	// Select is what the caller reads of the hits' entities (the zero
	// value: whole records); it never changes which entities are found
	// or their order. Only its Entity parts matter.
	Select Selection
}

// Normalize applies defaults and checks limits.
func (q *SearchQuery) Normalize() error {
	q.Text = strings.TrimSpace(q.Text)
	if q.Text == "" {
		return fmt.Errorf("search: empty query: %w", ErrInvalid)
	}
	if len(q.Text) > MaxQueryText {
		return fmt.Errorf("search: query longer than %d bytes: %w", MaxQueryText, ErrInvalid)
	}
	if len(FoldTokens(q.Text)) == 0 {
		return fmt.Errorf("search: query %q has no letters or digits: %w", q.Text, ErrInvalid)
	}
	if err := validKinds(q.Kinds); err != nil {
		return err
	}
	if q.First == 0 {
		q.First = DefaultFirst
	}
	if q.First < 0 || q.First > MaxFirst {
		return fmt.Errorf("search: first must be between 1 and %d: %w", MaxFirst, ErrInvalid)
	}
	if q.After != "" {
		if _, err := DecodeCursor(q.After); err != nil {
			return err
		}
	}
	return nil
}

// SearchHit is one ranked search result.
type SearchHit struct {
	Entity Entity  `json:"entity"`
	Score  float64 `json:"score"`
	Cursor string  `json:"cursor"`
}

// SearchResult is one page of search hits.
type SearchResult struct {
	Hits        []SearchHit `json:"hits"`
	TotalCount  int         `json:"totalCount"`
	HasNextPage bool        `json:"hasNextPage"`
	EndCursor   string      `json:"endCursor"`
}

// NeighborhoodQuery asks for the subgraph around ID.
//
// Semantics: starting at ID, walk links of LinkTypes (all when empty) in
// either direction up to Depth hops, entering only entities of Kinds (all
// when empty; the start entity is always included). Nodes are ordered by
// hop distance, then id, and cut at Limit (Truncated reports the cut).
// Links are every link of LinkTypes whose two ends are both among the
// nodes, ordered by id. An unknown ID is ErrNotFound. When restricts the
// walk and the links to those in force at AsOf or during the window (see
// time.go): a link out of it is as if it did not exist.
type NeighborhoodQuery struct {
	ID        string
	Depth     int
	LinkTypes []LinkType
	Kinds     []Kind
	Limit     int
	When
	// Select is what the caller reads of the nodes and links (the zero
	// value: whole records); it never changes which nodes and links are
	// returned.
	Select Selection
}

// Normalize applies defaults and checks limits.
func (q *NeighborhoodQuery) Normalize() error {
	if err := ValidateID(q.ID); err != nil {
		return err
	}
	if err := inRange(&q.Depth, 0, 0, MaxDepth, "neighborhood: depth"); err != nil {
		return err
	}
	if err := inRange(&q.Limit, DefaultLimit, 1, MaxLimit, "neighborhood: limit"); err != nil {
		return err
	}
	if err := validLinkTypes(q.LinkTypes); err != nil {
		return err
	}
	if err := q.Check("neighborhood"); err != nil {
		return err
	}
	return validKinds(q.Kinds)
}

// PathQuery asks for paths between From and To.
//
// Semantics: simple paths (no entity twice) of 1..MaxHops links, each link
// of LinkTypes (all when empty) followed in either direction. Paths are
// ordered by length, then by the sequence of their link ids compared
// element by element (SortPaths); the first Limit are returned. From == To
// is ErrInvalid; an unknown From or To is ErrNotFound. (Weighted paths are
// computed in graph/analysis over a snapshot.)
//
// When keeps only links in force at AsOf or during the window.
// Chronological keeps only paths whose links, taken in order from From to
// To, have non-decreasing start dates (i2's sequential events), a partial
// date counting from its first day (Link.Start); a link without a start
// date cannot be part of one.
type PathQuery struct {
	From          string
	To            string
	MaxHops       int
	LinkTypes     []LinkType
	Limit         int
	Chronological bool
	When
	// Select is what the caller reads of the paths' nodes and links (the
	// zero value: whole records); it never changes which paths are
	// returned.
	Select Selection
}

// Normalize applies defaults and checks limits.
func (q *PathQuery) Normalize() error {
	if err := ValidateID(q.From); err != nil {
		return err
	}
	if err := ValidateID(q.To); err != nil {
		return err
	}
	if q.From == q.To {
		return fmt.Errorf("paths: from and to are the same entity: %w", ErrInvalid)
	}
	if err := inRange(&q.MaxHops, DefaultMaxHops, 1, MaxHops, "paths: maxHops"); err != nil {
		return err
	}
	if err := inRange(&q.Limit, DefaultPathLimit, 1, MaxPathLimit, "paths: limit"); err != nil {
		return err
	}
	if err := q.Check("paths"); err != nil {
		return err
	}
	return validLinkTypes(q.LinkTypes)
}

// SharedQuery asks for the common associates of IDs, over links in force
// at AsOf or during the window. Select says what the caller reads of the
// entities: a store may leave the rest empty.
type SharedQuery struct {
	IDs   []string
	Depth int
	When
	Select Selection
}

// Normalize applies defaults and checks limits.
func (q *SharedQuery) Normalize() error {
	q.IDs = dedupe(q.IDs)
	if len(q.IDs) < 2 {
		return fmt.Errorf("sharedAssociates: needs at least two distinct ids: %w", ErrInvalid)
	}
	if len(q.IDs) > MaxIDsPerQuery {
		return fmt.Errorf("sharedAssociates: more than %d ids: %w", MaxIDsPerQuery, ErrTooComplex)
	}
	for _, id := range q.IDs {
		if err := ValidateID(id); err != nil {
			return err
		}
	}
	if err := q.Check("sharedAssociates"); err != nil {
		return err
	}
	return inRange(&q.Depth, DefaultSharedDepth, 1, MaxSharedDepth, "sharedAssociates: depth")
}

// SnapshotQuery asks for a subgraph to analyse: the whole graph when IDs is
// empty; otherwise every entity within Depth hops of any of IDs over links
// of LinkTypes, with the links among them. Nodes are ordered by id. A
// neighbourhood snapshot larger than MaxSnapshotNodes is ErrTooComplex.
// Unknown IDs are ErrNotFound. When keeps only the links in force at AsOf
// or during the window, for the walk and the answer alike; a whole-graph
// snapshot still has every entity. (Designations are not filtered: an
// analysis asks When itself.)
type SnapshotQuery struct {
	IDs       []string
	Depth     int
	LinkTypes []LinkType
	When
	// Topology says the caller reads only the shape of the graph: entity
	// ids and kinds, link types and ends (what most analyses read). A store
	// may then leave every other field empty, links' ids included, and so
	// spare decoding the whole graph (the embedded store does), or return
	// whole records.
	Topology bool
	// Select is what the caller reads of the nodes and links (the zero
	// value: whole records); it never changes which are returned.
	Select Selection
}

// Normalize applies defaults and checks limits.
func (q *SnapshotQuery) Normalize() error {
	q.IDs = dedupe(q.IDs)
	if len(q.IDs) > MaxIDsPerQuery {
		return fmt.Errorf("snapshot: more than %d ids: %w", MaxIDsPerQuery, ErrTooComplex)
	}
	for _, id := range q.IDs {
		if err := ValidateID(id); err != nil {
			return err
		}
	}
	if err := inRange(&q.Depth, 0, 0, MaxDepth, "snapshot: depth"); err != nil {
		return err
	}
	if err := q.Check("snapshot"); err != nil {
		return err
	}
	return validLinkTypes(q.LinkTypes)
}

// inRange applies def to a zero *v, then checks lo <= *v <= hi; what
// names the field in the error.
func inRange(v *int, def, lo, hi int, what string) error {
	if *v == 0 {
		*v = def
	}
	if *v < lo || *v > hi {
		return fmt.Errorf("%s must be between %d and %d: %w", what, lo, hi, ErrTooComplex)
	}
	return nil
}

func dedupe(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// SortPaths orders paths as PathQuery documents: by total weight when
// weighted, then length, then link ids element by element.
func SortPaths(paths []Path, weighted bool) {
	slices.SortStableFunc(paths, func(a, b Path) int {
		if weighted {
			wa, wb := a.Weight(), b.Weight()
			if wa < wb {
				return -1
			}
			if wa > wb {
				return 1
			}
		}
		if d := a.Length() - b.Length(); d != 0 {
			return d
		}
		for i := range a.Links {
			if c := strings.Compare(a.Links[i].ID, b.Links[i].ID); c != 0 {
				return c
			}
		}
		return 0
	})
}

// Weight is the sum of the path's link weights, a link without weight
// counting 1.
func (p Path) Weight() float64 {
	var w float64
	for _, l := range p.Links {
		if l.Weight > 0 {
			w += l.Weight
		} else {
			w++
		}
	}
	return w
}
