package analysis

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/skein-project/skein/graph"
)

// EventKind says what happened on a timeline event's date.
type EventKind string

// Event kinds, in the order events of the same date are listed.
const (
	EventBorn         EventKind = "BORN"
	EventIncorporated EventKind = "INCORPORATED"
	EventLinkStarted  EventKind = "LINK_STARTED"
	EventDesignated   EventKind = "DESIGNATED"
	EventDelisted     EventKind = "DELISTED"
	EventLinkEnded    EventKind = "LINK_ENDED"
	EventDissolved    EventKind = "DISSOLVED"
)

// EntityDates are the entity properties (FollowTheMoney names) that put an
// entity on a timeline, with the kind of event each is.
var EntityDates = []struct {
	Property string
	Kind     EventKind
}{
	{"birthDate", EventBorn},
	{"incorporationDate", EventIncorporated},
	{"dissolutionDate", EventDissolved},
}

// Event is one dated fact of a timeline. Entity is the entity concerned
// (nil for link events, whose link names both ends); Designation is set
// for DESIGNATED and DELISTED, Link for LINK_STARTED and LINK_ENDED.
type Event struct {
	Date        graph.Date
	Kind        EventKind
	Entity      *graph.Entity
	Link        *graph.Link
	Designation *graph.Designation
	// Key identifies the event among those of its date and kind: the
	// link id, or the entity id (with the designation's index).
	Key string
}

// Sources are the quotes that state the event.
func (e *Event) Sources() []graph.SourceRef {
	switch {
	case e.Link != nil:
		return e.Link.Sources
	case e.Designation != nil:
		return e.Designation.Sources
	case e.Entity != nil:
		return e.Entity.Sources
	}
	return nil
}

// Cursor is the event's position in timeline order, for paging.
func (e *Event) Cursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%d|%d|%s|%s", e.Date.First, e.Date.Last, e.Kind, e.Key)))
}

// kindRank orders the kinds of events of the same date.
var kindRank = map[EventKind]int{
	EventBorn: 0, EventIncorporated: 1, EventLinkStarted: 2, EventDesignated: 3,
	EventDelisted: 4, EventLinkEnded: 5, EventDissolved: 6,
}

// position is the sort key of an event; cursors encode it.
type position struct {
	first, last graph.Day
	kind        EventKind
	key         string
}

func (p position) compare(o position) int {
	return cmp.Or(cmp.Compare(p.first, o.first), cmp.Compare(p.last, o.last),
		cmp.Compare(kindRank[p.kind], kindRank[o.kind]), strings.Compare(p.key, o.key))
}

func (e *Event) position() position { return position{e.Date.First, e.Date.Last, e.Kind, e.Key} }

func decodePosition(cursor string) (position, error) {
	bad := fmt.Errorf("timeline: malformed cursor: %w", graph.ErrInvalid)
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return position{}, bad
	}
	parts := strings.SplitN(string(b), "|", 4)
	if len(parts) != 4 {
		return position{}, bad
	}
	first, err1 := strconv.ParseInt(parts[0], 10, 32)
	last, err2 := strconv.ParseInt(parts[1], 10, 32)
	if _, known := kindRank[EventKind(parts[2])]; err1 != nil || err2 != nil || !known {
		return position{}, bad
	}
	return position{graph.Day(first), graph.Day(last), EventKind(parts[2]), parts[3]}, nil
}

// Events lists the dated facts of g that fall under w (their date overlaps
// its window; all when w restricts nothing): each link's start and end,
// each designation's listing and delisting, and the EntityDates of each
// entity. They are ordered by date (first day, then the more precise date
// first), then kind (Born ... Dissolved, as the constants are listed),
// then key. A date that does not parse is left out: stores validate link
// and designation dates, but entity properties are free text.
func Events(g graph.Subgraph, w graph.When) []Event {
	win, timed := w.Window()
	var out []Event
	add := func(text string, ev Event) {
		d, err := graph.ParseDate(text)
		if err != nil || (timed && !(graph.Span{From: d.First, To: d.Last}).Overlaps(win)) {
			return
		}
		ev.Date = d
		out = append(out, ev)
	}
	for i := range g.Nodes {
		e := &g.Nodes[i]
		for _, p := range EntityDates {
			if v := e.Properties[p.Property]; v != "" {
				add(v, Event{Kind: p.Kind, Entity: e, Key: e.ID})
			}
		}
		for j := range e.Designations {
			d := &e.Designations[j]
			key := e.ID + "#" + strconv.Itoa(j)
			if d.ListedOn != "" {
				add(d.ListedOn, Event{Kind: EventDesignated, Entity: e, Designation: d, Key: key})
			}
			if d.DelistedOn != "" {
				add(d.DelistedOn, Event{Kind: EventDelisted, Entity: e, Designation: d, Key: key})
			}
		}
	}
	for i := range g.Links {
		l := &g.Links[i]
		if l.StartDate != "" {
			add(l.StartDate, Event{Kind: EventLinkStarted, Link: l, Key: l.ID})
		}
		if l.EndDate != "" {
			add(l.EndDate, Event{Kind: EventLinkEnded, Link: l, Key: l.ID})
		}
	}
	slices.SortFunc(out, func(a, b Event) int { return a.position().compare(b.position()) })
	// A node listed twice in g gives its events twice.
	return slices.CompactFunc(out, func(a, b Event) bool { return a.position() == b.position() })
}

// Page returns the events after the cursor after ("" for the start), at
// most first of them, and whether more follow. events must be in Events
// order.
func Page(events []Event, first int, after string) (page []Event, hasNext bool, err error) {
	start := 0
	if after != "" {
		p, err := decodePosition(after)
		if err != nil {
			return nil, false, err
		}
		start, _ = slices.BinarySearchFunc(events, p, func(e Event, p position) int {
			if c := e.position().compare(p); c != 0 {
				return c
			}
			return -1 // equal: start after it
		})
	}
	end := min(len(events), start+first)
	return events[start:end], end < len(events), nil
}

// Period is the width of a histogram bucket.
type Period string

// Periods.
const (
	PeriodYear  Period = "YEAR"
	PeriodMonth Period = "MONTH"
	PeriodDay   Period = "DAY"
)

// Bucket counts the events of one period; Start is the period as ISO text
// (YYYY, YYYY-MM or YYYY-MM-DD).
type Bucket struct {
	Start string
	Count int
}

// Histogram counts events per period, by the first day of each event's
// date (so "2020" counts in January 2020 by month), in date order; periods
// without events are left out.
func Histogram(events []Event, by Period) ([]Bucket, error) {
	width := map[Period]int{PeriodYear: 4, PeriodMonth: 7, PeriodDay: 10}[by]
	if width == 0 {
		return nil, fmt.Errorf("timeline: unknown period %q: %w", by, graph.ErrInvalid)
	}
	out := []Bucket{}
	for _, e := range events {
		start := e.Date.First.String()[:width]
		if n := len(out); n > 0 && out[n-1].Start == start {
			out[n-1].Count++
			continue
		}
		out = append(out, Bucket{Start: start, Count: 1})
	}
	return out, nil
}
