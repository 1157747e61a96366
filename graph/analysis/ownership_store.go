package analysis

import (
	"context"
	"errors"
	"fmt"

	"github.com/skein-project/skein/graph"
)

// OwnershipOptions are the parts of an ownership question beyond its
// subject: the smallest share listed, the time the OWNS links (and, for
// SanctionsOwnershipIn, the designations) are taken in force at, whether
// the chains themselves are wanted or only the figures, and what the
// caller reads of the entities and links (graph.Selection).
type OwnershipOptions struct {
	MinShare float64
	When     graph.When
	Chains   bool
	Select   graph.Selection
}

// HoldingsIn is Holdings over the OWNS links of s in force under
// opt.When. A store that enumerates the chains itself
// (graph.OwnershipStore) answers with their tallies; any other store is
// read as a snapshot around id. Without opt.Chains the answer's Paths and
// Unknown may be empty (Stated and Unstated count them).
func HoldingsIn(ctx context.Context, s graph.Store, id string, opt OwnershipOptions) ([]Ownership, error) {
	return ownershipIn(ctx, s, id, opt, true)
}

// OwnersIn is Owners over s, as HoldingsIn is Holdings.
func OwnersIn(ctx context.Context, s graph.Store, id string, opt OwnershipOptions) ([]Ownership, error) {
	return ownershipIn(ctx, s, id, opt, false)
}

func ownershipIn(ctx context.Context, s graph.Store, id string, opt OwnershipOptions, forward bool) ([]Ownership, error) {
	what := "owners"
	if forward {
		what = "holdings"
	}
	if err := checkMinShare(what, opt.MinShare); err != nil {
		return nil, err
	}
	if os, ok := s.(graph.OwnershipStore); ok {
		ts, err := os.OwnershipTallies(ctx, graph.OwnershipQuery{ID: id, Holdings: forward, MaxDepth: MaxOwnershipDepth,
			Chains: opt.Chains, Select: opt.Select, When: opt.When})
		switch {
		case err == nil:
			return ownerships(ts, opt.MinShare, forward), nil
		case errors.Is(err, graph.ErrNotFound):
			return nil, fmt.Errorf("%s: entity %q: %w", what, id, graph.ErrNotFound)
		case !errors.Is(err, errors.ErrUnsupported):
			return nil, err
		}
	}
	// Every chain of up to MaxOwnershipDepth links from id lies in its
	// OWNS neighbourhood of that depth.
	q := graph.SnapshotQuery{IDs: []string{id}, Depth: MaxOwnershipDepth, LinkTypes: []graph.LinkType{graph.LinkOwns}, When: opt.When}
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	sg, err := s.Snapshot(ctx, q)
	if err != nil {
		return nil, err
	}
	return holdingsOrOwners(ctx, sg, id, opt.MinShare, forward)
}

// SanctionsOwnershipIn is SanctionsOwnership over the whole of s: the OWNS
// links in force under opt.When, and the parties with a designation in
// force then (any designation when opt.When restricts nothing). A
// graph.OwnershipStore answers with its tallies; any other store is read
// as a whole-graph snapshot.
func SanctionsOwnershipIn(ctx context.Context, s graph.Store, combined bool, opt OwnershipOptions) ([]OwnershipFinding, error) {
	if err := checkMinShare("sanctionsOwnership", opt.MinShare); err != nil {
		return nil, err
	}
	if os, ok := s.(graph.OwnershipStore); ok {
		ts, err := os.DesignatedOwnership(ctx, graph.DesignatedOwnershipQuery{Combined: combined, MaxDepth: MaxOwnershipDepth,
			Chains: opt.Chains, Select: opt.Select, When: opt.When})
		if err == nil {
			return findings(ts, opt.MinShare, combined), nil
		}
		if !errors.Is(err, errors.ErrUnsupported) {
			return nil, err
		}
	}
	q := graph.SnapshotQuery{LinkTypes: []graph.LinkType{graph.LinkOwns}, When: opt.When}
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	sg, err := s.Snapshot(ctx, q)
	if err != nil {
		return nil, err
	}
	return SanctionsOwnership(ctx, sg, opt.MinShare, combined, func(e graph.Entity) bool { return e.SanctionedUnder(opt.When) })
}
