package embedded

import (
	"context"
	"fmt"

	"github.com/skein-project/skein/graph"
)

// Candidates is screening's blocking over the token and identifier
// indexes (see graph.Store.Candidates).
func (s *Store) Candidates(ctx context.Context, qs []graph.CandidateQuery) ([][]graph.Entity, error) {
	for i := range qs {
		if err := qs[i].Normalize(); err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
	}
	out := make([][]graph.Entity, len(qs))
	err := s.read(ctx, func(g *memGraph) error {
		for i := range qs {
			if err := ctxErr(ctx); err != nil {
				return err
			}
			q := &qs[i]
			m := graph.NewMatcher(q.Tokens)
			slots := map[int32]bool{}
			g.index.any(m, slots)
			for _, id := range q.Identifiers {
				for _, n := range g.ids[id] {
					slots[n] = true
				}
			}
			kinds := graph.KindSet(q.Kinds)
			var es []graph.Entity
			var ranks []int
			for n := range slots {
				nd := &g.nodes[n]
				if !kinds.Has(nd.e.Kind) {
					continue
				}
				es = append(es, nd.e)
				ranks = append(ranks, graph.BlockRank(q, m, nd.names, graph.EntityIdentifiers(&nd.e)))
			}
			top := graph.RankCandidates(es, ranks, q.Limit)
			for k := range top {
				top[k] = top[k].Clone()
			}
			out[i] = top
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
