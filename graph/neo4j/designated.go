package neo4j

import "github.com/skein-project/skein/graph"

// Whether an entity is designated under a When is read from two plain
// properties kept next to the designations' JSON: the exposure and
// sanctions-ownership queries filter on them.

// designatedFilter says whether an entity counts as designated under a
// When: a designation in force then, from the plain properties
// designatedFrom and designatedTo (the first and last day of each
// designation's span, graph.Designation.Span, as day numbers); any
// designation when the When restricts nothing.
type designatedFilter struct {
	timed    bool
	from, to int64
}

func newDesignatedFilter(w graph.When) designatedFilter {
	win, ok := w.Window()
	return designatedFilter{timed: ok, from: int64(win.From), to: int64(win.To)}
}

// cond is the condition that entity expression v is designated.
func (d designatedFilter) cond(v string) string {
	if !d.timed {
		return v + ".designations IS NOT NULL"
	}
	return "any(i IN range(0, size(coalesce(" + v + ".designatedFrom, [])) - 1) WHERE " +
		v + ".designatedFrom[i] <= $desigTo AND " + v + ".designatedTo[i] >= $desigFrom)"
}

func (d designatedFilter) params(p map[string]any) map[string]any {
	if d.timed {
		p["desigFrom"], p["desigTo"] = d.from, d.to
	}
	return p
}

// designationSpans are the plain properties designatedFilter reads: the
// first and last day of each designation's span, nil when there is none.
func designationSpans(e *graph.Entity) (from, to any) {
	if len(e.Designations) == 0 {
		return nil, nil
	}
	fs, ts := make([]any, len(e.Designations)), make([]any, len(e.Designations))
	for i := range e.Designations {
		s := e.Designations[i].Span()
		fs[i], ts[i] = int64(s.From), int64(s.To)
	}
	return fs, ts
}
