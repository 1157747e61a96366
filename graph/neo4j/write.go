package neo4j

import (
	"context"
	"fmt"
	"slices"

	"github.com/skein-project/skein/graph"
)

// Upsert writes a batch in one transaction (see graph.Store): one UNWIND
// query each for documents and entities, then putLinks's lookups and
// writes. A link whose endpoint is neither in the database nor in the
// batch fails the whole batch with ErrInvalid.
func (s *Store) Upsert(ctx context.Context, b graph.Batch) error {
	if err := b.Normalize(); err != nil {
		return fmt.Errorf("upsert: %w", err)
	}
	if b.Empty() {
		return translate(ctx.Err())
	}
	docs := make([]any, len(b.Documents))
	for i := range b.Documents {
		docs[i] = docProps(&b.Documents[i])
	}
	ents := make([]any, len(b.Entities))
	for i := range b.Entities {
		p, err := entityProps(&b.Entities[i])
		if err != nil {
			return fmt.Errorf("upsert: entity %q: %w", b.Entities[i].ID, err)
		}
		ents[i] = p
	}
	_, err := write(ctx, s, func(tx *txn) (struct{}, error) {
		if len(docs) > 0 {
			if err := tx.exec(ctx, "UNWIND $rows AS row MERGE (d:Document {id: row.id}) SET d = row",
				map[string]any{"rows": docs}); err != nil {
				return struct{}{}, err
			}
		}
		if err := tx.putEntities(ctx, ents); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, tx.putLinks(ctx, b.Links)
	})
	if err != nil {
		return fmt.Errorf("upsert: %w", err)
	}
	return nil
}

// writePlan prefixes the statements of an import. Their plans are fixed
// by unique-index seeks (MERGE on a constrained id, index hints), so the
// statistics cannot improve them, but the planner replans a cached
// statement whenever the counts it was planned with diverge, which an
// import into an empty database (or one just emptied by DeleteAll) makes
// them do batch after batch; replanning the lookup of fourteen link
// types took seconds each time. replan=skip keeps a cached plan.
const writePlan = "CYPHER replan=skip "

// putEntities creates or replaces entities by id, keeping their links:
// one query per kind present, so each sets its kind label directly.
func (t *txn) putEntities(ctx context.Context, rows []any) error {
	byKind := map[graph.Kind][]any{}
	for _, r := range rows {
		m := dropNulls(r.(map[string]any))
		k := graph.Kind(str(m["kind"]))
		byKind[k] = append(byKind[k], m)
	}
	for _, k := range graph.Kinds {
		if len(byKind[k]) == 0 {
			continue
		}
		if err := t.exec(ctx, writePlan+"UNWIND $rows AS row MERGE (e:Entity {id: row.id}) SET e = row "+setKindLabel("e", k),
			map[string]any{"rows": byKind[k]}); err != nil {
			return err
		}
	}
	return nil
}

// dropNulls removes the keys of m whose value is nil, in place, and returns
// m. The write queries replace a record's properties with the map (SET
// n = map), where a null stores nothing, so leaving them out changes
// nothing in the database; it spares Bolt and the server a key and a
// property removal each: most of an entity's or link's optional fields are
// empty (server CPU of 10,000 committed per transaction, four alternated
// runs, shared machine: 3 of 4 lower for entities and for links, medians
// about 8% lower; the wall clock lower in all eight).
func dropNulls(m map[string]any) map[string]any {
	for k, v := range m {
		if v == nil {
			delete(m, k)
		}
	}
	return m
}

// linkEnd is what a link's replacement must match for it to be updated in
// place rather than deleted and created again.
type linkEnd struct {
	typ         graph.LinkType
	source, tgt string
}

// linkEnds returns the type and endpoints of the existing links among ids.
// A link id may be in any type's index (an upsert may change a link's
// type), but seeking every id in all fourteen cost 188 ms of server time
// per batch of 10,000 new ids at 100,000 entities. So it first reads each
// type's smallest and largest id (two steps along its id index; a type
// without links has none; TestLinkBoundsReadIndexEnds checks that the plan
// made on an empty database does not sort), then seeks an id only in the
// types whose range holds it: ids of the form graph.LinkID gives start
// with their type, so an import's ids fall in one type's range and cost
// one seek each (84 ms for both queries); ids that spread over every range
// (hashes) cost what they did before. The seek hints keep a plan made
// while the database was nearly empty from scanning every relationship
// once it is not (seen: 28 s per batch); a plain USING INDEX allows an
// index scan plus a filter, which the planner picks when the index is
// nearly empty and replan=skip then keeps (seen: 50 hits per id at 49
// links).
func (t *txn) linkEnds(ctx context.Context, ids []string) (map[string][]linkEnd, error) {
	recs, err := t.collect(ctx, linkBoundsCypher(), nil)
	if err != nil {
		return nil, err
	}
	bounds := make([]idRange, 0, len(recs))
	for _, r := range recs {
		bounds = append(bounds, idRange{graph.LinkType(str(get(r, "type"))), str(get(r, "lo")), str(get(r, "hi"))})
	}
	byType, seeks := seekPlan(ids, bounds)
	if seeks == 0 {
		return map[string][]linkEnd{}, nil
	}
	recs, err = t.collect(ctx, linkEndsCypher(), map[string]any{"ids": byType})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]linkEnd, len(recs))
	for _, r := range recs {
		id := str(get(r, "id"))
		out[id] = append(out[id], linkEnd{graph.LinkType(str(get(r, "type"))), str(get(r, "s")), str(get(r, "t"))})
	}
	return out, nil
}

// idRange is the smallest and largest link id of a type.
type idRange struct {
	typ    graph.LinkType
	lo, hi string
}

// seekPlan assigns each id to the types whose id range may hold it: one
// list per type of graph.LinkTypes, and how many seeks that makes. The
// comparison is Go's, byte by byte; it agrees with Neo4j's order of the
// index whenever the id is ASCII (whatever the bounds are), so an id that
// is not is sought in every type that has links.
func seekPlan(ids []string, bounds []idRange) ([]any, int) {
	out := make([]any, len(graph.LinkTypes))
	seeks := 0
	for i, lt := range graph.LinkTypes {
		in := []any{}
		for _, b := range bounds {
			if b.typ != lt {
				continue
			}
			for _, id := range ids {
				if !isASCII(id) || b.lo <= id && id <= b.hi {
					in = append(in, id)
				}
			}
		}
		out[i] = in
		seeks += len(in)
	}
	return out, seeks
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// linkBoundsCypher reads the smallest and largest id of every link type
// that has links: per type, the first entry of its id index each way.
func linkBoundsCypher() string {
	return writePlan + "CALL { " + perLinkType(" UNION ALL ", func(_ int, t string) string {
		return fmt.Sprintf("CALL { MATCH ()-[r:%s]->() USING INDEX r:%s(id) WHERE r.id IS NOT NULL RETURN type(r) AS type, r.id AS lo ORDER BY lo ASC LIMIT 1 } "+
			"CALL { MATCH ()-[r:%s]->() USING INDEX r:%s(id) WHERE r.id IS NOT NULL RETURN r.id AS hi ORDER BY hi DESC LIMIT 1 } "+
			"RETURN type, lo, hi", t, t, t, t)
	}) + " } RETURN type, lo, hi"
}

// linkEndsCypher is linkEnds's query: per link type, a branch that seeks
// the ids seekPlan gave that type ($ids, one list per type in the order of
// graph.LinkTypes). Its text is the same whatever the ids, so one cached
// plan serves every batch.
func linkEndsCypher() string {
	return writePlan + "CALL { " + perLinkType(" UNION ALL ", func(i int, t string) string {
		return fmt.Sprintf("UNWIND $ids[%d] AS id MATCH (a)-[r:%s {id: id}]->(c) USING INDEX SEEK r:%s(id) "+
			"RETURN id, type(r) AS type, a.id AS s, c.id AS t", i, t, t)
	}) + " } RETURN id, type, s, t"
}

// putLinks creates or replaces links by id. A link whose replacement keeps
// its type and endpoints gets its properties rewritten; one that changes
// them is deleted and created again. Each step is one query per link type
// present, so types are spliced in rather than chosen row by row. The
// endpoints are not looked up beforehand: the query creating a type's
// links finds them by id anyway, and returns how many rows it matched; a
// short count means an endpoint is not an entity, which fails the batch
// (missingEnd names it). Looking every endpoint up first cost one more
// index seek each, 6% of an import's server time.
func (t *txn) putLinks(ctx context.Context, links []graph.Link) error {
	if len(links) == 0 {
		return nil
	}
	ids := make([]string, len(links))
	for i := range links {
		ids[i] = links[i].ID
	}
	old, err := t.linkEnds(ctx, ids)
	if err != nil {
		return err
	}
	stale := map[graph.LinkType][]any{}
	create := map[graph.LinkType][]any{}
	update := map[graph.LinkType][]any{}
	for i := range links {
		l := &links[i]
		p, err := linkProps(l)
		if err != nil {
			return fmt.Errorf("link %q: %w", l.ID, err)
		}
		p = dropNulls(p)
		p[srcIDProp], p[tgtIDProp] = l.Source, l.Target
		was := old[l.ID]
		if len(was) == 1 && was[0] == (linkEnd{l.Type, l.Source, l.Target}) {
			update[l.Type] = append(update[l.Type], map[string]any{"id": l.ID, "props": p})
			continue
		}
		for _, w := range was {
			stale[w.typ] = append(stale[w.typ], l.ID)
		}
		create[l.Type] = append(create[l.Type], map[string]any{"id": l.ID, "source": l.Source, "target": l.Target, "props": p})
	}
	for _, lt := range graph.LinkTypes {
		if len(stale[lt]) > 0 {
			if err := t.exec(ctx, writePlan+"UNWIND $ids AS id MATCH ()-[r:"+mustType(lt)+" {id: id}]->() USING INDEX SEEK r:"+mustType(lt)+"(id) DELETE r",
				map[string]any{"ids": stale[lt]}); err != nil {
				return err
			}
		}
	}
	for _, lt := range graph.LinkTypes {
		if len(update[lt]) > 0 {
			if err := t.exec(ctx, writePlan+"UNWIND $rows AS row MATCH ()-[r:"+mustType(lt)+" {id: row.id}]->() USING INDEX SEEK r:"+mustType(lt)+"(id) SET r = row.props",
				map[string]any{"rows": update[lt]}); err != nil {
				return err
			}
		}
		if len(create[lt]) == 0 {
			continue
		}
		recs, err := t.collect(ctx, writePlan+"UNWIND $rows AS row MATCH (a:Entity {id: row.source}) USING INDEX SEEK a:Entity(id) MATCH (b:Entity {id: row.target}) USING INDEX SEEK b:Entity(id) "+
			"CREATE (a)-[r:"+mustType(lt)+"]->(b) SET r = row.props RETURN count(*) AS n", map[string]any{"rows": create[lt]})
		if err != nil {
			return err
		}
		if len(recs) != 1 || integer(get(recs[0], "n")) != len(create[lt]) {
			return t.missingEnd(ctx, links)
		}
	}
	return nil
}

// missingEnd is the error of a link creation that matched fewer rows than
// it had: it names the first of links, in their order, whose endpoint is
// not an entity (as a check before writing would have).
func (t *txn) missingEnd(ctx context.Context, links []graph.Link) error {
	var ends []string
	for _, l := range links {
		ends = append(ends, l.Source, l.Target)
	}
	have, err := t.existing(ctx, ends)
	if err != nil {
		return err
	}
	for _, l := range links {
		for _, end := range [2]string{l.Source, l.Target} {
			if !have[end] {
				return fmt.Errorf("link %q: entity %q does not exist: %w", l.ID, end, graph.ErrInvalid)
			}
		}
	}
	// Every endpoint is there now: another transaction deleted one and
	// created it again in between.
	return fmt.Errorf("a link endpoint does not exist: %w", graph.ErrInvalid)
}

// deleteLinks deletes links by id and returns nothing; unknown ids are
// ignored.
func (t *txn) deleteLinks(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return t.exec(ctx, "UNWIND $ids AS id "+linksByID("id")+" DELETE r", map[string]any{"ids": anyStrings(ids)})
}

// DeleteEntity deletes an entity and its links, or returns ErrNotFound.
func (s *Store) DeleteEntity(ctx context.Context, id string) error {
	n, err := write(ctx, s, func(tx *txn) (int, error) {
		recs, err := tx.collect(ctx, "MATCH (e:Entity {id: $id}) DETACH DELETE e RETURN count(*) AS n", map[string]any{"id": id})
		if err != nil || len(recs) == 0 {
			return 0, err
		}
		return integer(get(recs[0], "n")), nil
	})
	if err != nil {
		return fmt.Errorf("deleteEntity: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("deleteEntity: %q: %w", id, graph.ErrNotFound)
	}
	return nil
}

// DeleteLink deletes a link or returns ErrNotFound.
func (s *Store) DeleteLink(ctx context.Context, id string) error {
	n, err := write(ctx, s, func(tx *txn) (int, error) {
		recs, err := tx.collect(ctx, "WITH $id AS id "+linksByID("id")+" DELETE r RETURN count(*) AS n", map[string]any{"id": id})
		if err != nil || len(recs) == 0 {
			return 0, err
		}
		return integer(get(recs[0], "n")), nil
	})
	if err != nil {
		return fmt.Errorf("deleteLink: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("deleteLink: %q: %w", id, graph.ErrNotFound)
	}
	return nil
}

// MergeEntities folds merge into keep in one transaction: it reads the
// entities and every link touching them, plans with graph.PlanMerge (so
// both stores merge alike) and applies the plan.
func (s *Store) MergeEntities(ctx context.Context, keep string, merge []string) (graph.Entity, error) {
	var ids []string
	for _, id := range merge {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return graph.Entity{}, fmt.Errorf("mergeEntities: nothing to merge: %w", graph.ErrInvalid)
	}
	if slices.Contains(ids, keep) {
		return graph.Entity{}, fmt.Errorf("mergeEntities: %q is both kept and merged: %w", keep, graph.ErrInvalid)
	}
	out, err := write(ctx, s, func(tx *txn) (graph.Entity, error) {
		all := append([]string{keep}, ids...)
		byID, err := tx.entities(ctx, all)
		if err != nil {
			return graph.Entity{}, err
		}
		for _, id := range all {
			if _, ok := byID[id]; !ok {
				return graph.Entity{}, fmt.Errorf("mergeEntities: %q: %w", id, graph.ErrNotFound)
			}
		}
		others := make([]graph.Entity, len(ids))
		for i, id := range ids {
			others[i] = byID[id]
		}
		recs, err := tx.collect(ctx, "UNWIND $ids AS id MATCH (e:Entity {id: id})-[r]-() RETURN DISTINCT "+linkProj("r")+" AS l",
			map[string]any{"ids": anyStrings(all)})
		if err != nil {
			return graph.Entity{}, err
		}
		links, err := decodeLinks(recs, "l")
		if err != nil {
			return graph.Entity{}, err
		}
		plan := graph.PlanMerge(byID[keep], others, links)
		props, err := entityProps(&plan.Entity)
		if err != nil {
			return graph.Entity{}, err
		}
		if err := tx.putEntities(ctx, []any{props}); err != nil {
			return graph.Entity{}, err
		}
		if err := tx.deleteLinks(ctx, plan.DeleteLinks); err != nil {
			return graph.Entity{}, err
		}
		if err := tx.putLinks(ctx, plan.Upsert); err != nil {
			return graph.Entity{}, err
		}
		if err := tx.exec(ctx, "UNWIND $ids AS id MATCH (e:Entity {id: id}) DETACH DELETE e",
			map[string]any{"ids": anyStrings(plan.Delete)}); err != nil {
			return graph.Entity{}, err
		}
		return plan.Entity, nil
	})
	if err != nil {
		return graph.Entity{}, fmt.Errorf("mergeEntities: %w", err)
	}
	return out, nil
}
