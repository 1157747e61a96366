package analysis

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Exposure is one designation of a sanctioned entity near the entity under
// investigation, with one shortest path to it.
type Exposure struct {
	Entity      graph.Entity      `json:"entity"`
	Designation graph.Designation `json:"designation"`
	Path        graph.Path        `json:"path"`
}

// SanctionsExposure lists every designated entity within maxHops links of
// from, following links of types (all when empty) in either direction. g is
// a snapshot around from to maxHops (store.Snapshot(graph.SnapshotQuery{
// IDs: []string{from}, Depth: maxHops, LinkTypes: types})); links of other
// types in g are ignored.
//
// Each designated entity gets one Exposure per designation, all carrying
// the same shortest path from from: the one a breadth-first search finds
// when it takes every entity's links in link-id order. Exposures are
// ordered by path length, then entity id, then designation order. from
// itself is not listed, even when it is designated: the question is who
// else is near. An unknown from is graph.ErrNotFound; maxHops must be
// 1..graph.MaxHops.
//
// w restricts the designations to those in force at its date or during its
// window (graph.InForce); the snapshot should be taken with the same w, so
// that the paths use only links in force then too.
func SanctionsExposure(ctx context.Context, g graph.Subgraph, from string, maxHops int, types []graph.LinkType, w graph.When) ([]Exposure, error) {
	if err := w.Check("sanctionsExposure"); err != nil {
		return nil, err
	}
	if maxHops < 1 {
		return nil, fmt.Errorf("sanctionsExposure: maxHops must be at least 1: %w", graph.ErrInvalid)
	}
	if maxHops > graph.MaxHops {
		return nil, fmt.Errorf("sanctionsExposure: maxHops must be at most %d: %w", graph.MaxHops, graph.ErrTooComplex)
	}
	for _, t := range types {
		if !t.Valid() {
			return nil, fmt.Errorf("sanctionsExposure: unknown link type %q: %w", t, graph.ErrInvalid)
		}
	}
	x, err := newIndex(ctx, g)
	if err != nil {
		return nil, fmt.Errorf("sanctionsExposure: %w", err)
	}
	start, ok := x.find(from)
	if !ok {
		return nil, fmt.Errorf("sanctionsExposure: entity %q: %w", from, graph.ErrNotFound)
	}
	in := newIncidence(x, g, types)

	n := x.len()
	dist := make([]int, n)
	via := make([]int32, n) // link by which the search first reached each node
	for i := range dist {
		dist[i] = -1
	}
	dist[start] = 0
	queue := []int32{int32(start)}
	for head := 0; head < len(queue); head++ {
		if head%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		v := queue[head]
		if dist[v] == maxHops {
			continue
		}
		for _, l := range in.at[v] {
			w := in.other(l, v)
			if dist[w] < 0 {
				dist[w] = dist[v] + 1
				via[w] = l
				queue = append(queue, w)
			}
		}
	}

	// queue is in order of distance; sort each distance by id.
	found := make([]int32, 0)
	for _, v := range queue[1:] {
		if x.entities[v].SanctionedUnder(w) {
			found = append(found, v)
		}
	}
	slices.SortStableFunc(found, func(a, b int32) int {
		if d := dist[a] - dist[b]; d != 0 {
			return d
		}
		return strings.Compare(x.ids[a], x.ids[b])
	})
	out := []Exposure{}
	for _, v := range found {
		links := make([]int32, dist[v])
		for w, k := v, dist[v]-1; k >= 0; k-- {
			links[k] = via[w]
			w = in.other(via[w], w)
		}
		p := in.path(int32(start), links)
		e := x.entities[v]
		for _, d := range graph.InForce(e.Designations, w) {
			out = append(out, Exposure{Entity: *e, Designation: d, Path: p})
		}
	}
	return out, nil
}

// SanctionsExposureIn is SanctionsExposure over s: the designated entities
// within q.MaxHops links of q.ID, over the links of q.LinkTypes in force
// under q.When. Entities and links carry at least what q.Select selects
// (whole records on the snapshot road).
// A store that finds the paths itself (graph.ExposureStore: Neo4j in one
// query, the embedded store without a snapshot) answers with them; any other store, or one that declines, is read
// as a snapshot around from and walked. Both roads give the same answer:
// the shortest path whose link ids are least element by element is the one
// the breadth-first search of SanctionsExposure finds.
func SanctionsExposureIn(ctx context.Context, s graph.Store, q graph.ExposureQuery) ([]Exposure, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	if es, ok := s.(graph.ExposureStore); ok {
		ps, err := es.ExposurePaths(ctx, q)
		switch {
		case err == nil:
			return exposures(ps, q.When), nil
		case errors.Is(err, graph.ErrNotFound):
			return nil, fmt.Errorf("sanctionsExposure: entity %q: %w", q.ID, graph.ErrNotFound)
		case !errors.Is(err, errors.ErrUnsupported):
			return nil, err
		}
	}
	sq := graph.SnapshotQuery{IDs: []string{q.ID}, Depth: q.MaxHops, LinkTypes: q.LinkTypes, When: q.When}
	if err := sq.Normalize(); err != nil {
		return nil, err
	}
	sg, err := s.Snapshot(ctx, sq)
	if err != nil {
		return nil, err
	}
	return SanctionsExposure(ctx, sg, q.ID, q.MaxHops, sq.LinkTypes, q.When)
}

// exposures orders a store's exposure paths as SanctionsExposure orders
// its answer (path length, then entity id) and gives each designation in
// force under w its own Exposure.
func exposures(ps []graph.Path, w graph.When) []Exposure {
	slices.SortFunc(ps, func(a, b graph.Path) int {
		if d := a.Length() - b.Length(); d != 0 {
			return d
		}
		return strings.Compare(a.Nodes[len(a.Nodes)-1].ID, b.Nodes[len(b.Nodes)-1].ID)
	})
	out := []Exposure{}
	for _, p := range ps {
		e := p.Nodes[len(p.Nodes)-1]
		for _, d := range graph.InForce(e.Designations, w) {
			out = append(out, Exposure{Entity: e, Designation: d, Path: p})
		}
	}
	return out
}
