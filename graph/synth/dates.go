package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/skein-project/skein/graph"
)

// Links carry dates the way sources give them: spells with a start and an
// end, some still open, some known only to the year or month, some not
// dated at all. The dates come from a random stream of their own, so that
// dating does not change which links the generator makes.

// Years the synthetic spells fall in.
const (
	firstYear = 2005
	lastYear  = 2025
)

// dating is how one link type is dated: the share of its links with a
// start date, and of those the share whose spell has ended.
type dating struct {
	dated, ended float64
}

var datings = map[graph.LinkType]dating{
	graph.LinkMemberOf:    {dated: 0.85, ended: 0.35},
	graph.LinkAssociateOf: {dated: 0.5, ended: 0.2},
	graph.LinkDirectorOf:  {dated: 0.9, ended: 0.3},
	graph.LinkEmployedBy:  {dated: 0.7, ended: 0.5},
	graph.LinkOwns:        {dated: 0.8, ended: 0.1},
	graph.LinkSupplies:    {dated: 0.6, ended: 0.4},
	graph.LinkPartOf:      {dated: 0.6, ended: 0.2},
	graph.LinkLocatedAt:   {dated: 0.5, ended: 0.3},
	graph.LinkOperates:    {dated: 0.6, ended: 0.3},
	graph.LinkRepresents:  {dated: 0.5, ended: 0.2},
	// FAMILY_OF and HOLDS stay undated; a payment is dated by its day.
}

// dater draws dates.
type dater struct{ r *rand.Rand }

func newDater(seed uint64) *dater { return &dater{r: rand.New(rand.NewPCG(seed, 0xda7e))} }

// date is a date in year y at a random precision: a day (half the time),
// a month, or the year alone.
func (d *dater) date(y int) string {
	switch p := d.r.IntN(10); {
	case p < 5:
		return fmt.Sprintf("%d-%02d-%02d", y, 1+d.r.IntN(12), 1+d.r.IntN(28))
	case p < 8:
		return fmt.Sprintf("%d-%02d", y, 1+d.r.IntN(12))
	}
	return fmt.Sprint(y)
}

// spell dates l by its type's dating: a start, and for an ended spell an
// end in a later year (so never before the start, at any precision).
func (d *dater) spell(l *graph.Link) {
	dt, ok := datings[l.Type]
	if !ok || d.r.Float64() >= dt.dated {
		return
	}
	y := firstYear + d.r.IntN(lastYear-firstYear)
	l.StartDate = d.date(y)
	if d.r.Float64() < dt.ended {
		l.EndDate = d.date(min(lastYear, y+1+d.r.IntN(6)))
	}
}

// handover is a change of owner: the previous owner's spell, ended on the
// day (at the precision) the current owner's begins. ok is false when the
// current ownership is undated or a draw says it had no predecessor.
func (d *dater) handover(current graph.Link) (start, end string, ok bool) {
	if current.StartDate == "" || d.r.IntN(4) != 0 {
		return "", "", false
	}
	y, err := strconv.Atoi(current.StartDate[:4])
	if err != nil || y <= firstYear {
		return "", "", false
	}
	return d.date(firstYear + d.r.IntN(y-firstYear)), current.StartDate, true
}
