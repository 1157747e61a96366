package analysis

// Limits of the superlinear analyses, owned here once. A request beyond one
// is refused with an error wrapping graph.ErrTooComplex, never answered
// from a sample or an approximation it does not announce.
const (
	// PowerMaxIterations caps the power iterations of PageRank and
	// eigenvector centrality; not converging within it is an error.
	PowerMaxIterations = 10_000
	// PowerTolerance is the convergence rule of the power iterations: every
	// score changes by less than this in the last iteration.
	PowerTolerance = 1e-12

	// MaxEfficiencyEntities bounds global efficiency (a breadth-first search
	// from every entity, O(n·m)), and so Disrupt, which computes it before
	// and after the removal.
	MaxEfficiencyEntities = 100_000

	// MaxExhaustiveSets is the number of candidate sets up to which
	// KeyPlayers searches exhaustively and answers exactly; beyond it, it
	// runs Borgatti's greedy selection with swap improvement (exact=false).
	MaxExhaustiveSets = 1_000_000
	// MaxKeyPlayers bounds k in KeyPlayers.
	MaxKeyPlayers = 20
	// MaxKeyPlayerWork bounds the work of a KeyPlayers search, counted as
	// entity and link visits (each evaluation of all single removals visits
	// every entity and link once); a search that would exceed it is refused.
	MaxKeyPlayerWork = 20_000_000_000
)
