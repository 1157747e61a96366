package graph

import (
	"context"
	"fmt"
)

// Ownership chains computed inside a store. graph/analysis defines what an
// ownership answer is (Holdings, Owners, SanctionsOwnership) and computes
// it over a snapshot; a store that can enumerate the OWNS chains where the
// data lives (Neo4j, in one Cypher query) implements OwnershipStore, and
// analysis then finishes the same answer from the store's tallies instead
// of fetching a snapshot. The tallies are exactly what the snapshot walk
// accumulates, so both roads give one answer (graph/analysis tests it on
// both stores).

// MaxOwnershipChains bounds the simple OWNS chains one ownership question
// may enumerate; a question needing more is refused (ErrTooComplex).
const MaxOwnershipChains = 200_000

// ownsPercentage is the registry's OWNS percentage field.
var ownsPercentage = func() Field {
	s, _ := LinkOwns.Spec()
	f, _ := s.Field("percentage")
	return f
}()

// Percentage returns the share an OWNS link states, in percent; ok is
// false for other link types and when no (readable) percentage is stated.
func (l *Link) Percentage() (float64, bool) {
	if l.Type != LinkOwns {
		return 0, false
	}
	return NumberProperty(l.Properties, ownsPercentage)
}

// OwnershipQuery asks for the simple OWNS chains (no entity twice) of at
// most MaxDepth links from ID (Holdings) or to it (otherwise), over the
// OWNS links in force under When, tallied per entity at their other end.
type OwnershipQuery struct {
	ID       string
	Holdings bool
	MaxDepth int
	// Chains asks for the chains themselves (OwnershipTally.Paths and
	// Unstated), not only their tallies.
	Chains bool
	// Select is what the caller reads of the entities and links returned.
	Select Selection
	When
}

// Normalize checks the query.
func (q *OwnershipQuery) Normalize() error {
	if err := ValidateID(q.ID); err != nil {
		return err
	}
	if err := inRange(&q.MaxDepth, MaxDepth, 1, MaxDepth, "ownership: depth"); err != nil {
		return err
	}
	return q.Check("ownership")
}

// DesignatedOwnershipQuery asks, for every entity designated under When
// (a designation in force then; any designation when When restricts
// nothing), for the simple OWNS chains of at most MaxDepth links from it
// to undesignated entities, over the OWNS links in force under When,
// tallied per (designated owner, asset). With Combined, chains that pass
// through another designated entity are not followed.
type DesignatedOwnershipQuery struct {
	Combined bool
	MaxDepth int
	Chains   bool
	Select   Selection
	When
}

// Normalize checks the query.
func (q *DesignatedOwnershipQuery) Normalize() error {
	if err := inRange(&q.MaxDepth, MaxDepth, 1, MaxDepth, "ownership: depth"); err != nil {
		return err
	}
	return q.Check("sanctionsOwnership")
}

// OwnershipTally is what the chains from one owner to one asset add up
// to. Share is the sum, over the chains whose every link states a
// percentage, of 100 times the product of the percentages over 100, each
// product taken along the chain and the sum in chain order (chains ordered
// by their link ids from the walk's start: the owner for holdings and
// sanctions ownership, the asset for owners), unrounded; Direct is the sum
// of the percentages of the stated one-link chains, HasDirect whether there
// is one. Stated and Unstated count the chains with every percentage
// stated and the others.
type OwnershipTally struct {
	Owner, Asset     Entity
	Share, Direct    float64
	HasDirect        bool
	Stated, Unstated int
	// Paths and UnstatedPaths are the chains, owner first, in chain order,
	// when the query asks for them.
	Paths, UnstatedPaths []Path
}

// OwnershipStore is implemented by stores that enumerate ownership chains
// themselves. Either method may return ErrNotFound (OwnershipTallies: ID is
// unknown), ErrTooComplex when more than MaxOwnershipChains chains would
// be enumerated, and errors.ErrUnsupported when the store declines, for the
// caller to walk a snapshot instead.
type OwnershipStore interface {
	OwnershipTallies(ctx context.Context, q OwnershipQuery) ([]OwnershipTally, error)
	DesignatedOwnership(ctx context.Context, q DesignatedOwnershipQuery) ([]OwnershipTally, error)
}

// ErrTooManyChains refuses a question with more than MaxOwnershipChains
// chains; it wraps ErrTooComplex.
var ErrTooManyChains = fmt.Errorf("ownership: more than %d OWNS chains: %w", MaxOwnershipChains, ErrTooComplex)
