package formats

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/skein-project/skein/graph"
)

// Scope selects what Export writes: the entities within Depth hops of IDs
// over links of LinkTypes (all types when empty), with the links among
// them; or, when IDs is empty, the whole graph (LinkTypes then filters the
// links only). When keeps the links in force at a date or during a window
// (graph.When); the entities' own records are written whole.
type Scope struct {
	IDs       []string
	Depth     int
	LinkTypes []graph.LinkType
	// Positions are chart positions by entity id (a saved case's). Formats
	// that place entities on a chart (ANX) use them; the rest ignore them.
	Positions map[string][2]float64
	When      graph.When
}

// Export writes a subgraph of s in format f to w: the documents its sources
// cite (every document when exporting the whole graph), then its entities,
// then its links.
func Export(ctx context.Context, s graph.Store, f Format, scope Scope, w io.Writer) error {
	if !f.Valid() {
		return fmt.Errorf("unknown format %q: %w", f, graph.ErrInvalid)
	}
	sub, err := s.Snapshot(ctx, graph.SnapshotQuery{IDs: scope.IDs, Depth: scope.Depth, LinkTypes: scope.LinkTypes, When: scope.When})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	links := sub.Links
	if len(scope.LinkTypes) > 0 {
		types := graph.LinkTypeSet(scope.LinkTypes)
		links = slices.DeleteFunc(slices.Clone(links), func(l graph.Link) bool { return !types.Has(l.Type) })
	}
	all, err := s.Documents(ctx)
	if err != nil {
		return fmt.Errorf("export: documents: %w", err)
	}
	docs := all
	if len(scope.IDs) > 0 {
		cited := citedDocuments(sub.Nodes, links)
		docs = slices.DeleteFunc(slices.Clone(all), func(d graph.Document) bool { return !cited[d.ID] })
	}
	nodes := sub.Nodes
	if f == ANX && len(scope.Positions) > 0 {
		nodes = placed(nodes, scope.Positions)
	}
	return Encode(ctx, f, graph.Batch{Documents: docs, Entities: nodes, Links: links}, w)
}

// placed gives entities the "x" and "y" properties the ANX encoder reads
// as a saved layout; the store's entities are not changed.
func placed(nodes []graph.Entity, pos map[string][2]float64) []graph.Entity {
	out := slices.Clone(nodes)
	for i := range out {
		p, ok := pos[out[i].ID]
		if !ok {
			continue
		}
		props := maps.Clone(out[i].Properties)
		if props == nil {
			props = map[string]string{}
		}
		props["x"] = strconv.FormatFloat(p[0], 'f', -1, 64)
		props["y"] = strconv.FormatFloat(p[1], 'f', -1, 64)
		out[i].Properties = props
	}
	return out
}

// citedDocuments collects the ids of the documents that sources point at.
func citedDocuments(nodes []graph.Entity, links []graph.Link) map[string]bool {
	cited := map[string]bool{}
	add := func(refs []graph.SourceRef) {
		for _, r := range refs {
			cited[r.Document] = true
		}
	}
	for _, e := range nodes {
		add(e.Sources)
		for _, d := range e.Designations {
			add(d.Sources)
		}
	}
	for _, l := range links {
		add(l.Sources)
	}
	return cited
}

// encoder writes one format. Export calls document for every document, then
// entity for every entity, then link for every link, then close once.
type encoder interface {
	document(d *graph.Document) error
	entity(e *graph.Entity) error
	link(l *graph.Link) error
	close() error
}

// preparer is an encoder that looks at the whole batch before writing
// (FtM: links kept as an entity property go on their entity's record).
type preparer interface {
	prepare(b *graph.Batch)
}

func newEncoder(f Format, w io.Writer) (encoder, error) {
	switch f {
	case JSON:
		return newJSONEncoder(w), nil
	case FtM:
		return newFtMEncoder(w), nil
	case CSV:
		return newCSVEncoder(w), nil
	case GraphML:
		return newGraphMLEncoder(w), nil
	case GEXF:
		return newGEXFEncoder(w), nil
	case Cypher:
		return newCypherEncoder(w), nil
	case ANX:
		return newANXEncoder(w), nil
	}
	return nil, fmt.Errorf("unknown format %q: %w", f, graph.ErrInvalid)
}

// Encode writes a batch in format f: documents, then entities, then links,
// one record at a time. Export uses it; it is also what tests and the CLI
// use to write a batch that is not in a store.
func Encode(ctx context.Context, f Format, b graph.Batch, w io.Writer) error {
	enc, err := newEncoder(f, w)
	if err != nil {
		return err
	}
	if p, ok := enc.(preparer); ok {
		p.prepare(&b)
	}
	n := 0
	for i := range b.Documents {
		if err := ctxEvery(ctx, n); err != nil {
			return err
		}
		n++
		if err := enc.document(&b.Documents[i]); err != nil {
			return fmt.Errorf("%s export: %w", f, err)
		}
	}
	for i := range b.Entities {
		if err := ctxEvery(ctx, n); err != nil {
			return err
		}
		n++
		if err := enc.entity(&b.Entities[i]); err != nil {
			return fmt.Errorf("%s export: %w", f, err)
		}
	}
	for i := range b.Links {
		if err := ctxEvery(ctx, n); err != nil {
			return err
		}
		n++
		if err := enc.link(&b.Links[i]); err != nil {
			return fmt.Errorf("%s export: %w", f, err)
		}
	}
	if err := enc.close(); err != nil {
		return fmt.Errorf("%s export: %w", f, err)
	}
	return nil
}
