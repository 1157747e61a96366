package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
)

// Opener returns a fresh, empty store, closed by the test's cleanup.
type Opener func(t *testing.T) graph.Store

const testDoc = "doc:storetest"

func src(quote string) []graph.SourceRef {
	return []graph.SourceRef{{Document: testDoc, Quote: quote}}
}

func ent(kind graph.Kind, id, name string, aliases ...string) graph.Entity {
	return graph.Entity{ID: id, Kind: kind, Name: name, Aliases: aliases, Sources: src(name + " is named")}
}

func person(id, name string, aliases ...string) graph.Entity {
	return ent(graph.KindPerson, id, name, aliases...)
}

func org(id, name string, aliases ...string) graph.Entity {
	return ent(graph.KindOrganization, id, name, aliases...)
}

func company(id, name string, aliases ...string) graph.Entity {
	return ent(graph.KindCompany, id, name, aliases...)
}

func lnk(id string, t graph.LinkType, source, target string) graph.Link {
	return graph.Link{ID: id, Type: t, Source: source, Target: target, Sources: src(source + " to " + target)}
}

func upsert(t *testing.T, s graph.Store, b graph.Batch) {
	t.Helper()
	if err := s.Upsert(context.Background(), b); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got error %v, want %v", what, err, target)
	}
}

func entityIDs(es []graph.Entity) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func linkIDs(ls []graph.Link) []string {
	out := []string{}
	for _, l := range ls {
		out = append(out, l.ID)
	}
	return out
}

func hitIDs(hs []graph.SearchHit) []string {
	out := []string{}
	for _, h := range hs {
		out = append(out, h.Entity.ID)
	}
	return out
}

func eqStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

// eqSubgraph checks that sg holds exactly the entities nodes and the links
// links, by id, in order.
func eqSubgraph(t *testing.T, what string, sg graph.Subgraph, nodes, links []string) {
	t.Helper()
	eqStrings(t, what+" nodes", entityIDs(sg.Nodes), nodes)
	eqStrings(t, what+" links", linkIDs(sg.Links), links)
}

// checkNeighborhood asks s for q's neighbourhood and checks it against the
// reference's entity and link ids and truncation.
func checkNeighborhood(t *testing.T, s graph.Store, name string, q graph.NeighborhoodQuery, nodes, links []string, truncated bool) {
	t.Helper()
	sg, err := s.Neighborhood(context.Background(), q)
	if err != nil {
		t.Fatalf("%+v: %v", q, err)
	}
	what := fmt.Sprintf("%s %+v", name, q)
	eqSubgraph(t, what, sg, nodes, links)
	if sg.Truncated != truncated {
		t.Errorf("%s truncated %v, want %v", what, sg.Truncated, truncated)
	}
}

// reachedFrom is the ids in reach (refGraph.distances) other than from,
// sorted: the targets a path from it can have.
func reachedFrom(reach map[string]int, from string) []string {
	var near []string
	for id := range reach {
		if id != from {
			near = append(near, id)
		}
	}
	slices.Sort(near)
	return near
}

// canonEntity maps empty slices and maps to nil so that stores may return
// either.
func canonEntity(e graph.Entity) graph.Entity {
	e.Aliases = nilIfEmpty(e.Aliases)
	e.Countries = nilIfEmpty(e.Countries)
	e.Sources = nilIfEmpty(e.Sources)
	if len(e.Properties) == 0 {
		e.Properties = nil
	}
	if len(e.Designations) == 0 {
		e.Designations = nil
	} else {
		ds := slices.Clone(e.Designations)
		for i := range ds {
			ds[i].Measures = nilIfEmpty(ds[i].Measures)
			ds[i].Sources = nilIfEmpty(ds[i].Sources)
		}
		e.Designations = ds
	}
	return e
}

func canonLink(l graph.Link) graph.Link {
	l.Sources = nilIfEmpty(l.Sources)
	if len(l.Properties) == 0 {
		l.Properties = nil
	}
	return l
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

func asJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func eqEntity(t *testing.T, what string, got, want graph.Entity) {
	t.Helper()
	if g, w := canonEntity(got), canonEntity(want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got  %s\n want %s", what, asJSON(g), asJSON(w))
	}
}

func eqLink(t *testing.T, what string, got, want graph.Link) {
	t.Helper()
	if g, w := canonLink(got), canonLink(want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got  %s\n want %s", what, asJSON(g), asJSON(w))
	}
}

// nonZero drops zero counts so that stores may list absent kinds or not.
func nonZero[K comparable](m map[K]int) map[K]int {
	out := map[K]int{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

func eqCounts[K comparable](t *testing.T, what string, got, want map[K]int) {
	t.Helper()
	if g, w := nonZero(got), nonZero(want); !maps.Equal(g, w) {
		t.Errorf("%s: got %v, want %v", what, g, w)
	}
}
