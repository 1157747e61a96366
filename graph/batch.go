package graph

import (
	"errors"
	"fmt"
	"slices"
)

// Batch is a set of writes applied in one transaction.
type Batch struct {
	Documents []Document `json:"documents,omitempty"`
	Entities  []Entity   `json:"entities,omitempty"`
	Links     []Link     `json:"links,omitempty"`
}

// Empty reports whether the batch writes nothing.
func (b *Batch) Empty() bool {
	return len(b.Documents) == 0 && len(b.Entities) == 0 && len(b.Links) == 0
}

// Normalize normalises every record and validates the batch, collecting
// every problem (errors.Join) rather than stopping at the first. Within a
// batch a later record with the same id replaces an earlier one.
func (b *Batch) Normalize() error {
	var errs []error
	for i := range b.Documents {
		if err := b.Documents[i].Validate(); err != nil {
			errs = append(errs, fmt.Errorf("document %d: %w", i, err))
		}
	}
	for i := range b.Entities {
		b.Entities[i].Normalize()
		if err := b.Entities[i].Validate(); err != nil {
			errs = append(errs, fmt.Errorf("entity %d: %w", i, err))
		}
	}
	for i := range b.Links {
		b.Links[i].Normalize()
		if err := b.Links[i].Validate(); err != nil {
			errs = append(errs, fmt.Errorf("link %d: %w", i, err))
		}
	}
	b.Documents = lastByID(b.Documents, func(d Document) string { return d.ID })
	b.Entities = lastByID(b.Entities, func(e Entity) string { return e.ID })
	b.Links = lastByID(b.Links, func(l Link) string { return l.ID })
	return errors.Join(errs...)
}

// lastByID keeps the last record of each id, in first-seen order.
func lastByID[T any](in []T, id func(T) string) []T {
	if len(in) < 2 {
		return in
	}
	pos := make(map[string]int, len(in))
	out := make([]T, 0, len(in))
	for _, v := range in {
		if i, ok := pos[id(v)]; ok {
			out[i] = v
			continue
		}
		pos[id(v)] = len(out)
		out = append(out, v)
	}
	return out
}

// MergePlan is what MergeEntities writes, computed once by PlanMerge so
// every store merges the same way.
type MergePlan struct {
	Entity      Entity   // the merged entity (keep's id)
	Upsert      []Link   // re-pointed or enriched links
	DeleteLinks []string // link ids to delete
	Delete      []string // entity ids to delete (the merged ones)
}

// PlanMerge folds merged into keep. links must be every link touching keep
// or any merged entity. Rules:
//   - names of merged entities become aliases of keep; aliases, countries,
//     sources and designations are united (keep's first); properties are
//     united with keep winning on conflicts; keep's description wins unless
//     empty;
//   - links are re-pointed from merged entities to keep, keeping their ids;
//   - a link between keep and a merged entity (or between two merged ones)
//     is deleted rather than turned into a self-link, unless it already was
//     a self-link;
//   - when re-pointing makes two links equal in type, source, target and
//     role, the one with the smaller id survives and gains the other's
//     sources.
func PlanMerge(keep Entity, merged []Entity, links []Link) MergePlan {
	ids := map[string]bool{}
	for _, m := range merged {
		ids[m.ID] = true
	}
	out := keep.Clone()
	for _, m := range merged {
		out.Aliases = append(out.Aliases, m.Name)
		out.Aliases = append(out.Aliases, m.Aliases...)
		out.Countries = append(out.Countries, m.Countries...)
		for _, s := range m.Sources {
			if !slices.Contains(out.Sources, s) {
				out.Sources = append(out.Sources, s)
			}
		}
		for _, d := range m.Designations {
			if !slices.ContainsFunc(out.Designations, func(x Designation) bool { return designationEqual(x, d) }) {
				out.Designations = append(out.Designations, d)
			}
		}
		for k, v := range m.Properties {
			if _, ok := out.Properties[k]; !ok {
				if out.Properties == nil {
					out.Properties = map[string]string{}
				}
				out.Properties[k] = v
			}
		}
		if out.Description == "" {
			out.Description = m.Description
		}
	}
	out.Normalize()

	plan := MergePlan{Entity: out}
	for _, m := range merged {
		plan.Delete = append(plan.Delete, m.ID)
	}
	involved := func(id string) bool { return id == keep.ID || ids[id] }
	repoint := func(id string) string {
		if ids[id] {
			return keep.ID
		}
		return id
	}
	sorted := slices.Clone(links)
	slices.SortFunc(sorted, func(a, b Link) int { return compareStrings(a.ID, b.ID) })
	type key struct {
		t        LinkType
		src, tgt string
		role     string
	}
	survivors := map[key]int{} // index into plan.Upsert
	changed := map[int]bool{}
	var kept []Link
	for _, l := range sorted {
		wasSelf := l.Source == l.Target
		if !wasSelf && involved(l.Source) && involved(l.Target) {
			plan.DeleteLinks = append(plan.DeleteLinks, l.ID)
			continue
		}
		nl := l
		nl.Source, nl.Target = repoint(l.Source), repoint(l.Target)
		k := key{nl.Type, nl.Source, nl.Target, nl.Role}
		if i, ok := survivors[k]; ok {
			for _, s := range nl.Sources {
				if !slices.Contains(kept[i].Sources, s) {
					kept[i].Sources = append(kept[i].Sources, s)
					changed[i] = true
				}
			}
			plan.DeleteLinks = append(plan.DeleteLinks, l.ID)
			continue
		}
		survivors[k] = len(kept)
		kept = append(kept, nl)
		if nl.Source != l.Source || nl.Target != l.Target {
			changed[len(kept)-1] = true
		}
	}
	for i, l := range kept {
		if changed[i] {
			plan.Upsert = append(plan.Upsert, l)
		}
	}
	return plan
}

func designationEqual(a, b Designation) bool {
	return a.Regime == b.Regime && a.Authority == b.Authority && a.ListedOn == b.ListedOn
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
