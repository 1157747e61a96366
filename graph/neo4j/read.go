package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Entity returns one entity or graph.ErrNotFound.
func (s *Store) Entity(ctx context.Context, id string) (graph.Entity, error) {
	es, err := s.Entities(ctx, []string{id})
	if err != nil {
		return graph.Entity{}, err
	}
	if len(es) == 0 {
		return graph.Entity{}, fmt.Errorf("entity %q: %w", id, graph.ErrNotFound)
	}
	return es[0], nil
}

// Entities returns the existing entities among ids, in the order of ids.
func (s *Store) Entities(ctx context.Context, ids []string) ([]graph.Entity, error) {
	if len(ids) == 0 {
		return []graph.Entity{}, nil
	}
	return read(ctx, s, func(tx *txn) ([]graph.Entity, error) {
		byID, err := tx.entities(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make([]graph.Entity, 0, len(ids))
		for _, id := range ids {
			if e, ok := byID[id]; ok {
				out = append(out, e)
			}
		}
		return out, nil
	})
}

// entities fetches entities by id in one query.
func (t *txn) entities(ctx context.Context, ids []string) (map[string]graph.Entity, error) {
	return t.entitiesOf(ctx, ids, graph.Selection{})
}

// entitiesOf fetches by id in one query what sel selects of the entities.
func (t *txn) entitiesOf(ctx context.Context, ids []string, sel graph.Selection) (map[string]graph.Entity, error) {
	out := make(map[string]graph.Entity, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	// De-duplicating ids here spares the server a DISTINCT over whole
	// property maps.
	recs, err := t.collect(ctx, "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e"+entityProjOf(sel)+" AS e",
		map[string]any{"ids": distinct(ids)})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		e, err := decodeEntity(get(r, "e"))
		if err != nil {
			return nil, err
		}
		out[e.ID] = e
	}
	return out, nil
}

// entityList fetches entities by id, in the order of ids, failing with
// ErrNotFound on a missing one.
func (t *txn) entityList(ctx context.Context, ids []string) ([]graph.Entity, error) {
	byID, err := t.entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]graph.Entity, 0, len(ids))
	for _, id := range ids {
		e, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("entity %q vanished: %w", id, graph.ErrNotFound)
		}
		out = append(out, e)
	}
	return out, nil
}

// existing returns which of ids are entities.
func (t *txn) existing(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := t.collect(ctx, "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN DISTINCT id",
		map[string]any{"ids": anyStrings(ids)})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		out[str(get(r, "id"))] = true
	}
	return out, nil
}

// Link returns one link or graph.ErrNotFound.
func (s *Store) Link(ctx context.Context, id string) (graph.Link, error) {
	ls, err := read(ctx, s, func(tx *txn) ([]graph.Link, error) {
		return tx.links(ctx, []string{id})
	})
	if err != nil {
		return graph.Link{}, err
	}
	if len(ls) == 0 {
		return graph.Link{}, fmt.Errorf("link %q: %w", id, graph.ErrNotFound)
	}
	return ls[0], nil
}

// links fetches links by id, ordered by id, skipping unknown ids.
func (t *txn) links(ctx context.Context, ids []string) ([]graph.Link, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	recs, err := t.collect(ctx, "UNWIND $ids AS id "+linksByID("id")+" RETURN "+linkProj("r")+" AS l",
		map[string]any{"ids": distinct(ids)})
	if err != nil {
		return nil, err
	}
	return decodeLinks(recs, "l")
}

// Document returns one document or graph.ErrNotFound.
func (s *Store) Document(ctx context.Context, id string) (graph.Document, error) {
	ds, err := read(ctx, s, func(tx *txn) ([]graph.Document, error) {
		return tx.documents(ctx, "MATCH (d:Document {id: $id})", map[string]any{"id": id})
	})
	if err != nil {
		return graph.Document{}, err
	}
	if len(ds) == 0 {
		return graph.Document{}, fmt.Errorf("document %q: %w", id, graph.ErrNotFound)
	}
	return ds[0], nil
}

// Documents returns every document, ordered by id.
func (s *Store) Documents(ctx context.Context) ([]graph.Document, error) {
	return read(ctx, s, func(tx *txn) ([]graph.Document, error) {
		return tx.documents(ctx, "MATCH (d:Document)", nil)
	})
}

func (t *txn) documents(ctx context.Context, match string, params map[string]any) ([]graph.Document, error) {
	recs, err := t.collect(ctx, match+" RETURN d"+docProj+" AS d", params)
	if err != nil {
		return nil, err
	}
	out := make([]graph.Document, 0, len(recs))
	for _, r := range recs {
		d, err := decodeDocument(get(r, "d"))
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b graph.Document) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// LinksOf returns the links touching each id in the given direction and of
// the given types, ordered by link id; one query for all ids.
func (s *Store) LinksOf(ctx context.Context, ids []string, types []graph.LinkType, dir graph.Direction, w graph.When) (map[string][]graph.Link, error) {
	dir, err := graph.NormalizeLinksArgs(types, dir, w)
	if err != nil {
		return nil, fmt.Errorf("linksOf: %w", err)
	}
	out := map[string][]graph.Link{}
	if len(ids) == 0 {
		return out, nil
	}
	f := newLinkFilter(types, w)
	pattern := map[graph.Direction]string{
		graph.DirectionBoth:     "(e)-[" + f.rel("r") + "]-()",
		graph.DirectionOutgoing: "(e)-[" + f.rel("r") + "]->()",
		graph.DirectionIncoming: "(e)<-[" + f.rel("r") + "]-()",
	}[dir] + " WHERE " + f.cond("r")
	return read(ctx, s, func(tx *txn) (map[string][]graph.Link, error) {
		recs, err := tx.collect(ctx, "UNWIND $ids AS id MATCH (e:Entity {id: id}) OPTIONAL MATCH "+pattern+
			" RETURN DISTINCT id, CASE WHEN r IS NULL THEN null ELSE "+linkProj("r")+" END AS l", f.params(map[string]any{"ids": anyStrings(ids)}))
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			id := str(get(r, "id"))
			if out[id] == nil {
				out[id] = []graph.Link{}
			}
			if get(r, "l") == nil {
				continue
			}
			l, err := decodeLink(get(r, "l"))
			if err != nil {
				return nil, err
			}
			out[id] = append(out[id], l)
		}
		for id, ls := range out {
			slices.SortFunc(ls, func(a, b graph.Link) int { return strings.Compare(a.ID, b.ID) })
			out[id] = slices.CompactFunc(ls, func(a, b graph.Link) bool { return a.ID == b.ID })
		}
		return out, nil
	})
}

// Degrees returns the number of links in force under w touching each
// existing id, a self-link counting once.
func (s *Store) Degrees(ctx context.Context, ids []string, w graph.When) (map[string]int, error) {
	if err := w.Check("degrees"); err != nil {
		return nil, err
	}
	out := map[string]int{}
	if len(ids) == 0 {
		return out, nil
	}
	f := newLinkFilter(nil, w)
	return read(ctx, s, func(tx *txn) (map[string]int, error) {
		// An undirected pattern matches a self-link once.
		recs, err := tx.collect(ctx, "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN DISTINCT id, COUNT { (e)-[r]-() WHERE "+f.cond("r")+" } AS n",
			f.params(map[string]any{"ids": anyStrings(ids)}))
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			out[str(get(r, "id"))] = integer(get(r, "n"))
		}
		return out, nil
	})
}

// Stats counts entities and links, per kind and type, from the counts
// store (one labelled or typed count per kind and type).
func (s *Store) Stats(ctx context.Context) (graph.Stats, error) {
	var b strings.Builder
	b.WriteString("CALL { ")
	for i, k := range graph.Kinds {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		fmt.Fprintf(&b, "MATCH (e:%s) RETURN 'kind' AS what, '%s' AS name, count(e) AS n", k.Label(), k)
	}
	for _, t := range graph.LinkTypes {
		fmt.Fprintf(&b, " UNION ALL MATCH ()-[r:%s]->() RETURN 'type' AS what, '%s' AS name, count(r) AS n", mustType(t), t)
	}
	b.WriteString(" } RETURN what, name, n")
	q := b.String()
	return read(ctx, s, func(tx *txn) (graph.Stats, error) {
		st := graph.Stats{ByKind: map[graph.Kind]int{}, ByLinkType: map[graph.LinkType]int{}}
		recs, err := tx.collect(ctx, q, nil)
		if err != nil {
			return st, err
		}
		for _, r := range recs {
			n := integer(get(r, "n"))
			if n == 0 {
				continue
			}
			name := str(get(r, "name"))
			if str(get(r, "what")) == "kind" {
				st.ByKind[graph.Kind(name)] = n
				st.Entities += n
			} else {
				st.ByLinkType[graph.LinkType(name)] = n
				st.Links += n
			}
		}
		return st, nil
	})
}

func decodeLinks(recs []*neo4jRecord, key string) ([]graph.Link, error) {
	out := make([]graph.Link, 0, len(recs))
	for _, r := range recs {
		l, err := decodeLink(get(r, key))
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b graph.Link) int { return strings.Compare(a.ID, b.ID) })
	return slices.CompactFunc(out, func(a, b graph.Link) bool { return a.ID == b.ID }), nil
}
