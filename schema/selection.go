package schema

import (
	"context"
	"slices"
	"strings"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/analysis"
)

// Selections. A root field whose answer holds entities and links passes
// what the request reads of them down to the store (graph.Selection), so
// that a store paying for every byte it fetches fetches only that. A field
// this table does not know selects whole records: a new field can cost
// bytes, never correctness.

// entityFieldParts says which stored parts each Entity field reads; the
// kinds' typed fields read the properties.
var entityFieldParts = func() map[string]graph.EntityParts {
	m := map[string]graph.EntityParts{
		"id": 0, "kind": 0, "links": 0, "degree": 0,
		"name": graph.EntityName, "aliases": graph.EntityAliases, "countries": graph.EntityCountries,
		"description": graph.EntityDescription, "properties": graph.EntityProperties,
		"sources": graph.EntitySources, "designations": graph.EntityDesignations,
		"sanctioned": graph.EntityDesignations,
	}
	for _, k := range graph.KindSpecs() {
		for _, f := range k.Fields {
			if _, ok := m[f.Name]; !ok {
				m[f.Name] = graph.EntityProperties
			}
		}
	}
	return m
}()

// linkFieldParts says which stored parts each Link field reads; the link
// types' typed fields read the properties.
var linkFieldParts = func() map[string]graph.LinkParts {
	m := map[string]graph.LinkParts{
		"id": 0, "type": 0, "source": 0, "target": 0,
		"role": graph.LinkRole, "description": graph.LinkDescription,
		"startDate": graph.LinkDates, "endDate": graph.LinkDates,
		"weight": graph.LinkWeight, "properties": graph.LinkProperties, "sources": graph.LinkSources,
	}
	for _, t := range graph.LinkSpecs() {
		for _, f := range t.Fields {
			if _, ok := m[f.Name]; !ok {
				m[f.Name] = graph.LinkProperties
			}
		}
	}
	return m
}()

// selectionOf reads the selection under the current field (a Subgraph or
// a Path: nodes, links and their endpoints). Every field read from an
// entity reached through nodes, source or target counts, at any depth
// (nested links' endpoints resolve to the same entities); every field of
// a link reached through links counts too (over-selecting is harmless).
//
// No names at all (only __typename selected, or selections disabled in
// the schema's options) selects whole records.
func selectionOf(ctx context.Context) graph.Selection {
	return selectionOfNames(graphql.SelectedFieldNames(ctx))
}

// searchSelectionOfNames is selectionOfNames for a search connection,
// whose entities are read through nodes and through edges' node.
func searchSelectionOfNames(names []string) graph.Selection {
	mapped := make([]string, len(names))
	for i, path := range names {
		mapped[i] = path
		if rest, ok := strings.CutPrefix(path, "edges.node."); ok {
			mapped[i] = "nodes." + rest
		}
	}
	return selectionOfNames(mapped)
}

// entitiesSelectionOf is selectionOfNames for a field whose answer is a
// list of entities (sharedAssociates): its selected fields are the
// entities'.
func entitiesSelectionOf(names []string) graph.Selection {
	mapped := make([]string, len(names))
	for i, path := range names {
		mapped[i] = "nodes." + path
	}
	return selectionOfNames(mapped)
}

// selectionOfNames is selectionOf over the dotted paths of the selected
// fields.
func selectionOfNames(names []string) graph.Selection {
	if len(names) == 0 {
		return graph.Selection{}
	}
	sel := graph.Selection{Partial: true, LinkIDsOnly: true}
	for _, path := range names {
		segs := strings.Split(path, ".")
		for i := 1; i < len(segs); i++ {
			switch segs[i-1] {
			case "nodes", "source", "target":
				p, ok := entityFieldParts[segs[i]]
				if !ok {
					return graph.Selection{}
				}
				sel.Entity |= p
			case "links":
				p, ok := linkFieldParts[segs[i]]
				if !ok {
					return graph.Selection{}
				}
				sel.Link |= p
				// Any link field but id needs the type or the ends
				// (source and target resolve through them).
				sel.LinkIDsOnly = sel.LinkIDsOnly && segs[i] == "id"
			}
		}
	}
	return sel
}

// exposureSelection is what a sanctionsExposure field reads of the
// entities (the exposed entity, the path's nodes, its links' endpoints)
// and links (the path's), as selectionOf reads a subgraph's.
func exposureSelection(ctx context.Context) graph.Selection {
	names := graphql.SelectedFieldNames(ctx)
	if len(names) == 0 {
		return graph.Selection{}
	}
	sel := graph.Selection{Partial: true}
	for _, path := range names {
		segs := strings.Split(path, ".")
		for i := 1; i < len(segs); i++ {
			switch segs[i-1] {
			case "entity", "nodes", "source", "target":
				p, ok := entityFieldParts[segs[i]]
				if !ok {
					return graph.Selection{}
				}
				sel.Entity |= p
			case "links":
				p, ok := linkFieldParts[segs[i]]
				if !ok {
					return graph.Selection{}
				}
				sel.Link |= p
			}
		}
	}
	return sel
}

// selects reports whether names (graphql.SelectedFieldNames) hold the
// field name directly under the current field. Without selection
// information it says yes.
func selects(names []string, name string) bool {
	if len(names) == 0 {
		return true
	}
	return slices.Contains(names, name)
}

// ownershipOptions are the options of an ownership root field (holdings,
// owners, sanctionsOwnership) with what the request reads: the chains only
// when some ownership's paths or unknownPaths are read, and of the
// entities (owner, asset, the chains' nodes and links' endpoints) and
// links what selectionOf would select. A finding's statement names its
// asset, so reading it reads the asset's name.
func ownershipOptions(ctx context.Context, minShare float64, w graph.When) analysis.OwnershipOptions {
	opt := analysis.OwnershipOptions{MinShare: minShare, When: w}
	names := graphql.SelectedFieldNames(ctx)
	if len(names) == 0 {
		opt.Chains = true
		return opt
	}
	sel, whole := graph.Selection{Partial: true}, false
	for _, path := range names {
		segs := strings.Split(path, ".")
		for i, seg := range segs {
			if seg == "paths" || seg == "unknownPaths" {
				opt.Chains = true
			}
			if seg == "statement" {
				sel.Entity |= graph.EntityName
			}
			if i == 0 {
				continue
			}
			switch prev := segs[i-1]; {
			case prev == "owner" || prev == "asset" || prev == "source" || prev == "target" ||
				(prev == "nodes" && i >= 2 && (segs[i-2] == "paths" || segs[i-2] == "unknownPaths")):
				p, ok := entityFieldParts[seg]
				whole = whole || !ok
				sel.Entity |= p
			case prev == "links":
				p, ok := linkFieldParts[seg]
				whole = whole || !ok
				sel.Link |= p
			}
		}
	}
	if !whole {
		opt.Select = sel
	}
	return opt
}
