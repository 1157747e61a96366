package neo4j

import (
	"context"
	"fmt"
	"strings"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/skein-project/skein/graph"
)

// A link's dates are stored twice: as the text the source gives
// (startDate, endDate) and as the first and last day each covers, native
// dates with range indexes (startLo, startHi, endLo, endHi), so that a
// time filter is a comparison in the query. The rule is graph's (time.go):
// a link overlaps a window when startLo is null or not after the window's
// last day, and endHi is null or not before its first day.

// dateProps returns the native date properties of a link.
func dateProps(l *graph.Link) map[string]any {
	out := map[string]any{"startLo": nil, "startHi": nil, "endLo": nil, "endHi": nil}
	if d, err := graph.ParseDate(l.StartDate); err == nil {
		out["startLo"], out["startHi"] = neo4jdrv.DateOf(d.First.Time()), neo4jdrv.DateOf(d.Last.Time())
	}
	if d, err := graph.ParseDate(l.EndDate); err == nil {
		out["endLo"], out["endHi"] = neo4jdrv.DateOf(d.First.Time()), neo4jdrv.DateOf(d.Last.Time())
	}
	return out
}

// linkFilter is what a query may use of the links: their types, a time
// window, and (chronological paths) whether they must have a start date.
type linkFilter struct {
	types    []graph.LinkType
	from, to any // the window's first and last day, nil when open
	timed    bool
	dated    bool
}

func newLinkFilter(types []graph.LinkType, w graph.When) linkFilter {
	f := linkFilter{types: types}
	win, ok := w.Window()
	if !ok {
		return f
	}
	f.timed = true
	if win.From != graph.Dawn {
		f.from = neo4jdrv.DateOf(win.From.Time())
	}
	if win.To != graph.Dusk {
		f.to = neo4jdrv.DateOf(win.To.Time())
	}
	return f
}

// rel is the relationship pattern of variable v with the filter's types.
func (f linkFilter) rel(v string) string { return v + relTypes(f.types) }

// cond is the filter's condition on relationship variable v ("true" when
// there is none), reading the parameters params adds.
func (f linkFilter) cond(v string) string {
	var parts []string
	if f.timed && f.to != nil {
		parts = append(parts, "("+v+".startLo IS NULL OR "+v+".startLo <= $winTo)")
	}
	if f.timed && f.from != nil {
		parts = append(parts, "("+v+".endHi IS NULL OR "+v+".endHi >= $winFrom)")
	}
	if f.dated {
		parts = append(parts, v+".startLo IS NOT NULL")
	}
	if len(parts) == 0 {
		return "true"
	}
	return strings.Join(parts, " AND ")
}

// params adds the filter's parameters to p and returns it.
func (f linkFilter) params(p map[string]any) map[string]any {
	if f.from != nil {
		p["winFrom"] = f.from
	}
	if f.to != nil {
		p["winTo"] = f.to
	}
	return p
}

// dateIndexes are the range indexes on the date properties, one per link
// type and property, since relationship indexes are per type.
func dateIndexes() []string {
	var out []string
	for _, t := range graph.LinkTypes {
		for _, p := range []string{"startLo", "endHi"} {
			out = append(out, fmt.Sprintf("CREATE RANGE INDEX link_%s_%s IF NOT EXISTS FOR ()-[r:%s]-() ON (r.%s)", strings.ToLower(p), t, mustType(t), p))
		}
	}
	return out
}

// dateMigration marks a database whose links all carry the native date
// properties; links written before those existed get them once.
const dateMigration = "link-dates-1"

// lastDay is the Cypher for the last day of partial ISO date text x
// (date() itself parses YYYY and YYYY-MM to their first day).
func lastDay(x string) string {
	return "CASE size(" + x + ") WHEN 4 THEN date(" + x + ") + duration('P1Y') - duration('P1D') " +
		"WHEN 7 THEN date(" + x + ") + duration('P1M') - duration('P1D') ELSE date(" + x + ") END"
}

// migrateDates gives the native date properties to every link that has
// dates but not those properties (written by an earlier version), in
// batches, then marks the database done so later start-ups skip the scan.
func (s *Store) migrateDates(ctx context.Context) error {
	done, err := read(ctx, s, func(tx *txn) (bool, error) {
		recs, err := tx.collect(ctx, "MATCH (m:SkeinMigration {id: $id}) RETURN count(m) AS n", map[string]any{"id": dateMigration})
		return err == nil && len(recs) == 1 && integer(get(recs[0], "n")) > 0, err
	})
	if err != nil || done {
		return err
	}
	sess := s.session(ctx, neo4jdrv.AccessModeWrite)
	defer sess.Close(context.Background())
	s.trips.Add(1)
	res, err := sess.Run(ctx, "MATCH ()-[r]->() WHERE (r.startDate IS NOT NULL AND r.startLo IS NULL) OR (r.endDate IS NOT NULL AND r.endHi IS NULL) "+
		"CALL { WITH r SET r.startLo = date(r.startDate), r.startHi = "+lastDay("r.startDate")+
		", r.endLo = date(r.endDate), r.endHi = "+lastDay("r.endDate")+" } IN TRANSACTIONS OF 10000 ROWS", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return fmt.Errorf("neo4j: migrate link dates: %w", translate(err))
	}
	_, err = write(ctx, s, func(tx *txn) (struct{}, error) {
		return struct{}{}, tx.exec(ctx, "MERGE (:SkeinMigration {id: $id})", map[string]any{"id": dateMigration})
	})
	return err
}
