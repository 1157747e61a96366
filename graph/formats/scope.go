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
