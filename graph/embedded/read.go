package embedded

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Records handed out are decoded afresh from their encodings, so the caller
// may modify their slices and maps without touching the store.

// Entity returns one entity.
func (s *Store) Entity(ctx context.Context, id string) (graph.Entity, error) {
	var out graph.Entity
	err := s.read(ctx, func(g *memGraph) error {
		i, ok := g.lookup(id)
		if !ok {
			return fmt.Errorf("entity %q: %w", id, graph.ErrNotFound)
		}
		out = g.nodes[i].entity()
		return nil
	})
	return out, err
}

// Entities returns the known entities among ids, in the order of ids.
func (s *Store) Entities(ctx context.Context, ids []string) ([]graph.Entity, error) {
	out := []graph.Entity{}
	err := s.read(ctx, func(g *memGraph) error {
		for _, id := range ids {
			if i, ok := g.lookup(id); ok {
				out = append(out, g.nodes[i].entity())
			}
		}
		return nil
	})
	return out, err
}

// Link returns one link.
func (s *Store) Link(ctx context.Context, id string) (graph.Link, error) {
	var out graph.Link
	err := s.read(ctx, func(g *memGraph) error {
		i, ok := g.lookupLink(id)
		if !ok {
			return fmt.Errorf("link %q: %w", id, graph.ErrNotFound)
		}
		out = g.link(i)
		return nil
	})
	return out, err
}

// Document returns one document.
func (s *Store) Document(ctx context.Context, id string) (graph.Document, error) {
	var out graph.Document
	err := s.read(ctx, func(g *memGraph) error {
		d, ok := g.docs[id]
		if !ok {
			return fmt.Errorf("document %q: %w", id, graph.ErrNotFound)
		}
		out = d
		return nil
	})
	return out, err
}

// Documents returns every document ordered by id.
func (s *Store) Documents(ctx context.Context) ([]graph.Document, error) {
	out := []graph.Document{}
	err := s.read(ctx, func(g *memGraph) error {
		for _, d := range g.docs {
			out = append(out, d)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b graph.Document) int { return strings.Compare(a.ID, b.ID) })
	return out, err
}

// LinksOf returns the links touching each id, ordered by link id.
func (s *Store) LinksOf(ctx context.Context, ids []string, types []graph.LinkType, dir graph.Direction, w graph.When) (map[string][]graph.Link, error) {
	dir, err := graph.NormalizeLinksArgs(types, dir, w)
	if err != nil {
		return nil, fmt.Errorf("linksOf: %w", err)
	}
	f := newFilter(types, w)
	out := make(map[string][]graph.Link, len(ids))
	err = s.read(ctx, func(g *memGraph) error {
		for _, id := range ids {
			ni, ok := g.lookup(id)
			if !ok {
				continue
			}
			ls := []graph.Link{}
			for _, li := range g.nodes[ni].adj {
				e := &g.links[li]
				if !f.ok(e) ||
					(dir == graph.DirectionOutgoing && e.src != ni) ||
					(dir == graph.DirectionIncoming && e.tgt != ni) {
					continue
				}
				ls = append(ls, g.link(li))
			}
			out[id] = ls
		}
		return nil
	})
	return out, err
}

// Degrees counts the links in force under w touching each existing id.
func (s *Store) Degrees(ctx context.Context, ids []string, w graph.When) (map[string]int, error) {
	if err := w.Check("degrees"); err != nil {
		return nil, err
	}
	out := make(map[string]int, len(ids))
	f := newFilter(nil, w)
	err := s.read(ctx, func(g *memGraph) error {
		for _, id := range ids {
			ni, ok := g.lookup(id)
			if !ok {
				continue
			}
			if !f.timed {
				out[id] = len(g.nodes[ni].adj)
				continue
			}
			n := 0
			for _, li := range g.nodes[ni].adj {
				if f.ok(&g.links[li]) {
					n++
				}
			}
			out[id] = n
		}
		return nil
	})
	return out, err
}

// Stats counts entities and links.
func (s *Store) Stats(ctx context.Context) (graph.Stats, error) {
	var st graph.Stats
	err := s.read(ctx, func(g *memGraph) error {
		st = graph.Stats{
			Entities:   g.entityCount(),
			Links:      g.linkCount(),
			ByKind:     maps.Clone(g.byKind),
			ByLinkType: maps.Clone(g.byType),
		}
		return nil
	})
	if st.ByKind == nil {
		st.ByKind = map[graph.Kind]int{}
	}
	if st.ByLinkType == nil {
		st.ByLinkType = map[graph.LinkType]int{}
	}
	return st, err
}
