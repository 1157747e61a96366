package neo4j

import (
	"context"
	"fmt"

	"github.com/skein-project/skein/graph"
)

// Every relationship carries the ids of its two ends (srcIDProp,
// tgtIDProp) beside the nodes' own, indexed per type and direction
// (linkEndIndexes): a neighbourhood is cut by distance then id, and at a
// hub the index gives the first level's links in order of the
// neighbour's id, so the cut stops after the limit instead of reading
// every neighbour's id (firstLevel). Reading the copy instead of the
// node's id during an expansion was measured too, and is no cheaper. An
// entity's id never changes (putEntities merges on it; a merge of
// entities re-creates the links of the merged ones on the kept one), so
// the copies cannot go stale; the write path sets them on every link it
// creates or rewrites (putLinks), and migrateEndIDs gives them to the
// links of a database written before.
const (
	srcIDProp = "srcId"
	tgtIDProp = "tgtId"
)

// endIDMigration marks a database whose links all carry their ends' ids.
const endIDMigration = "link-end-ids-1"

// endIDMigrationBatch is how many relationships one migration transaction
// writes.
const endIDMigrationBatch = 10000

// linkEndIndexes are the range indexes on each link type's copies of its
// ends' ids, one per direction, so that firstLevel finds a start's links
// by the start's id in order of the other end's.
func linkEndIndexes() []string {
	var out []string
	for _, lt := range graph.LinkTypes {
		t := mustType(lt)
		out = append(out,
			fmt.Sprintf("CREATE RANGE INDEX link_ends_out_%s IF NOT EXISTS FOR ()-[r:%s]-() ON (r.%s, r.%s)", t, t, srcIDProp, tgtIDProp),
			fmt.Sprintf("CREATE RANGE INDEX link_ends_in_%s IF NOT EXISTS FOR ()-[r:%s]-() ON (r.%s, r.%s)", t, t, tgtIDProp, srcIDProp))
	}
	return out
}

// migrateEndIDs gives every link its ends' ids, type by type in batches
// along the type's id index (the seek hint keeps a plan made on a nearly
// empty database from scanning every link per batch), each a managed
// write transaction, then marks
// the database done so later start-ups skip the scan. It is idempotent:
// it writes what putLinks would.
func (s *Store) migrateEndIDs(ctx context.Context) error {
	done, err := read(ctx, s, func(tx *txn) (bool, error) {
		recs, err := tx.collect(ctx, "MATCH (m:SkeinMigration {id: $id}) RETURN count(m) AS n", map[string]any{"id": endIDMigration})
		return err == nil && len(recs) == 1 && integer(get(recs[0], "n")) > 0, err
	})
	if err != nil || done {
		return err
	}
	total := 0
	for _, lt := range graph.LinkTypes {
		t := mustType(lt)
		cypher := "MATCH (a)-[r:" + t + "]->(b) USING INDEX SEEK r:" + t + "(id) WHERE r.id > $after WITH a, r, b ORDER BY r.id LIMIT $n " +
			"SET r." + srcIDProp + " = a.id, r." + tgtIDProp + " = b.id RETURN count(r) AS n, max(r.id) AS last"
		after := ""
		for {
			type res struct {
				n    int
				last string
			}
			r, err := write(ctx, s, func(tx *txn) (res, error) {
				rec, err := tx.single(ctx, "end id migration", cypher, map[string]any{"after": after, "n": int64(endIDMigrationBatch)})
				if err != nil {
					return res{}, err
				}
				return res{integer(get(rec, "n")), str(get(rec, "last"))}, nil
			})
			if err != nil {
				return fmt.Errorf("neo4j: migrate link end ids (%s): %w", t, err)
			}
			total += r.n
			if r.n < endIDMigrationBatch {
				break
			}
			after = r.last
		}
	}
	if total > 0 {
		s.log.Info("neo4j: links given their ends' ids", "links", total)
	}
	_, err = write(ctx, s, func(tx *txn) (struct{}, error) {
		return struct{}{}, tx.exec(ctx, "MERGE (:SkeinMigration {id: $id})", map[string]any{"id": endIDMigration})
	})
	if err != nil {
		return fmt.Errorf("neo4j: migrate link end ids: %w", err)
	}
	return nil
}
