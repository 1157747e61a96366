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
			// graph.BlockRank from the postings: one for each query
			// token that some name token matches, 100 for an identifier.
			rank := map[int32]int{}
			last := map[int32]int{}
			for k := range q.Tokens {
				for _, t := range g.index.nearTokens(m, k) {
					for _, n := range g.index.post[t] {
						if last[n] != k+1 {
							last[n] = k + 1
							rank[n]++
						}
					}
				}
			}
			for _, id := range q.Identifiers {
				for _, n := range g.ids[id] {
					if last[n] != -1 {
						last[n] = -1
						rank[n] += 100
					}
				}
			}
			kinds := graph.KindSet(q.Kinds)
			// graph.RankCandidates orders by rank and id alone: it is
			// given ids, and only the entities it keeps are decoded.
			var es []graph.Entity
			var ranks []int
			for n, r := range rank {
				nd := &g.nodes[n]
				if !kinds.Has(nd.kind) {
					continue
				}
				es = append(es, graph.Entity{ID: nd.id})
				ranks = append(ranks, r)
			}
			top := graph.RankCandidates(es, ranks, q.Limit)
			for k := range top {
				top[k] = g.nodes[g.nodeIdx[top[k].ID]].entity()
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
