package main

import (
	"context"
	"fmt"
	"time"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
)

// The raw Cypher baseline: what a developer would hand-write for each
// operation with neo4j-go-driver, one query per operation, returning the
// same fields the GraphQL queries select (ids, lengths).
const (
	cypherSearch = "CALL db.index.fulltext.queryNodes('entity_search', $q, {limit: 20}) YIELD node RETURN node.id AS id"
	cypherPaths  = "MATCH p = SHORTEST 10 (a:Entity {id: $from})-[]-{1,4}(b:Entity {id: $to}) RETURN length(p) AS len"
	cypherShared = "MATCH (x:Entity {id: $a})--(s:Entity)--(y:Entity {id: $b}) WHERE s <> x AND s <> y " +
		"WITH DISTINCT s ORDER BY s.id RETURN s.id AS id"
)

// cypherNbr walks up to depth hops with a pruning (distinct) expansion,
// cuts at limit and returns the links among the nodes kept. Depth is a
// literal: Cypher takes no parameter there.
func cypherNbr(depth int) string {
	return fmt.Sprintf("MATCH (s:Entity {id: $id}) "+
		"CALL { WITH s MATCH (s)-[*0..%d]-(n:Entity) RETURN DISTINCT n LIMIT $limit1 } "+
		"WITH collect(n) AS ns WITH ns[..$limit] AS nodes, size(ns) > $limit AS truncated "+
		"CALL { WITH nodes UNWIND nodes AS a MATCH (a)-[r]->(b) WHERE b IN nodes RETURN collect(r.id) AS links } "+
		"RETURN [n IN nodes | n.id] AS nodes, links, truncated", depth)
}

// inForce is the hand-written as-of condition on relationship r, over the
// native first and last days Skein's Neo4j store keeps beside each date
// (startLo, endHi): in force at the day $at.
func inForce(r string) string {
	return fmt.Sprintf("(%[1]s.startLo IS NULL OR %[1]s.startLo <= $at) AND (%[1]s.endHi IS NULL OR %[1]s.endHi >= $at)", r)
}

// cypherNbrAsOf is cypherNbr over the links in force at $at only.
func cypherNbrAsOf(depth int) string {
	return fmt.Sprintf("MATCH (s:Entity {id: $id}) "+
		"CALL { WITH s MATCH (s)-[rs*0..%d]-(n:Entity) WHERE all(r IN rs WHERE %s) RETURN DISTINCT n LIMIT $limit1 } "+
		"WITH collect(n) AS ns WITH ns[..$limit] AS nodes, size(ns) > $limit AS truncated "+
		"CALL { WITH nodes UNWIND nodes AS a MATCH (a)-[r]->(b) WHERE b IN nodes AND %s RETURN collect(r.id) AS links } "+
		"RETURN [n IN nodes | n.id] AS nodes, links, truncated", depth, inForce("r"), inForce("r"))
}

// cypherChrono is the chronological paths by hand: simple paths of 1..4
// links, every link dated, start days non-decreasing from $from to $to,
// the 10 shortest.
const cypherChrono = "MATCH p = (a:Entity {id: $from})-[rs*1..4]-(b:Entity {id: $to}) " +
	"WHERE all(r IN rs WHERE r.startLo IS NOT NULL) " +
	"AND all(i IN range(0, size(rs) - 2) WHERE rs[i].startLo <= rs[i + 1].startLo) " +
	"AND all(i IN range(0, length(p)) WHERE all(j IN range(i + 1, length(p)) WHERE nodes(p)[i] <> nodes(p)[j])) " +
	"RETURN length(p) AS len ORDER BY len LIMIT 10"

type cypherClient struct {
	driver neo4jdrv.DriverWithContext
}

func (c *cypherClient) run(ctx context.Context, q string, params map[string]any) (*neo4jdrv.EagerResult, error) {
	return neo4jdrv.ExecuteQuery(ctx, c.driver, q, params, neo4jdrv.EagerResultTransformer,
		neo4jdrv.ExecuteQueryWithReadersRouting())
}

func cypherOps(c *cypherClient, w *workload) map[string]op {
	at, err := time.Parse(time.DateOnly, w.AsOf)
	if err != nil {
		panic(fmt.Sprintf("bench: as-of date %q: %v", w.AsOf, err)) // a constant of the workload
	}
	nbrQuery := func(q string, ids []string, asOf bool) op {
		return func(ctx context.Context, i int) (outcome, error) {
			params := map[string]any{"id": ids[i%len(ids)], "limit": nbrLimit, "limit1": nbrLimit + 1}
			if asOf {
				params["at"] = neo4jdrv.DateOf(at)
			}
			res, err := c.run(ctx, q, params)
			if err != nil {
				return outcome{}, err
			}
			if len(res.Records) != 1 {
				return outcome{}, fmt.Errorf("neighbourhood: %d records", len(res.Records))
			}
			nodes, _ := res.Records[0].Get("nodes")
			trunc, _ := res.Records[0].Get("truncated")
			ns, _ := nodes.([]any)
			t, _ := trunc.(bool)
			return outcome{Nodes: len(ns), Truncated: t}, nil
		}
	}
	nbr := func(ids []string, depth int) op { return nbrQuery(cypherNbr(depth), ids, false) }
	ops := map[string]op{
		opSearch: func(ctx context.Context, i int) (outcome, error) {
			_, err := c.run(ctx, cypherSearch, map[string]any{"q": luceneQuery(w.Search[i%len(w.Search)])})
			return outcome{}, err
		},
		opPaths: func(ctx context.Context, i int) (outcome, error) {
			p := w.Paths[i%len(w.Paths)]
			_, err := c.run(ctx, cypherPaths, map[string]any{"from": p[0], "to": p[1]})
			return outcome{}, err
		},
		opChrono: func(ctx context.Context, i int) (outcome, error) {
			p := w.Paths[i%len(w.Paths)]
			res, err := c.run(ctx, cypherChrono, map[string]any{"from": p[0], "to": p[1]})
			if err != nil {
				return outcome{}, err
			}
			return outcome{Nodes: len(res.Records)}, nil
		},
		opShared: func(ctx context.Context, i int) (outcome, error) {
			p := w.Shared[i%len(w.Shared)]
			_, err := c.run(ctx, cypherShared, map[string]any{"a": p[0], "b": p[1]})
			return outcome{}, err
		},
	}
	for d := 1; d <= 3; d++ {
		ops[nbrOp("hub", d)] = nbr(w.Hubs, d)
		ops[nbrOp("ordinary", d)] = nbr(w.Ordinary, d)
	}
	for d := 1; d <= 2; d++ {
		ops[asOfOp("hub", d)] = nbrQuery(cypherNbrAsOf(d), w.Hubs, true)
		ops[asOfOp("ordinary", d)] = nbrQuery(cypherNbrAsOf(d), w.Ordinary, true)
	}
	return ops
}

// luceneQuery is the full-text query Skein's Neo4j store sends for text.
func luceneQuery(text string) string {
	return neo4j.LuceneQuery(graph.FoldTokens(text))
}
