package neo4j

import (
	"context"
	"fmt"
	"strings"

	"github.com/skein-project/skein/graph"
)

// textVersion is the version of the derived properties an entity node
// carries (searchText, latinText, idText, designatedFrom, designatedTo),
// stored in its textVersion property. Version 1: searchText holds
// graph.SearchText, latinText graph.LatinText (the transliterated tokens
// of names in Cyrillic or Greek, for screening's blocking) and idText the
// entity's identifiers. Version 2 adds designatedFrom and designatedTo,
// the first and last day of each designation's span as day numbers
// (designationSpans), which ownership queries filter on. Nodes without it
// were written by an earlier Skein (or by a hand-made Cypher import);
// migrateText brings them up to date at start-up.
const textVersion = 3

// textMigrationBatch is how many entities one migration transaction
// rewrites.
const textMigrationBatch = 5000

// indexedText is the derived properties of an entity node.
func indexedText(e *graph.Entity) map[string]any {
	from, to := designationSpans(e)
	return map[string]any{
		"searchText":     graph.SearchText(e),
		"latinText":      stringOrNil(graph.LatinText(e)),
		"idText":         stringOrNil(strings.Join(graph.EntityIdentifiers(e), " ")),
		"designatedFrom": from,
		"designatedTo":   to,
		"searchKey":      graph.SearchKey(e),
		"textVersion":    int64(textVersion),
	}
}

// migrateText recomputes the derived properties of the entities whose
// textVersion is missing or older, in batches: each a managed write
// transaction that reads a batch and writes it back with one UNWIND. It is
// idempotent: it rewrites what the current version would write, and a
// database already up to date costs one scan that finds nothing.
func (s *Store) migrateText(ctx context.Context) error {
	total := 0
	for {
		n, err := write(ctx, s, func(tx *txn) (int, error) {
			recs, err := tx.collect(ctx, "MATCH (e:Entity) WHERE e.textVersion IS NULL OR e.textVersion < $v "+
				"RETURN e"+entityProj+" AS e LIMIT $n", map[string]any{"v": int64(textVersion), "n": int64(textMigrationBatch)})
			if err != nil || len(recs) == 0 {
				return 0, err
			}
			rows := make([]any, len(recs))
			for i, r := range recs {
				e, err := decodeEntity(get(r, "e"))
				if err != nil {
					return 0, err
				}
				row := indexedText(&e)
				row["id"] = e.ID
				rows[i] = row
			}
			return len(rows), tx.exec(ctx, "UNWIND $rows AS r MATCH (e:Entity {id: r.id}) "+
				"SET e.searchText = r.searchText, e.latinText = r.latinText, e.idText = r.idText, "+
				"e.designatedFrom = r.designatedFrom, e.designatedTo = r.designatedTo, e.searchKey = r.searchKey, e.textVersion = r.textVersion",
				map[string]any{"rows": rows})
		})
		if err != nil {
			return fmt.Errorf("neo4j: migrate indexed text: %w", err)
		}
		total += n
		if n < textMigrationBatch {
			if total > 0 {
				s.log.Info("neo4j: indexed text brought up to date", "entities", total, "version", textVersion)
			}
			return nil
		}
	}
}
