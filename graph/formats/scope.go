package formats

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/skein-project/skein/graph"
)

// ParseScope reads ids, depth and link types as both the HTTP API and the
// CLI take them: comma lists and an integer.
func ParseScope(ids, depth, linkTypes string) (Scope, error) {
	var sc Scope
	for _, id := range strings.Split(ids, ",") {
		if id = strings.TrimSpace(id); id != "" {
			sc.IDs = append(sc.IDs, id)
		}
	}
	if depth != "" {
		d, err := strconv.Atoi(depth)
		if err != nil {
			return sc, fmt.Errorf("depth %q is not a whole number: %w", depth, graph.ErrInvalid)
		}
		sc.Depth = d
	} else if len(sc.IDs) > 0 {
		sc.Depth = 1
	}
	for _, t := range strings.Split(linkTypes, ",") {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		lt, err := graph.ParseLinkType(t)
		if err != nil {
			return sc, err
		}
		sc.LinkTypes = append(sc.LinkTypes, lt)
	}
	return sc, nil
}

// ParseWhen reads the asOf, from and to parameters of an export as both the
// HTTP API and the CLI take them: dates (YYYY, YYYY-MM or YYYY-MM-DD), asOf
// alone or a window of from and to (either may be omitted). A bad date is
// graph.ErrInvalid naming the parameter and the value.
func ParseWhen(asOf, from, to string) (graph.When, error) {
	w := graph.When{AsOf: strings.TrimSpace(asOf), During: graph.DateRange{From: strings.TrimSpace(from), To: strings.TrimSpace(to)}}
	for _, p := range []struct{ name, value string }{{"asOf", w.AsOf}, {"from", w.During.From}, {"to", w.During.To}} {
		if p.value == "" {
			continue
		}
		if _, err := graph.ParseDate(p.value); err != nil {
			return graph.When{}, fmt.Errorf("export: %s: %w", p.name, err)
		}
	}
	if w.AsOf != "" && (w.During.From != "" || w.During.To != "") {
		return graph.When{}, fmt.Errorf("export: asOf cannot be combined with from or to: %w", graph.ErrInvalid)
	}
	if err := w.Check("export"); err != nil {
		return graph.When{}, err
	}
	return w, nil
}
